/**
 * Decides, for each planned deletion, whether the cloud must be asked about it,
 * and builds the assessment targets (pure).
 */
import type { ImagePlan, PlannedDeletion } from "./image-steps";
import { readImageFacts, type StateFacts } from "./image-facts";
import { keptReason, type KeptReason } from "./kept";
import { describeOpaque } from "./sentinels";
import type { AssessmentTarget } from "./types";

/** A planned deletion with what its state says. */
export interface ClassifiedDeletion {
  deletion: PlannedDeletion;
  facts: StateFacts;
  /** Set when the engine will not call the provider's delete. */
  kept?: KeptReason;
  /** Set when the state does not allow an assessment (secret/unknown/missing fields). */
  cannotAssess?: string;
}

/** Classifies every CustomImage deletion of the plan. */
export function classifyDeletions(plan: ImagePlan): ClassifiedDeletion[] {
  return plan.deletions.map((deletion) => {
    const facts = readImageFacts(deletion.state, "outputs");
    const kept = keptReason(deletion, plan.deletedUrns);
    if (kept) return { deletion, facts, kept };
    if (facts.blockers.length > 0) {
      return { deletion, facts, cannotAssess: `cannot assess: ${describeOpaque(facts.blockers)} in the stack state` };
    }
    if (facts.imageId === undefined) return { deletion, facts, cannotAssess: "cannot assess: no image id in the stack state" };
    return { deletion, facts };
  });
}

/** The distinct images to ask the cloud about, with the outputs stored in their state. */
export function assessmentTargets(classified: ClassifiedDeletion[]): AssessmentTarget[] {
  const seen = new Set<string>();
  const targets: AssessmentTarget[] = [];
  for (const c of classified) {
    const imageId = c.facts.imageId;
    if (c.kept || c.cannotAssess || imageId === undefined || seen.has(imageId)) continue;
    seen.add(imageId);
    const { __provider: _ignored, ...outputs } = c.deletion.state.outputs ?? {};
    targets.push({ urn: c.deletion.urn, imageId, outputs });
  }
  return targets;
}
