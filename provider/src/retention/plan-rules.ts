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

/** The next stage of an image that may retire, from the stage it is in (pure; see the module comment). */
function nextStage(
  image: ScopeImage,
  base: Pick<RetentionDecision, "imageId" | "imageName" | "createdTime">,
  why: string,
  spec: RetentionSpec,
  now: number,
): RetentionDecision {
  const dwell = {
    deprecated: spec.retire?.deprecate ? parseAge(spec.retire.deprecate) : undefined,
    unshared: spec.retire?.unshare ? parseAge(spec.retire.unshare) : undefined,
  };
  const shares = image.shares ?? [];
  const recorded = recordedStage(image.tags);
  const at = recorded ? { stage: recorded.stage, stageSince: iso(recorded.since) } : {};
  const unshareOrDelete = (): RetentionDecision =>
    dwell.unshared !== undefined && shares.length
      ? {
          ...base,
          ...at,
          action: "unshare",
          reason: `${why}; shares cancelled now, deleted after ${spec.retire!.unshare}`,
          accounts: shares,
          nextStageDue: iso(now + dwell.unshared),
        }
      : { ...base, ...at, action: "delete", reason: why };
  if (!recorded) {
    if (dwell.deprecated !== undefined)
      return {
        ...base,
        action: "deprecate",
        reason: `${why}; deprecated now, next stage after ${spec.retire!.deprecate}`,
        nextStageDue: iso(now + dwell.deprecated),
      };
    return unshareOrDelete();
  }
  const due = recorded.since + (dwell[recorded.stage] ?? 0);
  if (now < due) return duringDwell(image, { ...base, ...at, nextStageDue: iso(due) }, why, recorded, now, spec);
  return recorded.stage === "deprecated" ? unshareOrDelete() : { ...base, ...at, action: "delete", reason: why };
}

/**
 * An image in a stage's dwell: it waits, unless the stage was undone outside (undeprecated, shared
 * again), which is done again; the next stage stays due when it was.
 */
function duringDwell(
  image: ScopeImage,
  at: Pick<RetentionDecision, "imageId" | "imageName" | "createdTime" | "stage" | "stageSince" | "nextStageDue">,
  why: string,
  recorded: { stage: RetirementStage; since: number },
  now: number,
  spec: RetentionSpec,
): RetentionDecision {
  const shares = image.shares ?? [];
  if (recorded.stage === "deprecated" && spec.retire?.deprecate !== undefined && !image.imageDeprecated)
    return { ...at, action: "deprecate", reason: `${why}; deprecated again (marked outside)` };
  if (recorded.stage === "unshared" && shares.length)
    return { ...at, action: "unshare", reason: `${why}; shared again outside, cancelled again`, accounts: shares };
  const since = formatDuration(Math.max(0, now - recorded.since));
  return { ...at, action: "wait", reason: `${why}; ${recorded.stage} for ${since}` };
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
  const scope = images.filter((i) => inScope(i, spec)).sort(newestFirst);
  const ranks = usableRanks(scope);
  return scope.map((image) => {
    const rank = ranks.get(image.imageId)!;
    const base = { imageId: image.imageId, imageName: image.imageName, createdTime: image.createdTime };
    const keep = keptByScope(image, rank, spec, now);
    // A busy image is left as it is, stage and all, until it settles.
    if (keep && image.imageState !== "NORMAL") return { ...base, action: "keep", reason: keep };
    if (keep) return kept(image, base, keep);
    const refused = refusedRetirement(image, spec, region);
    if (refused) return kept(image, base, refused);
    return nextStage(image, base, retirementReason(spec, rank), spec, now);
  });
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
  const scope = images.filter((i) => inScope(i, spec)).sort(newestFirst);
  const ranks = usableRanks(scope);
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
