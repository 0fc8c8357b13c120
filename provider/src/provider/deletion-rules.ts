/**
 * The delete planner: given what the cloud shows about one image and the policy stored in the
 * resource outputs, decide what deleting it means. Pure. Both `delete` and `assessDeletions`
 * (the CI preflight) use it, so they cannot disagree.
 *
 * Identity before action: is the image an id names now the image the state recorded? The cloud
 * does not reuse image ids, but a restored or copied state, or an emulator restarted with the same
 * id sequence, can hold an id that now names another image. Every verb that acts on a recorded
 * image (delete, refresh, update, the preflight) asks {@link identityMismatch} first; when it
 * answers, the recorded image is gone and the image the id names is left alone.
 */
import {
  DEFAULT_DELETION_POLICY,
  DEFAULT_TIMEOUTS,
  DeletionPolicy,
  ImageFacts,
  ImageUsage,
  InstanceUse,
  InUsePolicy,
  isTransitional,
  LaunchConfigurationUse,
  LaunchTemplateUse,
  Timeouts,
  USAGE_KINDS,
} from "../schema/types";
import { copiesFromOutputs } from "./copies-rules";
import type { Copies, ImageCopy } from "../schema/types";
import { PROPERTIES } from "../schema/properties";
import { parseDuration } from "../schema/durations";
import { cancelSharesCommand, CommandEndpoints, DeleteContext, policyRoute } from "../cloud/commands-rules";
import { usageFindings } from "./in-use-rules";

export { cancelSharesCommand, policyRoute } from "../cloud/commands-rules";
export type { DeleteContext } from "../cloud/commands-rules";

// Identity: the image the id names now, against the one the state recorded.

/** What the state recorded of an image that never changes (its creation time) or rarely does (its name). */
export interface RecordedIdentity {
  /** The image name the state recorded (`""`: unknown). */
  imageName: string;
  /** The creation time the state recorded (`""`: unknown, e.g. a create whose answer was lost). */
  createdTime: string;
}

/** What the cloud shows now of the image the id names. */
export type LiveIdentity = RecordedIdentity;

/** The recorded identity in stored outputs (missing fields read as unknown). */
export function recordedIdentity(outputs: Record<string, unknown>): RecordedIdentity {
  return {
    imageName: typeof outputs.imageName === "string" ? outputs.imageName : "",
    createdTime: typeof outputs.createdTime === "string" ? outputs.createdTime : "",
  };
}

/** Same instant (ISO strings in any zone), else the same text. */
function sameTime(a: string, b: string): boolean {
  const ta = Date.parse(a);
  const tb = Date.parse(b);
  return Number.isNaN(ta) || Number.isNaN(tb) ? a === b : ta === tb;
}

/**
 * Whether the image the id names now is another image than the recorded one. The creation time
 * decides when both sides know it (a name may have changed outside the stack: that is drift, not
 * another image); when the state recorded none, a different name does.
 */
export function isAnotherImage(recorded: RecordedIdentity, live: LiveIdentity): boolean {
  if (recorded.createdTime && live.createdTime) return !sameTime(recorded.createdTime, live.createdTime);
  return (
    recorded.createdTime === "" &&
    recorded.imageName !== "" &&
    live.imageName !== "" &&
    recorded.imageName !== live.imageName
  );
}

const described = (i: RecordedIdentity) =>
  `"${i.imageName || "unnamed"}", created ${i.createdTime || "at a time not recorded"}`;

/**
 * The reason an image id now names another image than the recorded one, naming both; undefined when
 * it is the recorded image (or nothing tells them apart).
 */
export function identityMismatch(imageId: string, recorded: RecordedIdentity, live: LiveIdentity): string | undefined {
  if (!isAnotherImage(recorded, live)) return undefined;
  return (
    `${imageId} now names another image (${described(live)}) than the one the state recorded ` +
    `(${described(recorded)}): ` +
    "the recorded image no longer exists (the id was handed out again, e.g. by an emulator restarted without its " +
    "state, or the state was restored or copied)"
  );
}

// The decision.

/** The outcome of deleting one image. */
export type DeletionOutcome = "gone" | "delete" | "blocked" | "wait";

/** Per-image result of the deletion planner (and of `assessDeletions`). */
export interface DeletionDecision {
  /** The image id (`img-…`). */
  imageId: string;
  /** The image name: as DescribeImages reports it, else as stored in the outputs. */
  imageName: string;
  /** The region of the image. */
  region: string;
  /**
   * `gone`: nothing to do; `delete`: would be deleted; `blocked`: delete
   * would fail (see reasons); `wait`: busy state, delete waits for it first.
   */
  outcome: DeletionOutcome;
  /** Whether the image still exists (false when it is already deleted). */
  exists: boolean;
  /** The image state DescribeImages reports (`""` when the image is gone). */
  imageState: string;
  /** The image type DescribeImages reports, e.g. `PRIVATE_IMAGE` (`""` when the image is gone). */
  imageType: string;
  /** Current shares that the stack manages (`sharedWith`). */
  managedShares: string[];
  /** Current shares made outside the stack. */
  unmanagedShares: string[];
  /** Shares the delete cancels before DeleteImages. */
  sharesToCancel: string[];
  /** Instances that run from the image. */
  instancesInUse: InstanceUse[];
  /**
   * Launch templates with versions that name the image (their ids, names,
   * those version numbers, and whether the default version is among them).
   */
  launchTemplatesInUse: LaunchTemplateUse[];
  /** Auto Scaling launch configurations that name the image (ids, names, status). */
  launchConfigurationsInUse: LaunchConfigurationUse[];
  /** Whether the bound snapshots would be deleted too (`deletionPolicy.deleteSnapshots`). */
  deleteSnapshots: boolean;
  /** The snapshots bound to the image (from DescribeImages, else from the outputs). */
  snapshotIds: string[];
  /** Why the outcome is `blocked`, `gone` or `wait`; empty for a plain `delete`. */
  reasons: string[];
  /**
   * For `blocked`: the ways forward, each a complete instruction (the exact call or program change, then what to run).
   */
  nextSteps: string[];
  /**
   * What the delete would do that deserves attention, e.g. cancel shares made
   * outside the stack, leave instances running, or break a launch template.
   */
  warnings: string[];
  /** The image's copies in other regions (`copies`), deleted first, each assessed as an image of its own. */
  copies: DeletionDecision[];
}

/** What `delete` needs from the stored outputs, with defaults for older or partial states. */
export interface DeleteSpec {
  /** The image id (`img-…`). */
  imageId: string;
  /** The stored image name (`""` when missing). */
  imageName: string;
  /** The stored region (`""` when missing; `assessDeletions` then uses the default region). */
  region: string;
  /** The stored credential profile (the resource's `profile` input); absent: the stack's credentials. */
  profile?: string;
  /** The managed shares (`sharedWith` output), which the delete always cancels. */
  sharedWith: string[];
  /** The stored bound snapshot ids. */
  snapshotIds: string[];
  /** The stored deletion policy, with defaults for missing fields. */
  deletionPolicy: DeletionPolicy;
  /** The stored timeouts, with defaults for missing fields. */
  timeouts: Timeouts;
  /** The stored cross-region copies (`copies`), deleted with the image. */
  copies: Copies;
  /**
   * What the state recorded to tell this image from another the id may name now (absent for copies, which record none).
   */
  recorded?: RecordedIdentity;
  /**
   * The image's shares as the caller listed them just before (an `ImageRetention`'s plan): the
   * delete's first look uses them instead of listing them (or presuming none); absent for a
   * `CustomImage`'s delete. A share made since is caught by DeleteImages' InShared refusal.
   */
  knownShares?: string[];
  /**
   * The endpoints the calls go to, when not Tencent Cloud's defaults (not
   * stored: the caller adds them), for the tccli calls of the ways forward.
   */
  endpoints?: CommandEndpoints;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

/** A stored timeout that reads as a duration, else the default: the one place the delete path fills it. */
function durationOr(v: unknown, fallback: string): string {
  return typeof v === "string" && parseDuration(v) !== undefined ? v : fallback;
}

/** The delete's timeout in ms (`timeouts.delete`, which {@link deleteSpecFromOutputs} made a duration). */
export function deleteTimeoutMs(spec: Pick<DeleteSpec, "timeouts">): number {
  return parseDuration(spec.timeouts.delete) ?? parseDuration(DEFAULT_TIMEOUTS.delete)!;
}

/** The deletion policy's rule in the property table (its aliases name the fields 0.1 wrote). */
const DELETION_POLICY_RULE = PROPERTIES.deletionPolicy.rule;

/** Reads the delete-relevant fields of stored outputs, filling defaults. */
export function deleteSpecFromOutputs(imageId: string, outputs: Record<string, unknown>): DeleteSpec {
  // States written by 0.1 name inUse.instances `instancesInUse`: the property table's aliases move it.
  const p = (DELETION_POLICY_RULE.canonical(outputs.deletionPolicy ?? {}) ?? {}) as Partial<DeletionPolicy>;
  const inUse = (p.inUse ?? {}) as Partial<InUsePolicy>;
  const t = (outputs.timeouts ?? {}) as Partial<Timeouts>;
  return {
    imageId,
    imageName: typeof outputs.imageName === "string" ? outputs.imageName : "",
    region: typeof outputs.region === "string" ? outputs.region : "",
    ...(typeof outputs.profile === "string" && outputs.profile !== "" ? { profile: outputs.profile } : {}),
    sharedWith: strings(outputs.sharedWith),
    snapshotIds: strings(outputs.snapshotIds),
    deletionPolicy: {
      unmanagedShares: p.unmanagedShares === "unshare" ? "unshare" : DEFAULT_DELETION_POLICY.unmanagedShares,
      deleteSnapshots: p.deleteSnapshots === true,
      inUse: Object.fromEntries(
        USAGE_KINDS.map((k) => [k, inUse[k] === "block" ? "block" : DEFAULT_DELETION_POLICY.inUse[k]]),
      ) as InUsePolicy,
    },
    timeouts: {
      create: durationOr(t.create, DEFAULT_TIMEOUTS.create),
      update: durationOr(t.update, DEFAULT_TIMEOUTS.update),
      delete: durationOr(t.delete, DEFAULT_TIMEOUTS.delete),
    },
    copies: copiesFromOutputs(outputs),
    recorded: recordedIdentity(outputs),
  };
}

/**
 * The delete spec of one copy: the image's policy and timeouts, in the copy's region. Its managed
 * shares are the image's `sharedWith` and those recorded on the copy.
 */
export function copySpec(spec: DeleteSpec, region: string, copy: ImageCopy): DeleteSpec {
  return {
    ...spec,
    imageId: copy.imageId,
    region,
    sharedWith: [...new Set([...spec.sharedWith, ...copy.sharedWith])],
    snapshotIds: [],
    copies: {},
    recorded: undefined,
    knownShares: undefined,
  };
}

/** What the planner reads of an image. */
export type PlannedImage = Pick<
  ImageFacts,
  "imageId" | "imageName" | "imageType" | "imageState" | "imageCreator" | "snapshotIds"
> &
  Partial<Pick<ImageFacts, "createdTime">>;

/**
 * Why the image the id names is not the one the spec's state recorded (see {@link identityMismatch}), with
 * what the delete does about it; undefined when it is (or nothing tells them apart).
 */
export function anotherImage(spec: DeleteSpec, image: PlannedImage): string | undefined {
  if (!spec.recorded) return undefined;
  const why = identityMismatch(spec.imageId, spec.recorded, {
    imageName: image.imageName,
    createdTime: image.createdTime ?? "",
  });
  return why && `${why}; it is not the stack's to delete and is left alone`;
}

/** Facts gathered by read-only calls. `shares` is undefined when they could not be listed (busy or failed image). */
export interface DeleteFacts {
  /** What DescribeImages shows about the image, or null when it is gone. */
  image: PlannedImage | null;
  /**
   * The accounts the image is shared with now (DescribeImageSharePermission); undefined when they could not be listed.
   */
  shares?: string[];
  /** What still uses this image (already filtered to it), and the kinds that could not be checked. */
  usage: ImageUsage;
}

export function accounts(list: readonly string[]): string {
  return `${list.length} account${list.length === 1 ? "" : "s"} (${list.join(", ")})`;
}

/** The decision's fields before any rule applies: the image as described (or, gone, as stored). */
function undecided(spec: DeleteSpec, image: PlannedImage | null): DeletionDecision {
  return {
    imageId: spec.imageId,
    imageName: image?.imageName || spec.imageName,
    region: spec.region,
    outcome: "delete",
    exists: image !== null,
    imageState: image?.imageState ?? "",
    imageType: image?.imageType ?? "",
    managedShares: [],
    unmanagedShares: [],
    sharesToCancel: [],
    instancesInUse: [],
    launchTemplatesInUse: [],
    launchConfigurationsInUse: [],
    deleteSnapshots: spec.deletionPolicy.deleteSnapshots,
    snapshotIds: image ? image.snapshotIds : spec.snapshotIds,
    reasons: [],
    nextSteps: [],
    warnings: [],
    copies: [],
  };
}

/** Why an image of another type than PRIVATE_IMAGE is not this account's to delete. */
function notOwnImage(spec: DeleteSpec, image: PlannedImage): string {
  const what =
    image.imageType === "SHARED_IMAGE"
      ? `another account's image shared with this account (owner ${image.imageCreator || "unknown"})`
      : image.imageType === "PUBLIC_IMAGE"
        ? "a public image"
        : `an image of type ${image.imageType || "unknown"}`;
  return `image ${spec.imageId} is ${what}, not this account's custom image (PRIVATE_IMAGE); it will not be deleted`;
}

/**
 * The decision the image alone settles, before its shares and usage are looked at: `gone` (not
 * listed, or the id names another image than the state recorded) or `blocked` (not this account's
 * custom image); undefined when the policy has to be applied. The one place these are decided.
 */
export function decisionFromImage(spec: DeleteSpec, image: PlannedImage | null): DeletionDecision | undefined {
  const base = undecided(spec, image);
  if (!image) {
    base.outcome = "gone";
    base.reasons.push(`image ${spec.imageId} no longer exists in ${spec.region}; there is nothing to delete`);
    return base;
  }
  const other = anotherImage(spec, image);
  if (other) {
    const stored = undecided(spec, null);
    return { ...stored, outcome: "gone", reasons: [other], warnings: [other] };
  }
  if (image.imageType === "PRIVATE_IMAGE") return undefined;
  base.outcome = "blocked";
  base.reasons.push(notOwnImage(spec, image));
  base.nextSteps.push(
    "if the stack should just forget it, run `pulumi state delete '<urn>'`; if it is this account's image, make the " +
      "credentials (or the resource's `profile`) the owner account's and run the command again",
  );
  return base;
}

/** Applies `deletionPolicy.unmanagedShares` to the image's current shares. */
function applySharePolicy(d: DeletionDecision, spec: DeleteSpec, shares: readonly string[], context: DeleteContext) {
  const managed = new Set(spec.sharedWith);
  d.managedShares = shares.filter((a) => managed.has(a));
  d.unmanagedShares = shares.filter((a) => !managed.has(a));
  d.sharesToCancel = [...d.managedShares];
  if (!d.unmanagedShares.length) return;
  if (spec.deletionPolicy.unmanagedShares === "unshare") {
    d.sharesToCancel.push(...d.unmanagedShares);
    d.warnings.push(
      `sharing with ${accounts(d.unmanagedShares)} was made outside the stack and will be cancelled ` +
        `(deletionPolicy.unmanagedShares = "unshare")`,
    );
    return;
  }
  d.reasons.push(
    `image is shared with ${accounts(d.unmanagedShares)} outside the stack, and deletionPolicy.unmanagedShares is ` +
      `"block"`,
  );
  d.nextSteps.push(
    `cancel those shares yourself with ${cancelSharesCommand(spec, d.unmanagedShares)}, then run the command again; ` +
      `or ${policyRoute('unmanagedShares: "unshare"', context)}`,
  );
}

/** Applies `deletionPolicy.inUse` to what uses the image, and notes the bound snapshots it deletes. */
function applyUsePolicy(d: DeletionDecision, spec: DeleteSpec, usage: ImageUsage, context: DeleteContext) {
  const use = usageFindings(usage, spec.deletionPolicy.inUse, spec, context);
  d.instancesInUse = use.instancesInUse;
  d.launchTemplatesInUse = use.launchTemplatesInUse;
  d.launchConfigurationsInUse = use.launchConfigurationsInUse;
  d.reasons.push(...use.reasons);
  d.nextSteps.push(...use.nextSteps);
  d.warnings.push(...use.warnings);
  if (spec.deletionPolicy.deleteSnapshots && d.snapshotIds.length) {
    d.warnings.push(
      `the bound snapshots ${d.snapshotIds.join(", ")} will be deleted too (deletionPolicy.deleteSnapshots)`,
    );
  }
}

/** Plans the deletion of one image; `context` (how the delete comes about) shapes the ways forward of a refusal. */
export function decideDeletion(
  spec: DeleteSpec,
  facts: DeleteFacts,
  context: DeleteContext = "unknown",
): DeletionDecision {
  const settled = decisionFromImage(spec, facts.image);
  if (settled) return settled;
  const d = undecided(spec, facts.image);
  applySharePolicy(d, spec, facts.shares ?? [], context);
  applyUsePolicy(d, spec, facts.usage, context);
  if (d.reasons.length) d.outcome = "blocked";
  else if (isTransitional(d.imageState)) {
    d.outcome = "wait";
    d.reasons.push(
      `image is ${d.imageState}; the delete waits for it to settle (up to timeouts.delete = ${spec.timeouts.delete})`,
    );
  }
  return d;
}

/**
 * The assessment of an image with its copies' (in `copies`): the delete changes nothing when a copy
 * is blocked, so the image is blocked too, with the copy's reasons and ways forward; the copies'
 * warnings are the image's.
 */
export function withCopies(image: DeletionDecision, copies: readonly DeletionDecision[]): DeletionDecision {
  if (!copies.length) return image;
  const label = (c: DeletionDecision) => `copy ${c.imageId} in ${c.region}`;
  const blocked = copies.filter((c) => c.outcome === "blocked");
  return {
    ...image,
    outcome: blocked.length
      ? "blocked"
      : image.outcome === "gone" && copies.some((c) => c.outcome !== "gone")
        ? "delete"
        : image.outcome,
    reasons: [...image.reasons, ...blocked.flatMap((c) => c.reasons.map((r) => `${label(c)}: ${r}`))],
    nextSteps: [...new Set([...image.nextSteps, ...blocked.flatMap((c) => c.nextSteps)])],
    warnings: [...image.warnings, ...copies.flatMap((c) => c.warnings.map((w) => `${label(c)}: ${w}`))],
    copies: [...copies],
  };
}
