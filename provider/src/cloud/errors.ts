/**
 * Classification of Tencent Cloud SDK errors into retryable kinds. Pure: works on the shape
 * of `TencentCloudSDKHttpException` (code, httpCode, message) by duck typing.
 */

export type ErrorKind =
  /** RequestLimitExceeded*, HTTP 429. Retry with backoff. */
  | "throttled"
  /** Connection reset, timeouts, unparsable responses: the request may have reached the API. Retry. */
  | "network"
  /**
   * The endpoint cannot be reached: the connection was refused, or its host name did not resolve
   * (ECONNREFUSED, ENOTFOUND, EAI_AGAIN). Nothing reached the API. Retried only briefly (see the call layer).
   */
  | "unreachable"
  /** HTTP 5xx, InternalError, ServiceUnavailable. Retry. */
  | "server"
  /** The resource is busy for a moment (task running, state changing). Retry. */
  | "busy"
  /** The thing does not exist. Not retried; callers decide what it means. */
  | "not-found"
  /** Anything else: bad request, permissions, conflicts. Not retried. */
  | "client";

export interface ClassifiedError {
  kind: ErrorKind;
  retryable: boolean;
  /** The API error code, when the API returned one. */
  code?: string;
  httpCode?: number;
  message: string;
}

const BUSY_CODES = new Set([
  "MutexOperation.TaskRunning",
  "InvalidParameterValue.InvalidImageState",
  "FailedOperation.InvalidImageState",
  "OperationDenied.InstanceOperationInProgress",
  "ResourceUnavailable.SnapshotCreating",
]);
const BUSY_PREFIXES = ["ResourceInUse", "ResourceUnavailable", "ResourceBusy"];
const SERVER_CODES = new Set(["InternalError", "InternalServerError", "ServiceUnavailable"]);
/** The system errors that say the endpoint cannot be reached at all (see {@link unreachableCode}). */
const UNREACHABLE_CODES = ["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN"] as const;
/** A system error that says the endpoint cannot be reached at all. */
export type UnreachableCode = (typeof UNREACHABLE_CODES)[number];
const UNREACHABLE_PATTERN = new RegExp(`\\b(${UNREACHABLE_CODES.join("|")})\\b`);
const NETWORK_PATTERNS = [
  /network timeout/i,
  /ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH/,
  /socket hang up/i,
  /request to .* failed/i,
  /invalid json/i,
  /Unexpected (token|end of JSON)/i,
  /aborted/i,
  /timed out/i,
];

function field(err: unknown, name: string): unknown {
  return typeof err === "object" && err !== null ? (err as Record<string, unknown>)[name] : undefined;
}

/** Classifies any thrown value from an SDK call. */
export function classifyError(err: unknown): ClassifiedError {
  const rawCode = field(err, "code");
  const code = typeof rawCode === "string" && rawCode !== "" ? rawCode : undefined;
  const rawHttp = field(err, "httpCode");
  const httpCode = typeof rawHttp === "number" ? rawHttp : undefined;
  const message =
    err instanceof Error
      ? err.message
      : typeof field(err, "message") === "string"
        ? String(field(err, "message"))
        : String(err);
  const out = (kind: ErrorKind): ClassifiedError => ({
    kind,
    retryable:
      kind === "throttled" || kind === "network" || kind === "unreachable" || kind === "server" || kind === "busy",
    ...(code !== undefined ? { code } : {}),
    ...(httpCode !== undefined ? { httpCode } : {}),
    message,
  });
  if (code) {
    if (code.startsWith("RequestLimitExceeded")) return out("throttled");
    if (BUSY_CODES.has(code) || BUSY_PREFIXES.some((p) => code === p || code.startsWith(`${p}.`))) return out("busy");
    if (SERVER_CODES.has(code)) return out("server");
    if (code.endsWith(".NotFound") || code === "ResourceNotFound") return out("not-found");
    // Node system errors (ECONNREFUSED ...) carry `code` too.
    if (unreachableCode(code) === code) return out("unreachable");
    if (/^E[A-Z]+$/.test(code)) return out("network");
    return out("client");
  }
  if (httpCode !== undefined) {
    if (httpCode === 429) return out("throttled");
    if (httpCode >= 500) return out("server");
    return out("client");
  }
  // The SDK keeps only the message of a failed request: "request to … failed, reason: connect ECONNREFUSED …".
  if (unreachableCode(message)) return out("unreachable");
  if (
    NETWORK_PATTERNS.some((re) => re.test(message)) ||
    field(err, "type") === "invalid-json" ||
    field(err, "name") === "FetchError" ||
    field(err, "name") === "AbortError"
  ) {
    return out("network");
  }
  return out("client");
}

/**
 * The system error in a text (an error's code or message) that says the endpoint cannot be reached:
 * `ECONNREFUSED` (nothing listens there), `ENOTFOUND` (no such host) or `EAI_AGAIN` (the host name
 * could not be resolved now); undefined for anything else.
 */
export function unreachableCode(text: string): UnreachableCode | undefined {
  return UNREACHABLE_PATTERN.exec(text)?.[1] as UnreachableCode | undefined;
}

/**
 * Whether an API code refuses the credentials (authentication) or their permission (CAM): running
 * again changes nothing until the cause is fixed.
 */
export function isCredentialRefusal(code: string | undefined): boolean {
  return code !== undefined && /^(AuthFailure|UnauthorizedOperation)(\.|$)/.test(code);
}

/** Exponential backoff with full jitter: a random delay in [0, min(max, base * 2^attempt)]; at least 1 ms. */
export function backoffDelay(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const cap = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt));
  return Math.max(1, Math.floor(random() * cap));
}

/** Replaces every occurrence of the given secrets in `text` with "***". */
export function redact(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join("***");
  return out;
}
