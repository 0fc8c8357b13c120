/**
 * Watching many images with few calls. Every request of a group (one endpoint, account and region)
 * is answered by the same DescribeImages calls: when a look is due, every image of the group whose
 * look is due soon goes into it too, up to the call's 100 ids. A plain describe is a watch whose
 * first look is now, so concurrent describes share a call as well; one that comes while a look is
 * out waits for its answer and goes with the others that came meanwhile, in the next call (a lone
 * describe is never held).
 *
 * Each watched transition (`gone` after DeleteImages, `settled` out of a busy state, …) is first
 * looked at after its expected duration, learnt from what this process has seen, then at intervals
 * that back off to a cap, until it is done or its deadline passes.
 */
import type { Clock } from "./clock";
import { intervalAfterLook, LookSchedule, TransitionEstimate } from "./schedule";

/**
 * Looks up ids at once; an id missing from the answer is no longer listed, an id answered with an
 * Error failed on its own (the others of the call still count).
 */
export type Look<T, C> = (ids: string[], context: C) => Promise<Map<string, T | Error>>;

/** One image to watch. */
export interface WatchRequest<T, C> {
  id: string;
  /** What the look needs (credentials, region, timeouts); the first request of a call provides it. */
  context: C;
  /** True when the wait is over; `facts` is null once the image is no longer listed. */
  done(facts: T | null): boolean;
  /** Epoch ms; the watch fails with {@link WatchTimeout} after a look at or past it. */
  deadline: number;
  /** The transition waited for, e.g. `gone`; none for a single look now. */
  transition?: string;
  /** Epoch ms the transition began (default: now). */
  since?: number;
  /**
   * A plain describe (no `transition`) that may wait this long, ms, for other describes to share its
   * call; it goes with any look that goes out before then. Default 0: at once.
   */
  shareWithinMs?: number;
  /**
   * A plain describe that may also wait as long as the looks at watched transitions are spaced now
   * (none while few are watched; see {@link WatchOptions.lookGapPerImageMs}): with many watched, it
   * rides along with their next look.
   */
  paced?: boolean;
}

/** A watch ran out of time; `last` is what the last look saw (null: no longer listed). */
export class WatchTimeout<T> extends Error {
  override name = "WatchTimeout";
  constructor(
    readonly id: string,
    readonly last: T | null,
  ) {
    super(`timed out watching ${id}`);
  }
}

/** How a watcher spaces and groups its looks. */
export interface WatchOptions {
  schedule: LookSchedule;
  /** First guess of each transition's duration, ms, until this process has seen some. */
  guessMs(transition: string): number;
  /** Most ids per look. */
  maxIds: number;
  /** An entry joins a look that is due within this share of its own current interval. */
  aheadShare: number;
  /**
   * Once a transition's duration has been observed, the first look comes this share of it early,
   * and the second after that share again (later ones back off from there): a first look that
   * already sees it done lowers the estimate, so it follows the real duration down instead of
   * staying at the first upper bound.
   */
  probeShare: number;
  /**
   * Watched transitions' looks are spaced at least this long per watched image, up to
   * {@link WatchOptions.maxLookGapMs}: a few watches are looked at on time, many share fewer,
   * fuller calls. A plain describe is never held back.
   */
  lookGapPerImageMs: number;
  /** The most a due look of watched transitions waits for the previous one, ms. */
  maxLookGapMs: number;
  /** How many watched images are looked at on time: only those beyond count towards the look gap. */
  onTimeWatches: number;
}

interface Entry<T, C> {
  request: WatchRequest<T, C>;
  since: number;
  nextAt: number;
  looks: number;
  /** The early first look's lead (0: none), which is also the interval to the second look. */
  probeMs: number;
  inFlight: boolean;
  resolve(facts: T | null): void;
  reject(error: unknown): void;
}

/** The watches of one group. */
export class Watcher<T, C> {
  private readonly entries = new Set<Entry<T, C>>();
  private readonly estimates = new Map<string, TransitionEstimate>();
  private armedAt: number | undefined;
  /** When the last look of watched transitions went out. */
  private lastLookAt = -Infinity;
  /** Looks sent and not answered yet: a plain describe that comes meanwhile waits to share the next one. */
  private looksInFlight = 0;
  private cancel: (() => void) | undefined;
  /** Looks made (calls), for tests and the benchmark. */
  looksMade = 0;

  constructor(
    private readonly look: Look<T, C>,
    private readonly clock: Clock,
    private readonly options: WatchOptions,
  ) {}

  /** Resolves with the facts that ended the wait (null: no longer listed). */
  watch(request: WatchRequest<T, C>): Promise<T | null> {
    return new Promise((resolve, reject) => {
      const since = request.since ?? this.clock.now();
      const wait =
        request.transition === undefined ? Math.max(request.shareWithinMs ?? 0, request.paced ? this.lookGap() : 0) : 0;
      let first = this.clock.now() + wait;
      let probeMs = 0;
      if (request.transition !== undefined) {
        const estimate = this.estimate(request.transition);
        const expected = estimate.expectedMs();
        probeMs = estimate.observations > 0 ? expected * this.options.probeShare : 0;
        first = since + expected - probeMs;
      }
      this.entries.add({
        request,
        since,
        nextAt: Math.min(first, request.deadline),
        looks: 0,
        probeMs,
        inFlight: false,
        resolve,
        reject,
      });
      this.arm();
    });
  }

  /** How many images are being watched. */
  get size(): number {
    return this.entries.size;
  }

  /** The expected duration of a transition, as learnt so far. */
  expectedMs(transition: string): number {
    return this.estimate(transition).expectedMs();
  }

  private estimate(transition: string): TransitionEstimate {
    let e = this.estimates.get(transition);
    if (!e) this.estimates.set(transition, (e = new TransitionEstimate(this.options.guessMs(transition))));
    return e;
  }

  /**
   * The delay after the entry's next look. Once the transition's duration is known, looks close in
   * on it: the early look, the one on time, then intervals growing from the early look's lead (an
   * image a little late is seen a little late, not a whole step later).
   */
  private interval(e: Entry<T, C>): number {
    const s = this.options.schedule;
    if (e.probeMs > 0) return intervalAfterLook({ ...s, stepMs: e.probeMs }, e.looks);
    return intervalAfterLook(s, e.looks);
  }

  /** How long after the last look of watched transitions the next may go out. */
  private lookGap(): number {
    const spaced = Math.max(0, this.entries.size - this.options.onTimeWatches);
    return Math.min(this.options.maxLookGapMs, spaced * this.options.lookGapPerImageMs);
  }

  private arm(): void {
    let earliest = Infinity;
    let describe = false;
    for (const e of this.entries) {
      if (e.inFlight) continue;
      const plain = e.request.transition === undefined;
      // A plain describe goes at once when no look is out; otherwise it joins the look that goes
      // when the answer comes (so describes that arrive one by one share calls).
      if (plain && this.looksInFlight > 0) continue;
      earliest = Math.min(earliest, e.nextAt);
      describe ||= plain;
    }
    if (earliest === Infinity) return;
    if (!describe) earliest = Math.max(earliest, this.lastLookAt + this.lookGap());
    if (this.armedAt !== undefined && this.armedAt <= earliest) return;
    this.cancel?.();
    this.armedAt = earliest;
    this.cancel = this.clock.timer(earliest - this.clock.now(), () => {
      this.armedAt = undefined;
      this.cancel = undefined;
      void this.tick();
    });
  }

  private async tick(): Promise<void> {
    const now = this.clock.now();
    const due = [...this.entries]
      // A plain describe takes any look (it waits only to share
      // one); a watched transition joins a look due soon enough.
      .filter(
        (e) =>
          !e.inFlight &&
          (e.request.transition === undefined || e.nextAt <= now + this.options.aheadShare * this.interval(e)),
      )
      .sort((a, b) => a.nextAt - b.nextAt);
    const calls: Entry<T, C>[][] = [];
    for (let i = 0; i < due.length; i += this.options.maxIds) calls.push(due.slice(i, i + this.options.maxIds));
    for (const e of due) e.inFlight = true;
    if (due.some((e) => e.request.transition !== undefined)) this.lastLookAt = now;
    this.looksInFlight += calls.length;
    this.arm();
    await Promise.all(calls.map((batch) => this.lookAt(batch, now)));
  }

  /**
   * One look at `batch`, due at `sentAt`: durations and the next looks count from then (an answer
   * that is slow to come back neither lengthens the estimate nor delays the next look).
   */
  private async lookAt(batch: Entry<T, C>[], sentAt: number): Promise<void> {
    let found: Map<string, T | Error>;
    try {
      this.looksMade++;
      found = await this.look([...new Set(batch.map((e) => e.request.id))], batch[0]!.request.context);
    } catch (error) {
      this.looksInFlight--;
      for (const e of batch) this.finish(e, () => e.reject(error));
      this.arm();
      return;
    }
    this.looksInFlight--;
    const now = this.clock.now();
    for (const e of batch) {
      const answer = found.get(e.request.id) ?? null;
      if (answer instanceof Error) {
        this.finish(e, () => e.reject(answer));
        continue;
      }
      const facts = answer;
      let done: boolean;
      try {
        done = e.request.done(facts);
      } catch (error) {
        this.finish(e, () => e.reject(error));
        continue;
      }
      if (done) {
        if (e.request.transition !== undefined) this.estimate(e.request.transition).observe(sentAt - e.since);
        this.finish(e, () => e.resolve(facts));
      } else if (now >= e.request.deadline) {
        this.finish(e, () => e.reject(new WatchTimeout(e.request.id, facts)));
      } else {
        e.nextAt = Math.min(Math.max(now, sentAt + this.interval(e)), e.request.deadline);
        e.looks++;
        e.inFlight = false;
      }
    }
    this.arm();
  }

  private finish(e: Entry<T, C>, settle: () => void): void {
    this.entries.delete(e);
    settle();
  }
}
