/**
 * Types shared with the provider's deletion assessment (`assessDeletions`).
 *
 * Declared locally until the provider module that exports them lands; then this
 * file re-exports theirs and nothing else in `preflight/` changes.
 */

/** What the provider's delete would do to one image, judged by read-only calls. */
export type AssessmentOutcome = "gone" | "delete" | "blocked" | "wait";

/** An instance still launched from the image. */
export interface InstanceInUse {
  instanceId: string;
  instanceName?: string;
  state?: string;
}

/** Result of `assessDeletions` for one image. */
export interface DeletionAssessment {
  imageId: string;
  imageName?: string;
  region?: string;
  outcome: AssessmentOutcome;
  exists: boolean;
  imageState?: string;
  imageType?: string;
  managedShares: string[];
  unmanagedShares: string[];
  sharesToCancel: string[];
  instancesInUse: InstanceInUse[];
  deleteSnapshots: boolean;
  snapshotIds: string[];
  reasons: string[];
  warnings: string[];
}

/** One image the preflight asks about: its id and the outputs stored in state. */
export interface AssessmentTarget {
  urn?: string;
  imageId: string;
  outputs: Record<string, unknown>;
}

/** Options passed through to the assessment (credentials come from the environment). */
export interface AssessOptions {
  env?: Record<string, string | undefined>;
  config?: Record<string, string>;
}

/** Signature of the provider's `assessDeletions`. */
export type AssessDeletions = (
  targets: AssessmentTarget[],
  opts?: AssessOptions,
) => Promise<DeletionAssessment[]>;
