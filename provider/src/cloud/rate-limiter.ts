/**
 * The documented per-action rate limits: the ceiling of each action's request budget (see
 * cloud/budget.ts, which spaces the calls of the whole process and adapts to throttling; the
 * process's budgets are `processState.budgets`, cloud/process.ts).
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
  // The usage scan's reads, at the rates the emulator documents for them (its README's Settings, `rateLimits`).
  DescribeLaunchTemplates: 20,
  DescribeLaunchTemplateVersions: 20,
  DescribeLaunchConfigurations: 20,
};
export const DEFAULT_RATE = 10;

/** The documented requests/second of `action`. */
export function rateFor(action: string): number {
  return DOCUMENTED_RATES[action] ?? DEFAULT_RATE;
}
