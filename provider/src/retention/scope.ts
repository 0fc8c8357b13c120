/**
 * What the cloud shows of a retention's scope (read-only): the account's custom images in the
 * region (one paged DescribeImages listing), and for the images that may retire their shares
 * (DescribeImageSharePermission) and what uses them (the process's shared usage scan). Then the
 * plan (`plan-rules.ts`). The provider's verbs, `cvm-image prune` and the preflight all plan here.
 */
import { callApi, type CallOptions } from "../cloud/call";
import { toFacts } from "../cloud/images";
import { pageThroughAs, scanUsage, sharedUsageScan } from "../cloud/usage";
import { imageUsage } from "../cloud/usage-rules";
import type { Env, Settings } from "../cloud/settings";
import { sharesOf } from "../provider/common";
import type { RetentionSpec } from "../schema/retention";
import { candidates, changes, decideImage, rankScope, type RetentionDecision, type ScopeImage } from "./plan-rules";

/** How many share listings run at once (the call layer's budget paces them). */
const SHARE_LISTINGS_AT_ONCE = 16;

/** The account's custom images in the settings' region, with only what the planner reads of each. */
export async function listOwnImages(s: Settings, opts?: CallOptions): Promise<ScopeImage[]> {
  const filter = [{ Name: "image-type", Values: ["PRIVATE_IMAGE"] }];
  return pageThroughAs(
    "ImageSet",
    (Offset, Limit) => callApi(s, "DescribeImages", { Filters: filter, Offset, Limit }, opts),
    (raw) => {
      const f = toFacts(raw);
      if (f.imageType !== "PRIVATE_IMAGE") return undefined;
      const { imageId, imageName, imageType, imageState, imageCreator, snapshotIds, createdTime } = f;
      const { imageFamily, imageDeprecated, tags } = f;
      return {
        imageId,
        imageName,
        imageType,
        imageState,
        imageCreator,
        snapshotIds,
        createdTime,
        imageFamily,
        imageDeprecated,
        tags,
      };
    },
  );
}

/** Runs `work` over `items`, at most `n` at once; the first failure is thrown once no work is left running. */
async function inTurns<T>(items: readonly T[], n: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  // The first failure stops every lane from starting more; the calls in flight finish before it is thrown.
  const lane = async () => {
    while (next < items.length && !failure) {
      const item = items[next++]!;
      try {
        await work(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, lane));
  if (failure) throw failure.error;
}

/**
 * How the scope is read: the call options, and `env` when the usage scan must read another
 * environment than the process's (the preflight's): the scan is then its own, not the process's shared one.
 */
export type ScopeOptions = CallOptions & { env?: Env };

/** What a walk of the scope tells its caller about each image, as soon as its decision is made. */
export type OnDecision = (decision: RetentionDecision, image: ScopeImage) => "stop" | void;

/**
 * Walks the scope: lists the account's images, decides at once for those the scope keeps, then reads
 * the usage scan once and the shares of each image that may retire, deciding for each as soon as its
 * shares are read: `onDecision` can act on it while the other listings go on, or answer "stop" (no
 * more listings start). Returns the images (those that may retire with their shares and usage; those
 * found gone by their share listing dropped) and the decisions made, both in scope order (newest first).
 */
export async function walkScope(
  s: Settings,
  spec: RetentionSpec,
  now: number,
  opts: ScopeOptions = {},
  onDecision: OnDecision = () => undefined,
): Promise<{ images: ScopeImage[]; decisions: RetentionDecision[] }> {
  const { env, ...callOptions } = opts;
  const listed = await listOwnImages(s, callOptions);
  const { scope, ranks } = rankScope(listed, spec);
  const mayRetire = new Set(candidates(listed, spec, now).map((i) => i.imageId));
  const looked = new Map<string, { image: ScopeImage | null; decision?: RetentionDecision }>();
  let stopped = false;
  const decide = (image: ScopeImage) => {
    const decision = decideImage(image, ranks.get(image.imageId)!, spec, now, s.region);
    looked.set(image.imageId, { image, decision });
    if (onDecision(decision, image) === "stop") stopped = true;
  };
  for (const image of scope) if (!mayRetire.has(image.imageId) && !stopped) decide(image);
  const retiring = scope.filter((i) => mayRetire.has(i.imageId));
  if (retiring.length && !stopped) {
    const scan = await (env ? scanUsage(s, callOptions, env) : sharedUsageScan(s, callOptions));
    await inTurns(retiring, SHARE_LISTINGS_AT_ONCE, async (image) => {
      if (stopped) return;
      const shares = await sharesOf(s, image, opts.deadline);
      if (!shares) looked.set(image.imageId, { image: null });
      else decide({ ...image, shares, usage: imageUsage(scan, image.imageId) });
    });
  }
  const images = scope.flatMap((i) => {
    const seen = looked.get(i.imageId);
    return seen === undefined ? [i] : seen.image ? [seen.image] : [];
  });
  const decisions = scope.flatMap((i) => looked.get(i.imageId)?.decision ?? []);
  return { images, decisions };
}

/** Observes the scope and plans it: what one `up` would do with each image of the scope, newest first. */
export async function planScope(
  s: Settings,
  spec: RetentionSpec,
  now: number = Date.now(),
  opts: ScopeOptions = {},
): Promise<{ images: ScopeImage[]; decisions: RetentionDecision[] }> {
  return walkScope(s, spec, now, opts);
}

/** Whether anything is due in the scope now; stops listing shares at the first change found. */
export async function anyChangeDue(s: Settings, spec: RetentionSpec, now: number = Date.now()): Promise<boolean> {
  const { decisions } = await walkScope(s, spec, now, {}, (d) => (changes(d) ? "stop" : undefined));
  return decisions.some(changes);
}
