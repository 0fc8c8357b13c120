/**
 * One request budget per account and action for the whole process, adapting to the cloud. The
 * documented rate is a ceiling, not a promise: other processes (other stacks, CI runners) spend the
 * same account's budget. A throttled answer (`RequestLimitExceeded`) halves the rate; each second
 * without one wins back a fraction of the ceiling (additive increase, multiplicative decrease).
 * Calls are spaced evenly at the current rate, so this process alone never bursts past it.
 */
import type { Clock } from "./clock";

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
}

/** The default adaptation for an action documented at `ceiling` requests per second. */
export function defaultPolicy(ceiling: number): BudgetPolicy {
  return { ceiling, floor: Math.min(1, ceiling), decrease: 0.5, recoveryPerSecond: 0.1 };
}

/** The request budget of one account and action. */
export class AdaptiveBudget {
  private rateAtMark: number;
  private mark: number;
  private nextSlot = 0;
  private throttles = 0;

  constructor(
    readonly policy: BudgetPolicy,
    private readonly clock: Clock,
  ) {
    this.rateAtMark = policy.ceiling;
    this.mark = clock.now();
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

  /** Waits for the next slot at the current rate. */
  async acquire(): Promise<void> {
    const now = this.clock.now();
    const slot = Math.max(now, this.nextSlot);
    this.nextSlot = slot + 1000 / this.rate();
    if (slot > now) await this.clock.sleep(slot - now);
  }

  /** Records a throttled answer: the rate drops, and the next slot moves out accordingly. */
  throttled(): void {
    const p = this.policy;
    this.throttles++;
    this.rateAtMark = Math.max(p.floor, this.rate() * p.decrease);
    this.mark = this.clock.now();
    this.nextSlot = Math.max(this.nextSlot, this.clock.now() + 1000 / this.rateAtMark);
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
