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

/**
 * How many images change at once (the call layer's budgets pace the calls, and the deletes share
 * their DeleteImages calls and their waits until gone): a delete holds its turn through the deletion
 * lag, so 16 at once made about 6 deletes a second; 200 leave the rate limits to decide.
 */
export const CHANGES_AT_ONCE = 200;

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

/**
 * Applies changing decisions as they are handed over (while the scope's other share listings go on),
 * at most {@link CHANGES_AT_ONCE} at once; {@link ChangeRunner.settled} waits for all of them and
 * gives the failures by image id. One image's failure does not stop the others.
 */
export class ChangeRunner {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly started: Promise<void>[] = [];
  private readonly failures = new Map<string, string>();

  constructor(
    private readonly s: Settings,
    private readonly spec: RetentionSpec,
    private readonly now: number,
    private readonly urn?: string,
  ) {}

  /** How many changes were handed over. */
  handedOver = 0;

  /** Starts applying `d` to `image` (a decision that changes nothing is ignored). */
  add(d: RetentionDecision, image: ScopeImage): void {
    if (!changes(d)) return;
    this.handedOver++;
    this.started.push(this.inTurn(() => applyOne(this.s, this.spec, d, image, this.now, this.urn), d.imageId));
  }

  /** Waits for every change handed over; the failures, by image id (the cause, never a credential). */
  async settled(): Promise<Map<string, string>> {
    await Promise.all(this.started);
    return this.failures;
  }

  private async inTurn(work: () => Promise<void>, imageId: string): Promise<void> {
    if (this.running >= CHANGES_AT_ONCE) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    try {
      await work();
    } catch (e) {
      this.failures.set(imageId, causeOf(e));
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}

/** Each decision with its failure, if any. */
export function withFailures(decisions: readonly RetentionDecision[], failures: Map<string, string>): Applied[] {
  return decisions.map((decision) => ({
    decision,
    ...(failures.has(decision.imageId) ? { error: failures.get(decision.imageId) } : {}),
  }));
}

/** Applies every changing decision of a plan made beforehand (see the module comment). */
export async function applyRetention(
  s: Settings,
  spec: RetentionSpec,
  decisions: readonly RetentionDecision[],
  images: readonly ScopeImage[],
  now: number,
  urn?: string,
): Promise<Applied[]> {
  const byId = new Map(images.map((i) => [i.imageId, i]));
  const runner = new ChangeRunner(s, spec, now, urn);
  for (const d of decisions) runner.add(d, byId.get(d.imageId)!);
  return withFailures(decisions, await runner.settled());
}
