/** The call log behind `GET /_emulator/calls`: a count per action and the most recent calls. */

/** One API call. No secrets: the account is its uin. */
export interface CallRecord {
  /** When the call arrived, an ISO 8601 timestamp. */
  time: string;
  /** The caller's uin, when the request was authenticated. */
  account?: string;
  /** The action (`X-TC-Action`), or `(none)` when the request names none. */
  action: string;
  /** The region the request names (`X-TC-Region`), if any. */
  region?: string;
  /** The Tencent error code, when the call failed with one. */
  errorCode?: string;
  /** Set for injected HTTP 5xx answers. */
  httpStatus?: number;
  /** Set when the connection was dropped by a fault. */
  dropped?: boolean;
}

export class CallLog {
  private counts: Record<string, number> = {};
  private log: CallRecord[] = [];

  /** Keeps the last `limit` calls (the counts cover every call). */
  constructor(private readonly limit = 20000) {}

  record(call: CallRecord): void {
    this.counts[call.action] = (this.counts[call.action] ?? 0) + 1;
    this.log.push(call);
    if (this.log.length > this.limit) this.log.splice(0, this.log.length - this.limit);
  }

  snapshot(): { counts: Record<string, number>; log: CallRecord[] } {
    return { counts: { ...this.counts }, log: this.log.map((c) => ({ ...c })) };
  }

  clear(): void {
    this.counts = {};
    this.log = [];
  }
}
