/**
 * What the cloud shows of a retention's scope (read-only): the account's custom images in the
 * region (one paged DescribeImages listing), and for the images that may retire their shares
 * (DescribeImageSharePermission) and what uses them (the process's shared usage scan). Then the
 * plan (`plan-rules.ts`). The provider's verbs, `cvm-image prune` and the preflight all plan here.
 */
import { callApi, type CallOptions } from "../cloud/call";
import { toFacts } from "../cloud/images";
import { pageThrough, scanUsage, sharedUsageScan } from "../cloud/usage";
import { imageUsage } from "../cloud/usage-rules";
import type { Env, Settings } from "../cloud/settings";
import { sharesOf } from "../provider/common";
import type { RetentionSpec } from "../schema/retention";
import { candidates, planRetention, type RetentionDecision, type ScopeImage } from "./plan-rules";

/** How many share listings run at once (the call layer's budget paces them). */
const SHARE_LISTINGS_AT_ONCE = 16;

/** The account's custom images in the settings' region. */
export async function listOwnImages(s: Settings, opts?: CallOptions): Promise<ScopeImage[]> {
  const set = await pageThrough("ImageSet", (Offset, Limit) =>
    callApi(s, "DescribeImages", { Filters: [{ Name: "image-type", Values: ["PRIVATE_IMAGE"] }], Offset, Limit }, opts),
  );
  return set.map((raw) => toFacts(raw)).filter((i) => i.imageType === "PRIVATE_IMAGE");
}

/** Runs `work` over `items`, at most `n` at once, keeping the order of the results. */
async function inTurns<T, R>(items: readonly T[], n: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, lane));
  return out;
}

/**
 * How the scope is read: the call options, and `env` when the usage scan must read another
 * environment than the process's (the preflight's): the scan is then its own, not the process's shared one.
 */
export type ScopeOptions = CallOptions & { env?: Env };

/** The scope's images, those that may retire with their shares and usage; images found gone are dropped. */
export async function observeScope(
  s: Settings,
  spec: RetentionSpec,
  now: number,
  opts: ScopeOptions = {},
): Promise<ScopeImage[]> {
  const { env, ...callOptions } = opts;
  const images = await listOwnImages(s, callOptions);
  const mayRetire = candidates(images, spec, now);
  if (!mayRetire.length) return images;
  const scan = await (env ? scanUsage(s, callOptions, env) : sharedUsageScan(s, callOptions));
  const looked = new Map<string, ScopeImage | null>();
  await inTurns(mayRetire, SHARE_LISTINGS_AT_ONCE, async (image) => {
    const shares = await sharesOf(s, image, opts.deadline);
    looked.set(image.imageId, shares ? { ...image, shares, usage: imageUsage(scan, image.imageId) } : null);
  });
  return images.flatMap((i) => {
    const seen = looked.get(i.imageId);
    return seen === undefined ? [i] : seen ? [seen] : [];
  });
}

/** Observes the scope and plans it: what one `up` would do with each image of the scope, newest first. */
export async function planScope(
  s: Settings,
  spec: RetentionSpec,
  now: number = Date.now(),
  opts: ScopeOptions = {},
): Promise<{ images: ScopeImage[]; decisions: RetentionDecision[] }> {
  const images = await observeScope(s, spec, now, opts);
  return { images, decisions: planRetention(images, spec, now, s.region) };
}
