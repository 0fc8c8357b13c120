/**
 * One request budget per account and action for the whole process, adapting to the cloud. The
 * documented rate is a ceiling, not a promise: other processes (other stacks, CI runners) spend the
 * same account's budget. A throttled answer (`RequestLimitExceeded`) halves the rate; each second
 * without one wins back a fraction of the ceiling (additive increase, multiplicative decrease).
 * Calls are spaced evenly at the current rate, after a small burst when the budget has been quiet
 * (a few calls that arrive together go out together), so this process alone never outruns it.
 *
 * The ceiling of each action's budget is its documented rate ({@link rateFor}); the process's
 * budgets are `processState.budgets` (cloud/process.ts).
 */
import type { Clock } from "./process";

// The documented per-action rate limits: the ceiling of each action's request budget.

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

// The budgets.

/** How a budget adapts. */
export interface BudgetPolicy {
  /** Requests per second at most: the documented rate of the action. */
  ceiling: number;
  /** Requests per second at least, however often the cloud throttles. */
  floor: number;
  /** Factor applied to the rate on a throttled answer (0 < decrease < 1). */
  decrease: number;
  /** Share of the ceiling regained per second without a throttled answer. */
  recoveryPerSecond: number;
  /** Calls that may go out at once after a quiet spell (at least 1); the rest are spaced at the rate. */
  burst: number;
}

/**
 * 2 calls: the deletes, listings and cancels that a few operations finishing together start reach
 * the provider within milliseconds of each other; a burst of two lets the second go out with the
 * first instead of an interval later, and stays far below the second of requests the cloud allows.
 */
export const DEFAULT_BURST = 2;

/** The default adaptation for an action documented at `ceiling` requests per second. */
export function defaultPolicy(ceiling: number): BudgetPolicy {
  return { ceiling, floor: Math.min(1, ceiling), decrease: 0.5, recoveryPerSecond: 0.1, burst: DEFAULT_BURST };
}

/** The request budget of one account and action. */
export class AdaptiveBudget {
  private rateAtMark: number;
  private mark: number;
  /** Calls that may go out at once after a quiet spell: the bucket's size. */
  private readonly capacity: number;
  /** Calls that may go out now (a token bucket holding at most `capacity`). */
  private tokens: number;
  private tokensAt: number;
  /** Calls waiting for a slot, first come first served. */
  private readonly waiting: Array<() => void> = [];
  private cancelTimer: (() => void) | undefined;
  private throttles = 0;

  constructor(
    readonly policy: BudgetPolicy,
    private readonly clock: Clock,
  ) {
    this.rateAtMark = policy.ceiling;
    this.mark = this.tokensAt = clock.now();
    this.capacity = this.tokens = Math.max(1, policy.burst);
  }

  /** Requests per second allowed now. */
  rate(): number {
    const p = this.policy;
    const regained = ((this.clock.now() - this.mark) / 1000) * p.recoveryPerSecond * p.ceiling;
    return Math.min(p.ceiling, this.rateAtMark + regained);
  }

  /** How many throttled answers this budget has seen. */
  get throttledCount(): number {
    return this.throttles;
  }

  /**
   * Waits for the next slot. Slots are granted in arrival order at the rate in force when each is
   * granted, so calls already waiting slow down as soon as the cloud throttles.
   */
  acquire(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.release();
    });
  }

  /** Records a throttled answer: the rate drops, and the next slot is a full interval away at the new rate. */
  throttled(): void {
    const p = this.policy;
    this.refill();
    this.throttles++;
    this.rateAtMark = Math.max(p.floor, this.rate() * p.decrease);
    this.mark = this.clock.now();
    this.tokens = 0;
    if (this.cancelTimer) {
      this.cancelTimer();
      this.cancelTimer = undefined;
      this.release();
    }
  }

  private refill(): void {
    const now = this.clock.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.tokensAt) / 1000) * this.rate());
    this.tokensAt = now;
  }

  /** Grants the waiting calls a slot is there for, and sets a timer for the next one. */
  private release(): void {
    if (this.cancelTimer) return;
    while (this.waiting.length) {
      this.refill();
      if (this.tokens < 1 - 1e-9) {
        this.cancelTimer = this.clock.timer(((1 - this.tokens) * 1000) / this.rate(), () => {
          this.cancelTimer = undefined;
          this.release();
        });
        return;
      }
      this.tokens -= 1;
      this.waiting.shift()!();
    }
  }
}

/** Budgets by key (endpoint, account digest, action), created on first use. */
export class BudgetRegistry {
  private readonly budgets = new Map<string, AdaptiveBudget>();

  constructor(
    private readonly policyFor: (action: string) => BudgetPolicy,
    private readonly clock: Clock,
  ) {}

  /** The budget of `action` under `key`. */
  get(key: string, action: string): AdaptiveBudget {
    let b = this.budgets.get(key);
    if (!b) this.budgets.set(key, (b = new AdaptiveBudget(this.policyFor(action), this.clock)));
    return b;
  }

  /** Forgets every budget (tests). */
  clear(): void {
    this.budgets.clear();
  }
}
