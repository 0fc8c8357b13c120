/**
 * The provider's deletion assessment, as the preflight uses it. Re-exported
 * from the provider modules so the two cannot drift apart.
 */
import type { assessDeletions } from "../provider/assess";

export type { DeletionAssessment, DeletionOutcome as AssessmentOutcome } from "../logic/delete-plan";
export type { InstanceUse as InstanceInUse } from "../logic/types";
export type { DeletionTarget as AssessmentTarget, AssessOptions } from "../provider/assess";

/** Signature of the provider's `assessDeletions`. */
export type AssessDeletions = typeof assessDeletions;
