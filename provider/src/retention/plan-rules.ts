/**
 * The retention planner: given the images of the account and region (with the shares and usage of
 * those that may retire) and an `ImageRetention`'s checked inputs, decide what one `up` does with
 * each image of the scope. Pure: the time is an argument.
 *
 * An image retires only when nothing keeps it: not among the newest, not young, not excluded, not
 * managed by a `CustomImage`, settled (NORMAL), and the deletion decision `CustomImage`'s delete
 * uses (`decideDeletion`, with every use blocking) lets it go. Its stages (deprecated, then
 * unshared) and their start time are tags on the image; an image that is kept again with such
 * tags is restored (not deprecated, its recorded shares back).
 */
import { parseAge, formatDuration } from "../schema/durations";
import {
  RETENTION_TAGS,
  RETIREMENT_STAGES,
  type RetentionAction,
  type RetentionSpec,
  type RetirementStage,
} from "../schema/retention";
import { DEFAULT_TIMEOUTS, USAGE_KINDS, type ImageFacts, type ImageUsage } from "../schema/types";
import { decideDeletion, type DeleteSpec } from "../provider/deletion-rules";

/** What the planner reads of an image; `shares` and `usage` only for those that may retire. */
export type ScopeImage = Pick<
  ImageFacts,
  | "imageId"
  | "imageName"
  | "imageType"
  | "imageState"
  | "imageCreator"
  | "snapshotIds"
  | "createdTime"
  | "imageFamily"
  | "imageDeprecated"
  | "tags"
> & {
  /** The accounts it is shared with now (listed for images that may retire). */
  shares?: string[];
  /** What uses it (read for images that may retire). */
  usage?: ImageUsage;
};

/** What one `up` does with one image of the scope, and why. */
export interface RetentionDecision {
  /** The image id (`img-…`). */
  imageId: string;
  /** The image name. */
  imageName: string;
  /** When the image was created (ISO), as DescribeImages reports it. */
  createdTime: string;
  /**
   * `keep`: nothing (kept); `wait`: retiring, in a stage's dwell; `restore`: kept again after a stage
   * began (undeprecate, shares back); `deprecate`, `unshare`, `delete`: the next stage now.
   */
  action: RetentionAction;
  /** Why, in a sentence. */
  reason: string;
  /** The retirement stage the image is in before this `up` (none: not retiring). */
  stage?: RetirementStage;
  /** When that stage began (ISO). */
  stageSince?: string;
  /**
   * For `deprecate` and `unshare`: the start the stage records (ISO): now, or the recorded start when
   * the stage is done again within its dwell.
   */
  stageStart?: string;
  /** When the next stage is due (ISO), for a retiring image. */
  nextStageDue?: string;
  /** `unshare`: the accounts whose shares are cancelled; `restore`: those shared again. */
  accounts?: string[];
}

/** Whether the image belongs to the scope: this account's custom image, and every scope criterion holds. */
export function inScope(image: ScopeImage, spec: RetentionSpec): boolean {
  if (image.imageType !== "PRIVATE_IMAGE") return false;
  if (spec.family !== undefined && image.imageFamily !== spec.family) return false;
  if (spec.namePrefix !== undefined && !image.imageName.startsWith(spec.namePrefix)) return false;
  return Object.entries(spec.tags ?? {}).every(([k, v]) => image.tags[k] === v);
}

/** Newest first (creation time, then id), so the order never depends on the listing's. */
export function newestFirst(a: ScopeImage, b: ScopeImage): number {
  const ta = Date.parse(a.createdTime) || 0;
  const tb = Date.parse(b.createdTime) || 0;
  return tb - ta || (a.imageId < b.imageId ? -1 : a.imageId > b.imageId ? 1 : 0);
}

/** The stage a retirement's tags record, and since when; undefined when the image is not retiring. */
export function recordedStage(tags: Record<string, string>): { stage: RetirementStage; since: number } | undefined {
  const stage = tags[RETENTION_TAGS.stage] as RetirementStage | undefined;
  if (!stage || !RETIREMENT_STAGES.includes(stage)) return undefined;
  const since = Date.parse(tags[RETENTION_TAGS.since] ?? "");
  return { stage, since: Number.isNaN(since) ? 0 : since };
}

/** The accounts a retirement recorded when it cancelled the image's shares. */
export function recordedShares(tags: Record<string, string>): string[] {
  return Object.keys(tags)
    .filter((k) => k.startsWith(RETENTION_TAGS.sharesPrefix))
    .sort(
      (a, b) =>
        Number(a.slice(RETENTION_TAGS.sharesPrefix.length)) - Number(b.slice(RETENTION_TAGS.sharesPrefix.length)),
    )
    .flatMap((k) => tags[k]!.split(" ").filter(Boolean));
}

/** How many accounts one `retention:shares.<n>` tag holds (values ≤ 255 characters; uins ≤ 20 digits). */
export const ACCOUNTS_PER_TAG = 12;

/** The tags that record a stage (and, for `unshared`, the cancelled shares); ISO time. */
export function stageTags(
  stage: RetirementStage,
  since: number,
  accounts: readonly string[] = [],
): Record<string, string> {
  const tags: Record<string, string> = {
    [RETENTION_TAGS.stage]: stage,
    [RETENTION_TAGS.since]: new Date(since).toISOString(),
  };
  for (let i = 0; i * ACCOUNTS_PER_TAG < accounts.length; i++)
    tags[`${RETENTION_TAGS.sharesPrefix}${i}`] = accounts
      .slice(i * ACCOUNTS_PER_TAG, (i + 1) * ACCOUNTS_PER_TAG)
      .join(" ");
  return tags;
}

/** The retirement tags on an image (to remove when it is restored or deleted). */
export function retirementTagKeys(tags: Record<string, string>): string[] {
  return Object.keys(tags).filter(
    (k) => k === RETENTION_TAGS.stage || k === RETENTION_TAGS.since || k.startsWith(RETENTION_TAGS.sharesPrefix),
  );
}

/**
 * Why the image is kept whatever the cloud says of its shares and use (newest, young, excluded,
 * managed, busy); undefined when it may retire.
 */
export function keptByScope(image: ScopeImage, rank: number, spec: RetentionSpec, now: number): string | undefined {
  if (spec.keepNewest !== undefined && rank < spec.keepNewest)
    return `one of the ${spec.keepNewest} newest of the scope (number ${rank + 1})`;
  const young = spec.keepYoungerThan === undefined ? undefined : parseAge(spec.keepYoungerThan);
  const created = Date.parse(image.createdTime);
  if (young !== undefined && (Number.isNaN(created) || now - created < young))
    return `younger than ${spec.keepYoungerThan} (created ${image.createdTime || "at an unknown time"})`;
  if (spec.exclude?.imageIds?.includes(image.imageId)) return "excluded by id (exclude.imageIds)";
  const tag = Object.entries(spec.exclude?.tags ?? {}).find(([k, v]) => image.tags[k] === v);
  if (tag) return `excluded by its tag ${tag[0]}=${tag[1]} (exclude.tags)`;
  if (spec.managedImageIds?.includes(image.imageId)) return "managed by a CustomImage of this stack";
  if (image.imageState !== "NORMAL") return `busy (${image.imageState}); looked at again at the next up`;
  return undefined;
}

/**
 * The delete spec a retirement decides with: this image, the retention's share and snapshot policy,
 * and every use blocking (a retention never breaks what launches from an image).
 */
export function retirementDeleteSpec(image: ScopeImage, spec: RetentionSpec, region: string): DeleteSpec {
  return {
    imageId: image.imageId,
    imageName: image.imageName,
    region,
    ...(spec.profile ? { profile: spec.profile } : {}),
    sharedWith: [],
    ...(image.shares ? { knownShares: [...image.shares] } : {}),
    snapshotIds: image.snapshotIds,
    deletionPolicy: {
      unmanagedShares: spec.deletionPolicy?.unmanagedShares === "unshare" ? "unshare" : "block",
      deleteSnapshots: spec.deletionPolicy?.deleteSnapshots === true,
      inUse: Object.fromEntries(USAGE_KINDS.map((k) => [k, "block"])) as DeleteSpec["deletionPolicy"]["inUse"],
    },
    timeouts: { ...DEFAULT_TIMEOUTS },
    copies: {},
    recorded: { imageName: image.imageName, createdTime: image.createdTime },
  };
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** The dwell of each stage, ms (undefined: the stage is not configured). */
function dwellsOf(spec: RetentionSpec): Record<RetirementStage, number | undefined> {
  return {
    deprecated: spec.retire?.deprecate ? parseAge(spec.retire.deprecate) : undefined,
    unshared: spec.retire?.unshare ? parseAge(spec.retire.unshare) : undefined,
  };
}

/**
 * Whether the recorded stage is not in effect on the image (undeprecated, or shared again, by hand
 * or because the stage's call never went through): it is done again before the dwell counts.
 */
function stageUndone(image: ScopeImage, stage: RetirementStage, spec: RetentionSpec): boolean {
  const dwell = dwellsOf(spec);
  if (stage === "deprecated") return dwell.deprecated !== undefined && !image.imageDeprecated;
  return dwell.unshared !== undefined && (image.shares ?? []).length > 0;
}

type Base = Pick<RetentionDecision, "imageId" | "imageName" | "createdTime" | "stage" | "stageSince">;

/** The next stage of an image that may retire, from the stage it is in (pure; see the module comment). */
function nextStage(image: ScopeImage, base: Base, why: string, spec: RetentionSpec, now: number): RetentionDecision {
  const dwell = dwellsOf(spec);
  const shares = image.shares ?? [];
  const enter = (action: "deprecate" | "unshare", start: number, reason: string): RetentionDecision => ({
    ...base,
    action,
    reason: `${why}; ${reason}`,
    ...(action === "unshare" ? { accounts: shares } : {}),
    stageStart: iso(start),
    nextStageDue: iso(start + dwell[action === "deprecate" ? "deprecated" : "unshared"]!),
  });
  const unshareOrDelete = (): RetentionDecision =>
    dwell.unshared !== undefined && shares.length
      ? enter("unshare", now, `shares cancelled now, deleted after ${spec.retire!.unshare}`)
      : { ...base, action: "delete", reason: why };
  const recorded = recordedStage(image.tags);
  if (!recorded)
    return dwell.deprecated !== undefined
      ? enter("deprecate", now, `deprecated now, next stage after ${spec.retire!.deprecate}`)
      : unshareOrDelete();
  const due = recorded.since + (dwell[recorded.stage] ?? 0);
  if (stageUndone(image, recorded.stage, spec)) {
    // Within the dwell the stage keeps its start; past it (its call never went through, or it was
    // undone by hand) it starts again, so the whole dwell is served with the stage in effect.
    const within = now < due;
    const again = within ? "again (undone outside)" : "again: the dwell starts over";
    return recorded.stage === "deprecated"
      ? enter("deprecate", within ? recorded.since : now, `deprecated ${again}`)
      : enter("unshare", within ? recorded.since : now, `shares cancelled ${again}`);
  }
  if (now < due) {
    const since = formatDuration(Math.max(0, now - recorded.since));
    return { ...base, action: "wait", reason: `${why}; ${recorded.stage} for ${since}`, nextStageDue: iso(due) };
  }
  return recorded.stage === "deprecated" ? unshareOrDelete() : { ...base, action: "delete", reason: why };
}

/**
 * Whether an image mid-retirement is refused only because some use could not be checked (a listing
 * refused or failed): it then stays in its stage, neither retired further nor restored, until the
 * check goes through (restoring would share it again with accounts a stage cut off).
 */
function heldInStage(image: ScopeImage, spec: RetentionSpec, region: string): boolean {
  if (!recordedStage(image.tags) || !image.usage) return false;
  const checked: ImageUsage = { ...image.usage, unchecked: {} };
  delete checked.uncheckedFamilies;
  return refusedRetirement({ ...image, usage: checked }, spec, region) === undefined;
}

/** The stage recorded on an image, as a decision shows it. */
function stageOf(image: ScopeImage): Pick<RetentionDecision, "stage" | "stageSince"> {
  const recorded = recordedStage(image.tags);
  return recorded ? { stage: recorded.stage, stageSince: iso(recorded.since) } : {};
}

/** What keeping an image means: nothing, or restoring it when a retirement had begun. */
function kept(
  image: ScopeImage,
  base: Pick<RetentionDecision, "imageId" | "imageName" | "createdTime">,
  reason: string,
): RetentionDecision {
  const recorded = recordedStage(image.tags);
  if (!recorded && !retirementTagKeys(image.tags).length) return { ...base, action: "keep", reason };
  const accounts = recordedShares(image.tags);
  return {
    ...base,
    action: "restore",
    reason: `${reason}; back in the keep set: not deprecated${accounts.length ? ", shares back" : ""}`,
    ...(recorded ? { stage: recorded.stage, stageSince: iso(recorded.since) } : {}),
    ...(accounts.length ? { accounts } : {}),
  };
}

/** Why retiring the image is refused by the deletion decision (shared under block, in use), or undefined. */
export function refusedRetirement(image: ScopeImage, spec: RetentionSpec, region: string): string | undefined {
  const d = decideDeletion(retirementDeleteSpec(image, spec, region), {
    image,
    shares: image.shares ?? [],
    usage: image.usage ?? { instances: [], launchTemplates: [], launchConfigurations: [], unchecked: {} },
  });
  if (d.outcome === "blocked") return d.reasons.join("; ");
  if (d.outcome === "wait") return `busy (${d.imageState})`;
  if (d.outcome === "gone") return "gone";
  return undefined;
}

/**
 * The images of the scope, newest first, each with what this `up` does. `mayRetire` images must
 * carry `shares` and `usage` (see {@link candidates}); without them the deletion decision would
 * see no share and no use.
 */
export function planRetention(
  images: readonly ScopeImage[],
  spec: RetentionSpec,
  now: number,
  region: string,
): RetentionDecision[] {
  const { scope, ranks } = rankScope(images, spec);
  return scope.map((image) => decideImage(image, ranks.get(image.imageId)!, spec, now, region));
}

/** The scope, newest first, and each image's rank among its usable images (see {@link usableRanks}). */
export function rankScope(
  images: readonly ScopeImage[],
  spec: RetentionSpec,
): { scope: ScopeImage[]; ranks: Map<string, number> } {
  const scope = images.filter((i) => inScope(i, spec)).sort(newestFirst);
  return { scope, ranks: usableRanks(scope) };
}

/**
 * What one `up` does with one image of the scope, given its rank among the usable images. An image
 * that may retire (see {@link candidates}) must carry its `shares` and `usage`.
 */
export function decideImage(
  image: ScopeImage,
  rank: number,
  spec: RetentionSpec,
  now: number,
  region: string,
): RetentionDecision {
  const base = { imageId: image.imageId, imageName: image.imageName, createdTime: image.createdTime };
  const keep = keptByScope(image, rank, spec, now);
  // A busy image is left as it is, stage and all, until it settles.
  if (keep && image.imageState !== "NORMAL") return { ...base, action: "keep", reason: keep };
  if (keep) return kept(image, base, keep);
  const refused = refusedRetirement(image, spec, region);
  if (refused && heldInStage(image, spec, region))
    return {
      ...base,
      ...stageOf(image),
      action: "wait",
      reason: `${refused}; held in its stage until it can be checked`,
    };
  if (refused) return kept(image, base, refused);
  return nextStage(image, { ...base, ...stageOf(image) }, retirementReason(spec, rank), spec, now);
}

/** Why an image leaves the keep set. */
function retirementReason(spec: RetentionSpec, rank: number): string {
  const parts = [
    ...(spec.keepNewest !== undefined ? [`number ${rank + 1}, past the ${spec.keepNewest} newest`] : []),
    ...(spec.keepYoungerThan !== undefined ? [`older than ${spec.keepYoungerThan}`] : []),
  ];
  return parts.join(" and ");
}

/** The images of the scope that may retire (their shares and usage must be read before planning). */
export function candidates(images: readonly ScopeImage[], spec: RetentionSpec, now: number): ScopeImage[] {
  const { scope, ranks } = rankScope(images, spec);
  return scope.filter((image) => !keptByScope(image, ranks.get(image.imageId)!, spec, now));
}

/**
 * Each image's rank among the scope's usable (NORMAL) images, newest first: the newest `keepNewest`
 * are counted among images that can launch, so failed or unfinished images never push a good one
 * out. An image that is not NORMAL gets the rank of the next usable one (it is kept as busy anyway).
 */
export function usableRanks(scope: readonly ScopeImage[]): Map<string, number> {
  const ranks = new Map<string, number>();
  let rank = 0;
  for (const image of scope) {
    ranks.set(image.imageId, rank);
    if (image.imageState === "NORMAL") rank++;
  }
  return ranks;
}

/** Whether a decision changes anything (what makes `preview` show the retention changing). */
export function changes(d: Pick<RetentionDecision, "action">): boolean {
  return d.action !== "keep" && d.action !== "wait";
}
