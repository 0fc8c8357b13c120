/**
 * The provider's deletion assessment, as the preflight uses it. Re-exported
 * from the provider modules so the two cannot drift apart.
 */
import type { assessDeletions } from "./assess";

export type { DeletionAssessment, DeletionOutcome as AssessmentOutcome } from "../provider/deletion-rules";
export type { InstanceUse as InstanceInUse } from "../schema/types";
export type { DeletionTarget as AssessmentTarget, AssessOptions } from "./assess";

/** Signature of the provider's `assessDeletions`. */
export type AssessDeletions = typeof assessDeletions;
