/**
 * Does what a retention plan decided, image by image. Each stage first records itself in tags on
 * the image, then acts, so a stop between the two is finished by the next `up` (the plan sees the
 * stage and repeats what is missing); a restore acts first and removes the tags last. Deletes go
 * through `CustomImage`'s delete (`deleteOne`: a fresh look and decision, share policy, batching,
 * the wait until gone, shares put back when it stops). One image's failure does not stop the others:
 * all are tried, then the failures are reported together.
 */
import { modifyImageAttribute } from "../cloud/images";
import { modifyShares } from "../cloud/sharing";
import { applyTags } from "../cloud/tags";
import type { Settings } from "../cloud/settings";
import { deleteOne } from "../provider/delete";
import { deleteTimeoutMs } from "../provider/deletion-rules";
import { causeOf } from "../provider/common";
import type { RetentionSpec } from "../schema/retention";
import {
  recordedShares,
  recordedStage,
  retirementDeleteSpec,
  retirementTagKeys,
  stageTags,
  changes,
  type RetentionDecision,
  type ScopeImage,
} from "./plan-rules";

/** How many images change at once (the call layer's budgets pace the calls). */
const CHANGES_AT_ONCE = 16;

/** What applying did with one decision. */
export interface Applied {
  decision: RetentionDecision;
  /** Why it failed (the cause, never a credential); absent when it was done. */
  error?: string;
}

/** One stage's calls for one image. */
async function applyOne(
  s: Settings,
  spec: RetentionSpec,
  d: RetentionDecision,
  image: ScopeImage,
  now: number,
  urn: string | undefined,
): Promise<void> {
  const recorded = recordedStage(image.tags);
  switch (d.action) {
    case "deprecate": {
      const since = d.stageStart ? Date.parse(d.stageStart) : now;
      await applyTags(s, image.imageId, stageTags("deprecated", since), []);
      await modifyImageAttribute(s, image.imageId, { imageDeprecated: true });
      return;
    }
    case "unshare": {
      const since = d.stageStart ? Date.parse(d.stageStart) : now;
      const accounts = [...new Set([...recordedShares(image.tags), ...(d.accounts ?? [])])];
      const stale = retirementTagKeys(image.tags).filter((k) => !(k in stageTags("unshared", since, accounts)));
      await applyTags(s, image.imageId, stageTags("unshared", since, accounts), stale);
      await modifyShares(s, image.imageId, d.accounts ?? [], "CANCEL");
      return;
    }
    case "restore": {
      const accounts = d.accounts ?? [];
      const missing = accounts.filter((a) => !(image.shares ?? []).includes(a));
      if (missing.length) await modifyShares(s, image.imageId, missing, "SHARE");
      if (image.imageDeprecated && recorded) await modifyImageAttribute(s, image.imageId, { imageDeprecated: false });
      await applyTags(s, image.imageId, {}, retirementTagKeys(image.tags));
      return;
    }
    case "delete": {
      const del = retirementDeleteSpec(image, spec, s.region);
      await deleteOne(del, Date.now() + deleteTimeoutMs(del), urn);
      return;
    }
    default:
      return;
  }
}

/** Runs `work` over `items`, at most `n` at once. */
async function inTurns<T>(items: readonly T[], n: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, lane));
}

/** Applies every changing decision (see the module comment); returns each decision with its failure, if any. */
export async function applyRetention(
  s: Settings,
  spec: RetentionSpec,
  decisions: readonly RetentionDecision[],
  images: readonly ScopeImage[],
  now: number,
  urn?: string,
): Promise<Applied[]> {
  const byId = new Map(images.map((i) => [i.imageId, i]));
  const failures = new Map<string, string>();
  await inTurns(decisions.filter(changes), CHANGES_AT_ONCE, async (d) => {
    try {
      await applyOne(s, spec, d, byId.get(d.imageId)!, now, urn);
    } catch (e) {
      failures.set(d.imageId, causeOf(e));
    }
  });
  return decisions.map((decision) => ({
    decision,
    ...(failures.has(decision.imageId) ? { error: failures.get(decision.imageId) } : {}),
  }));
}
