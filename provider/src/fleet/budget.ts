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
  /** Earliest time of the next grant. */
  private nextSlot = -Infinity;
  /** Calls waiting for a slot, first come first served. */
  private readonly waiting: Array<() => void> = [];
  private cancelTimer: (() => void) | undefined;
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

  /**
   * Waits for the next slot. Slots are granted in arrival order, each one interval at the rate in
   * force when it is granted after the previous one, so calls already waiting slow down as soon as
   * the cloud throttles.
   */
  acquire(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.release();
    });
  }

  /** Records a throttled answer: the rate drops, and the next slot moves out accordingly. */
  throttled(): void {
    const p = this.policy;
    const now = this.clock.now();
    this.throttles++;
    this.rateAtMark = Math.max(p.floor, this.rate() * p.decrease);
    this.mark = now;
    this.nextSlot = Math.max(this.nextSlot, now + 1000 / this.rateAtMark);
    if (this.cancelTimer) {
      this.cancelTimer();
      this.cancelTimer = undefined;
      this.release();
    }
  }

  /** Grants the waiting calls whose slot has come, and sets a timer for the next one. */
  private release(): void {
    if (this.cancelTimer) return;
    while (this.waiting.length) {
      const now = this.clock.now();
      if (this.nextSlot > now) {
        this.cancelTimer = this.clock.timer(this.nextSlot - now, () => {
          this.cancelTimer = undefined;
          this.release();
        });
        return;
      }
      const interval = 1000 / this.rate();
      // A timer that fires late keeps the schedule (no drift); an idle budget starts afresh.
      const slot = this.nextSlot > now - interval ? this.nextSlot : now;
      this.nextSlot = slot + interval;
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
