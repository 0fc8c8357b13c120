/**
 * The preflight report model, built from the plan and the cloud's answers (pure); and the
 * provider's deletion assessment as the preflight uses it.
 */
import { retentionDeletes as retentionDeletesOf, type RetentionReport } from "./retentions";
import type { DeletionDecision } from "../provider/deletion-rules";
import type {
  DeletionPolicy,
  InstanceUse as InstanceInUse,
  LaunchConfigurationUse,
  LaunchTemplateUse,
} from "../schema/types";
import type { assessDeletions } from "./assess";
import type { PreviewDigest } from "./plan";
import { detectRefactorMistakes, type RefactorFinding } from "./refactor";
import { parseUrn, type DeletionOp, type ImagePlan, type KeptReason } from "./steps";
import type { ClassifiedDeletion } from "./targets";

// The provider's deletion assessment, as the preflight uses it. Re-exported from the provider
// modules so the two cannot drift apart.
export type { DeletionDecision, InstanceInUse };
export type { DeletionOutcome as AssessmentOutcome } from "../provider/deletion-rules";
export type { DeletionTarget as AssessmentTarget, AssessOptions } from "./assess";

/** Signature of the provider's `assessDeletions`. */
export type AssessDeletions = typeof assessDeletions;

/** What will happen to one image. */
export type ImageStatus = "delete" | "blocked" | "wait" | "gone" | "kept" | "unassessable";

/** Every status, in the order reports list them. */
export const IMAGE_STATUSES: readonly ImageStatus[] = ["blocked", "unassessable", "wait", "delete", "gone", "kept"];

/** One CustomImage deletion and its expected outcome. */
export interface ImageReport {
  /** The resource's URN. */
  urn: string;
  /** The resource's name (the last part of the URN). */
  name: string;
  /** How the deletion appears in the plan: `delete`, `replace` or `delete-replaced`. */
  op: DeletionOp;
  /** For replacements: whether the old image goes before the new one exists (undefined: not shown by the plan). */
  deleteBeforeCreate?: boolean;
  /** The image id (`img-…`) from the resource's stored outputs, when known. */
  imageId?: string;
  /** The image name, as the cloud reports it, else as stored. */
  imageName?: string;
  /** The image's region. */
  region?: string;
  /** What will happen to the image: `delete`, `blocked`, `wait`, `gone`, `kept` or `unassessable`. */
  status: ImageStatus;
  /** For `kept` images: the resource option that keeps the image (`retainOnDelete`, `protect` or `deletedWith`). */
  keptBecause?: KeptReason;
  /** The deletion policy stored in the resource's outputs. */
  policy?: DeletionPolicy;
  /** The image state the cloud reports, e.g. `NORMAL`. */
  imageState?: string;
  /** Current shares that the stack manages (`sharedWith`); for `kept` images, as the state records them (they stay). */
  managedShares: string[];
  /** Current shares made outside the stack; for `kept` images, as the state last recorded them (they stay). */
  unmanagedShares: string[];
  /** Shares the delete would cancel before DeleteImages. */
  sharesToCancel: string[];
  /** Instances that run from the image. */
  instancesInUse: InstanceInUse[];
  /**
   * Launch templates with versions that name the image (id, name,
   * those versions, whether the default version is among them).
   */
  launchTemplatesInUse: LaunchTemplateUse[];
  /** Auto Scaling launch configurations that name the image (id, name, status). */
  launchConfigurationsInUse: LaunchConfigurationUse[];
  /** Whether the bound snapshots would be deleted too (`deletionPolicy.deleteSnapshots`). */
  deleteSnapshots?: boolean;
  /** The snapshots bound to the image. */
  snapshotIds: string[];
  /** Why the image is blocked, gone, waited for or cannot be assessed (for `unassessable`: with what to do). */
  reasons: string[];
  /** For `blocked` images: the ways forward, each with the exact call or program change and what to run. */
  nextSteps: string[];
  /**
   * What the delete would do that deserves attention (shares cancelled, instances
   * left running, launch templates or configurations broken, snapshots deleted).
   */
  warnings: string[];
  /** The image's copies in other regions, deleted with it, and what happens to each. */
  copies: CopyReport[];
}

/** One copy of an image in another region that its deletion deletes too. */
export interface CopyReport {
  /** The copy's region. */
  region: string;
  /** The copy's image id. */
  imageId: string;
  /** What will happen to the copy: `delete`, `blocked`, `wait` or `gone`. */
  status: ImageStatus;
  /** Shares the delete would cancel on the copy first. */
  sharesToCancel: string[];
  /** Shares of the copy made outside the stack. */
  unmanagedShares: string[];
  /** Why the copy is blocked, gone or waited for. */
  reasons: string[];
}

/** Where the plan came from. */
export interface PlanSource {
  kind: "preview" | "destroy-preview" | "file" | "stdin" | "document";
  stack?: string;
  project?: string;
  cwd?: string;
  path?: string;
}

/**
 * `clear`: nothing is deleted; `deletes`: images will be deleted,
 * nothing in the way; `blocked`: something stops or endangers the run.
 */
export type Verdict = "clear" | "deletes" | "blocked";

/** The result of a preflight. */
export interface PreflightReport {
  /** The version of this report's JSON shape; always 1. */
  schemaVersion: 1;
  /** Where the plan came from. */
  source: PlanSource;
  /** The overall verdict: `clear`, `deletes` or `blocked`. */
  verdict: Verdict;
  /** Counts: images per status, all images, and refactor findings. */
  summary: Record<ImageStatus, number> & {
    /** All images in the report. */
    images: number;
    /** All refactor findings. */
    findings: number;
  };
  /** One entry per CustomImage deletion in the plan. */
  images: ImageReport[];
  /** Likely refactoring mistakes found in the plan (e.g. a missing alias). */
  findings: RefactorFinding[];
  /** Error diagnostics the engine reported while previewing. */
  engineErrors: string[];
  /** Remarks on what the plan could not show (e.g. replacement order, values unknown until apply). */
  notes: string[];
  /**
   * Why the cloud check failed, when it did (e.g. the endpoint cannot be reached, the credentials
   * were refused): every image it was to assess is then `unassessable` with this reason, and the
   * preflight exits 1.
   */
  cloudError?: string;
  /** What each `ImageRetention` of the plan will do, image by image (absent when the plan runs none). */
  retentions?: RetentionReport[];
}

const emptyShares = {
  managedShares: [],
  unmanagedShares: [],
  sharesToCancel: [],
  instancesInUse: [],
  launchTemplatesInUse: [],
  launchConfigurationsInUse: [],
  snapshotIds: [],
  nextSteps: [],
  copies: [],
};

/** A kept image keeps its shares: those the state records (no cloud call is made for it). */
function keptShares(facts: ClassifiedDeletion["facts"]): Pick<ImageReport, "managedShares" | "unmanagedShares"> {
  const managed = facts.sharedWith ?? [];
  return { managedShares: managed, unmanagedShares: (facts.unmanagedShares ?? []).filter((a) => !managed.includes(a)) };
}

/** Why an image the cloud was asked about has no answer. */
function noAnswerReason(cloudError: string | undefined): string {
  return cloudError === undefined
    ? "cannot assess: the cloud returned no answer for this image"
    : `cannot assess: the cloud check failed: ${cloudError}`;
}

function imageReport(
  c: ClassifiedDeletion,
  byId: Map<string, DeletionDecision>,
  cloudError: string | undefined,
): ImageReport {
  const { deletion: d, facts } = c;
  const base = {
    urn: d.urn,
    name: d.name,
    op: d.op,
    deleteBeforeCreate: d.deleteBeforeCreate,
    imageId: facts.imageId,
    imageName: facts.imageName,
    region: facts.region,
    policy: facts.policy,
  };
  if (c.kept)
    return {
      ...base,
      ...emptyShares,
      ...keptShares(facts),
      status: "kept",
      keptBecause: c.kept,
      reasons: [],
      warnings: [],
    };
  if (c.cannotAssess)
    return { ...base, ...emptyShares, status: "unassessable", reasons: [c.cannotAssess], warnings: [] };
  const a = facts.imageId === undefined ? undefined : byId.get(facts.imageId);
  if (!a) {
    return { ...base, ...emptyShares, status: "unassessable", reasons: [noAnswerReason(cloudError)], warnings: [] };
  }
  return {
    ...base,
    imageName: a.imageName || base.imageName,
    region: a.region || base.region,
    status: a.outcome,
    imageState: a.imageState,
    managedShares: a.managedShares,
    unmanagedShares: a.unmanagedShares,
    sharesToCancel: a.sharesToCancel,
    instancesInUse: a.instancesInUse,
    launchTemplatesInUse: a.launchTemplatesInUse ?? [],
    launchConfigurationsInUse: a.launchConfigurationsInUse ?? [],
    deleteSnapshots: a.deleteSnapshots,
    snapshotIds: a.snapshotIds,
    reasons: a.reasons,
    nextSteps: a.nextSteps ?? [],
    warnings: a.warnings,
    copies: (a.copies ?? []).map((c) => ({
      region: c.region,
      imageId: c.imageId,
      status: c.outcome,
      sharesToCancel: c.sharesToCancel,
      unmanagedShares: c.unmanagedShares,
      reasons: c.reasons,
    })),
  };
}

function engineErrors(digest: PreviewDigest): string[] {
  return (digest.diagnostics ?? [])
    .filter((d) => d.severity === "error" && d.message)
    .map((d) => `${d.prefix ?? ""}${d.message ?? ""}`.trim());
}

function verdictOf(
  images: ImageReport[],
  findings: RefactorFinding[],
  errors: string[],
  retentions: readonly RetentionReport[],
): Verdict {
  const has = (s: ImageStatus): boolean => images.some((i) => i.status === s);
  const unassessedRetention = retentions.some((r) => r.cannotAssess);
  if (
    has("blocked") ||
    has("unassessable") ||
    unassessedRetention ||
    errors.length > 0 ||
    findings.some((f) => f.severity === "error")
  ) {
    return "blocked";
  }
  const retentionDeletes = retentions.some((r) => retentionDeletesOf(r).length > 0);
  return has("delete") || has("wait") || retentionDeletes ? "deletes" : "clear";
}

function planNotes(plan: ImagePlan, uncomparable: string[]): string[] {
  const notes: string[] = [];
  if (!plan.showsReplacementSteps && plan.deletions.some((d) => d.op === "replace")) {
    notes.push(
      "the preview has no replacement steps, so whether replacements delete before creating is unknown (preview with " +
        "--show-replacement-steps)",
    );
  }
  for (const urn of uncomparable) {
    notes.push(
      `"${parseUrn(urn)?.name ?? urn}" is created with an image name and source unknown until apply: not checked for ` +
        `a missing alias`,
    );
  }
  return notes;
}

/** Input of {@link buildReport}. */
export interface ReportInput {
  digest: PreviewDigest;
  plan: ImagePlan;
  classified: ClassifiedDeletion[];
  assessments: DeletionDecision[];
  source: PlanSource;
  /** Remarks of the caller, listed before the plan's own (e.g. that secrets were read). */
  notes?: string[];
  /** Why the cloud check failed, when it did (then `assessments` is empty). */
  cloudError?: string;
  /** The plan's `ImageRetention`s, assessed (see `retentions.ts`). */
  retentions?: RetentionReport[];
}

/** Assembles the report: one entry per deletion, refactor findings, verdict and counts. */
export function buildReport(input: ReportInput): PreflightReport {
  const byId = new Map(input.assessments.map((a) => [a.imageId, a]));
  const images = input.classified.map((c) => imageReport(c, byId, input.cloudError));
  const { findings, uncomparable } = detectRefactorMistakes(input.plan);
  const errors = engineErrors(input.digest);
  const summary = { images: images.length, findings: findings.length } as PreflightReport["summary"];
  for (const s of IMAGE_STATUSES) summary[s] = images.filter((i) => i.status === s).length;
  const firstUrn = parseUrn(input.digest.steps[0]?.urn ?? "");
  return {
    schemaVersion: 1,
    source: {
      ...input.source,
      stack: input.source.stack ?? firstUrn?.stack,
      project: input.source.project ?? firstUrn?.project,
    },
    verdict: verdictOf(images, findings, errors, input.retentions ?? []),
    summary,
    images,
    findings,
    engineErrors: errors,
    notes: [...(input.notes ?? []), ...planNotes(input.plan, uncomparable)],
    ...(input.cloudError !== undefined ? { cloudError: input.cloudError } : {}),
    ...(input.retentions?.length ? { retentions: input.retentions } : {}),
  };
}
