/**
 * The per-process image fleet: for each endpoint, account and region, one {@link Watcher} through
 * which every resource operation of the process describes images and waits for them, so that
 * concurrent operations share DescribeImages calls (up to 100 ids each) and each transition is
 * looked at on a schedule fitted to it instead of a fixed interval per image.
 */
import { createHash } from "node:crypto";
import { ApiError } from "./call";
import { describeImages } from "./images";
import type { Settings } from "./settings";
import type { ImageFacts } from "../schema/types";
import { processState } from "./process";
import { Watcher, WatchTimeout } from "./watch";

export { WatchTimeout };

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
 * The image as DescribeImages lists it now (null: not listed), sharing the call with concurrent
 * describes. `shareWithinMs` lets it wait that long for others to share the call with; `paced`, as
 * long as the looks at watched images are spaced now (with many deletes in flight, it rides along
 * with their next look).
 */
export function describeImageNow(
  s: Settings,
  imageId: string,
  o: { shareWithinMs?: number; paced?: boolean } = {},
): Promise<ImageFacts | null> {
  return watcherFor(s).watch({
    id: imageId,
    context: s,
    done: () => true,
    deadline: Infinity,
    shareWithinMs: o.shareWithinMs,
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
