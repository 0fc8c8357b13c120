/**
 * The per-process image fleet: for each endpoint, account and region, one {@link Watcher} through
 * which every resource operation of the process describes images and waits for them, so that
 * concurrent operations share DescribeImages calls (up to 100 ids each) and each transition is
 * looked at on a schedule fitted to it instead of a fixed interval per image.
 *
 * Watching many images with few calls. Every request of a group (one endpoint, account and region)
 * is answered by the same DescribeImages calls: when a look is due, every image of the group whose
 * look is due soon goes into it too, up to the call's 100 ids. A plain describe is a watch whose
 * first look is now, so concurrent describes share a call as well; one that comes while a look is
 * out waits for its answer and goes with the others that came meanwhile, in the next call (a lone
 * describe is never held).
 *
 * Each watched transition (`gone` after DeleteImages, `settled` out of a busy state, …) is first
 * looked at after its expected duration, learnt from what this process has seen, then at intervals
 * that back off to a cap, until it is done or its deadline passes. The expected duration starts
 * from a guess and must be learnt: a deleted image stays listed for a while, and how long is not
 * documented and differs between clouds and emulator settings.
 */
import { createHash } from "node:crypto";
import { ApiError } from "./call";
import { describeImages } from "./images";
import type { Settings } from "./settings";
import type { ImageFacts } from "../schema/types";
import { processState, type Clock } from "./process";

// When to look at an image that is expected to change: a first look soon after the transition's expected
// duration, then backing off to a cap.

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
  /** When an early look last found the transition not done yet (epoch ms). */
  private missedProbeAt = -Infinity;

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

  /**
   * Whether a watch that starts now looks early: not within `pauseMs` of an early look that came too
   * soon (the estimate is then at the real duration, and probing every watch would double its looks).
   */
  probing(now: number, pauseMs: number): boolean {
    return this.observed.length > 0 && now - this.missedProbeAt >= pauseMs;
  }

  /** An early look found the transition not done yet. */
  missedProbe(now: number): void {
    this.missedProbeAt = now;
  }

  /** Records one observed duration. */
  observe(ms: number): void {
    this.observed.push(Math.max(0, ms));
    if (this.observed.length > this.keep) this.observed.shift();
  }
}

// The watcher: the watches of one group, and their looks.

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
  /** After an early look came too soon, watches starting within this long look on time only, ms. */
  probePauseMs: number;
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
  /** True when the first look comes early by `probeMs`. */
  probing: boolean;
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
      let probing = false;
      if (request.transition !== undefined) {
        const estimate = this.estimate(request.transition);
        const expected = estimate.expectedMs();
        probeMs = estimate.observations > 0 ? expected * this.options.probeShare : 0;
        probing = probeMs > 0 && estimate.probing(this.clock.now(), this.options.probePauseMs);
        first = since + expected - (probing ? probeMs : 0);
      }
      this.entries.add({
        request,
        since,
        nextAt: Math.min(first, request.deadline),
        looks: 0,
        probeMs,
        probing,
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
        if (e.probing && e.looks === 0) this.estimate(e.request.transition!).missedProbe(now);
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

// The fleet: one watcher per endpoint, account and region.

/** The transitions the fleet learns durations for. */
export type Transition = "gone" | "settled";

/** Ids per DescribeImages call (the API's largest `ImageIds` list). */
export const DESCRIBE_MAX_IDS = 100;
/** First interval after the first look, ms. */
export const LOOK_STEP_MS = 500;
/** Factor between consecutive look intervals. */
export const LOOK_BACKOFF = 1.5;
/** How early the first look comes once a transition's duration is known, as a share of it. */
export const LOOK_PROBE_SHARE = 0.02;
/**
 * How long after an early look that came too soon the watches look on time only, ms: a destroy of
 * many images then makes one look per `DeleteImages` batch instead of two, and a lag that shortens is
 * still followed down within seconds.
 */
export const LOOK_PROBE_PAUSE_MS = 5000;
/**
 * How many watched images are looked at on time, each when its own look is due: Pulumi's default
 * parallelism on a small machine (8) runs that many deletes at once, and their few looks cost
 * nothing against DescribeImages' 40/s, while a look held back holds up the engine.
 */
export const ON_TIME_WATCHES = 8;
/**
 * Spacing of the looks at watched transitions per watched image beyond {@link ON_TIME_WATCHES}, ms
 * (many share calls): 64 deletes in flight look once a second (0.09 DescribeImages per image for
 * 1,000 at `--parallel 64`; a spacing of 8 ms and a cap of 400 ms gave 0.13).
 */
export const LOOK_GAP_PER_IMAGE_MS = 18;
/** The longest spacing of the looks at watched transitions, ms. */
export const MAX_LOOK_GAP_MS = 1000;
/** First guess of a transition's duration, ms, until the process has seen one (capped by the poll cap). */
export const TRANSITION_GUESS_MS = 1000;

/**
 * The group an operation belongs to: endpoint, account and region. The SecretId enters only as a
 * digest, so the key names no credential.
 */
export function fleetKey(s: Pick<Settings, "protocol" | "endpoint" | "secretId" | "region">): string {
  const account = createHash("sha256").update(s.secretId).digest("hex").slice(0, 16);
  return `${s.protocol}${s.endpoint}|${account}|${s.region}`;
}

/** True for an error that may concern only some ids of a DescribeImages call (so each is asked alone). */
function dependsOnIds(e: unknown): boolean {
  return e instanceof ApiError && /^(InvalidImageId|InvalidParameterValue|InvalidParameter)\b/.test(e.code ?? "");
}

/** DescribeImages for `ids`, splitting a refused call until the id at fault answers on its own. */
export async function lookUp(s: Settings, ids: string[]): Promise<Map<string, ImageFacts | Error>> {
  try {
    return await describeImages(s, ids);
  } catch (e) {
    if (!dependsOnIds(e)) throw e;
    if (ids.length === 1) return new Map([[ids[0]!, e as Error]]);
    const half = Math.ceil(ids.length / 2);
    const [a, b] = await Promise.all([lookUp(s, ids.slice(0, half)), lookUp(s, ids.slice(half))]);
    return new Map([...a, ...b]);
  }
}

/**
 * The watcher of the settings' group, made on first use on the process's clock (the fleet is `processState.watchers`).
 */
function watcherFor(s: Settings): Watcher<ImageFacts, Settings> {
  const { watchers, clock } = processState;
  const key = fleetKey(s);
  let w = watchers.get(key);
  if (!w) {
    const cap = Math.max(1, s.tuning.pollMs);
    w = new Watcher<ImageFacts, Settings>((ids, settings) => lookUp(settings, ids), clock, {
      schedule: { stepMs: Math.min(LOOK_STEP_MS, cap), factor: LOOK_BACKOFF, capMs: cap },
      guessMs: () => Math.min(TRANSITION_GUESS_MS, cap),
      maxIds: DESCRIBE_MAX_IDS,
      aheadShare: 0.5,
      probeShare: LOOK_PROBE_SHARE,
      probePauseMs: LOOK_PROBE_PAUSE_MS,
      lookGapPerImageMs: LOOK_GAP_PER_IMAGE_MS,
      onTimeWatches: ON_TIME_WATCHES,
      maxLookGapMs: MAX_LOOK_GAP_MS,
    });
    watchers.set(key, w);
  }
  return w;
}

/**
 * How long a describe that comes with many others (a delete's first look, while an operation
 * deletes many images) may wait to share their call, ms: as long as a delete waits to share its
 * DeleteImages call (`CVM_IMAGE_DELETE_BATCH_WINDOW_MS`' default).
 */
export const DESCRIBE_SHARE_WINDOW_MS = 25;

/**
 * How long a describe of a crowded operation may wait for others to share its call, ms, while more
 * than {@link ON_TIME_WATCHES} run at once: a refresh or an adoption of many images at high
 * parallelism is paced by its share listings (10/s), so its reads come one by one and each would
 * look alone; a second's wait costs nothing against the listings queued behind it, and gathers
 * about ten describes per call.
 */
export const CROWD_SHARE_WINDOW_MS = 1000;
/**
 * How long a delete's first look may wait for others while the process is crowded, ms: half a second.
 * The deletes' looks at the images they wait to see gone go out about that often and carry it, and a
 * delete holds an engine slot while it waits (refreshes and creates wait on their share listings
 * anyway). 300 images at `--parallel 64`: 1 s gave 0.11 `DescribeImages` per image and a destroy
 * 2–4 s longer; 300 ms, 0.14–0.15.
 */
export const DELETE_CROWD_SHARE_WINDOW_MS = 500;

/** Runs one refresh, create or delete counted among the operations in flight (`processState.operationsInFlight`). */
export async function inCrowd<T>(work: () => Promise<T>): Promise<T> {
  processState.operationsInFlight++;
  try {
    return await work();
  } finally {
    processState.operationsInFlight--;
  }
}

/** The wait of a crowded describe now: `windowMs` while many operations run, else none. */
export function crowdShareWindowMs(windowMs = CROWD_SHARE_WINDOW_MS): number {
  return processState.operationsInFlight > ON_TIME_WATCHES ? windowMs : 0;
}

/**
 * The image as DescribeImages lists it now (null: not listed), sharing the call with concurrent
 * describes. `shareWithinMs` lets it wait that long for others to share the call with; `paced`, as
 * long as the looks at watched images are spaced now (with many deletes in flight, it rides along
 * with their next look); `crowd`, a describe of a refresh, a create (`true`: up to
 * {@link CROWD_SHARE_WINDOW_MS}) or a delete (its own wait, ms), as long as {@link crowdShareWindowMs} says.
 */
export function describeImageNow(
  s: Settings,
  imageId: string,
  o: { shareWithinMs?: number; paced?: boolean; crowd?: boolean | number } = {},
): Promise<ImageFacts | null> {
  return watcherFor(s).watch({
    id: imageId,
    context: s,
    done: () => true,
    deadline: Infinity,
    shareWithinMs: Math.max(
      o.shareWithinMs ?? 0,
      o.crowd === undefined || o.crowd === false ? 0 : crowdShareWindowMs(o.crowd === true ? undefined : o.crowd),
    ),
    paced: o.paced,
  });
}

/**
 * Waits until `done(facts)` (facts null: no longer listed), looking on the transition's schedule;
 * throws {@link WatchTimeout} with the last facts at the deadline.
 */
export function watchImage(
  s: Settings,
  imageId: string,
  done: (facts: ImageFacts | null) => boolean,
  deadline: number,
  transition: Transition,
  since?: number,
): Promise<ImageFacts | null> {
  return watcherFor(s).watch({ id: imageId, context: s, done, deadline, transition, since });
}
