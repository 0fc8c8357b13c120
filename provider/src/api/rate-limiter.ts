/**
 * Client-side per-action rate limits at the documented rates, shared by everything in this
 * process. Calls are spaced evenly (no bursts), so the server's per-second window is never exceeded
 * by this process alone.
 */

/** Documented default requests/second per action and account; everything else is 10/s. */
export const DOCUMENTED_RATES: Readonly<Record<string, number>> = {
  DescribeImages: 40,
  DescribeInstances: 40,
  CreateImage: 10,
  ImportImage: 10,
  DeleteImages: 10,
  ModifyImageAttribute: 10,
  ModifyImageSharePermission: 10,
  DescribeImageSharePermission: 10,
  SyncImages: 10,
  DescribeImageQuota: 10,
  ModifyResourceTags: 20,
};
export const DEFAULT_RATE = 10;

const nextSlot = new Map<string, number>();

/** Waits for this call's slot under `key` (e.g. account + action). */
export async function acquireSlot(key: string, perSecond: number): Promise<void> {
  const now = Date.now();
  const slot = Math.max(now, nextSlot.get(key) ?? 0);
  nextSlot.set(key, slot + 1000 / Math.max(perSecond, 0.001));
  const wait = slot - now;
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
}

export function rateFor(action: string): number {
  return DOCUMENTED_RATES[action] ?? DEFAULT_RATE;
}
