/**
 * Per-account, per-action token buckets at the documented rates: 40/s for DescribeImages and
 * DescribeInstances, 20/s for the Tag API actions, the launch-template actions,
 * DescribeLaunchConfigurations and DescribeImageFromFamily, 10/s for the other actions. A bucket holds
 * one second of requests.
 */

/** Documented requests per second; actions not listed use `DEFAULT_RATE`. */
export const DOCUMENTED_RATES: Readonly<Record<string, number>> = {
  DescribeImages: 40,
  DescribeInstances: 40,
  ModifyResourceTags: 20,
  DescribeResourceTagsByResourceIds: 20,
  DescribeLaunchTemplates: 20,
  DescribeLaunchTemplateVersions: 20,
  DescribeLaunchConfigurations: 20,
  DescribeImageFromFamily: 20,
};
export const DEFAULT_RATE = 10;

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  /** Take one token; false when the caller is over its rate. */
  take(account: string, action: string, rate: number, now = Date.now()): boolean {
    const key = `${account}|${action}`;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { tokens: rate, at: now };
      this.buckets.set(key, bucket);
    }
    bucket.tokens = Math.min(rate, bucket.tokens + ((now - bucket.at) / 1000) * rate);
    bucket.at = now;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** The rate in force for an action. */
  static rateFor(action: string, overrides: Record<string, number>): number {
    return overrides[action] ?? DOCUMENTED_RATES[action] ?? DEFAULT_RATE;
  }

  clear(): void {
    this.buckets.clear();
  }
}
