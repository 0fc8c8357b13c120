/**
 * When to look at an image that is expected to change: a first look soon after the transition's
 * expected duration, then backing off to a cap. The expected duration is learnt from the
 * transitions this process has seen (a deleted image stays listed for a while; how long is not
 * documented and differs between clouds and emulator settings), starting from a guess.
 */

/** How looks are spaced. */
export interface LookSchedule {
  /** First interval after the first look, ms. */
  stepMs: number;
  /** Factor between consecutive intervals. */
  factor: number;
  /** Longest interval, ms. */
  capMs: number;
}

/** The delay between look `n` (0 = the first look after the expected duration) and look `n + 1`. */
export function intervalAfterLook(s: LookSchedule, n: number): number {
  return Math.min(s.capMs, s.stepMs * Math.pow(s.factor, Math.max(0, n)));
}

/**
 * The expected duration of one kind of transition, from the durations observed (each the time from
 * the start of the transition to the sending of the first look that saw it done: an upper bound).
 * The lower quartile of the last observations: one slow image does not slow every later look, and
 * an early look that sees it done brings the estimate down within a few transitions. The guess
 * until there are any.
 */
export class TransitionEstimate {
  private readonly observed: number[] = [];

  constructor(
    private readonly guessMs: number,
    private readonly keep = 25,
  ) {}

  /** The expected duration, ms. */
  expectedMs(): number {
    if (this.observed.length === 0) return this.guessMs;
    const sorted = [...this.observed].sort((a, b) => a - b);
    return sorted[Math.floor((sorted.length - 1) / 4)]!;
  }

  /** How many durations have been observed (0: the estimate is still the guess). */
  get observations(): number {
    return this.observed.length;
  }

  /** Records one observed duration. */
  observe(ms: number): void {
    this.observed.push(Math.max(0, ms));
    if (this.observed.length > this.keep) this.observed.shift();
  }
}
