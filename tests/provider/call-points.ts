/**
 * Fault at every call: the calls of a recorded run as call points, and a fault rule that makes the
 * call at one point fail (the calls of that action before it pass).
 */
import { ALICE, Harness } from "./harness";

/** One call of a recorded run: its action and how many calls of that action came before, plus one. */
export interface CallPoint {
  action: string;
  occurrence: number;
}

/** The provider's (alice's) calls since the log was cleared, as call points. */
export async function recordedCalls(h: Harness): Promise<CallPoint[]> {
  const seen: Record<string, number> = {};
  const log = (await h.control("GET", "calls")).log as Array<{ action: string; account?: string }>;
  return log
    .filter((c) => c.account === ALICE)
    .map((c) => ({ action: c.action, occurrence: (seen[c.action] = (seen[c.action] ?? 0) + 1) }));
}

/** Makes the call at `point` fail with the fault; returns the fault rule's id. */
export async function failAt(h: Harness, point: CallPoint, fault: Record<string, unknown>): Promise<string> {
  const passThrough =
    point.occurrence > 1 ? [{ action: point.action, account: "alice", delayMs: 1, times: point.occurrence - 1 }] : [];
  const { ids } = await h.control("POST", "faults", [
    ...passThrough,
    { action: point.action, account: "alice", ...fault, times: 1 },
  ]);
  return ids[ids.length - 1];
}
