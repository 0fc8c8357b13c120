/**
 * Decides, for each planned deletion, whether the cloud must be asked about it,
 * and builds the assessment targets (pure).
 */
import type { DeleteContext } from "../provider/deletion-rules";

import { describeOpaque, type OpaqueValue } from "./plan";
import type { AssessmentTarget } from "./report";
import {
  keptReason,
  readImageFacts,
  type ImagePlan,
  type KeptReason,
  type PlannedDeletion,
  type StateFacts,
} from "./steps";

/** A planned deletion with what its state says. */
export interface ClassifiedDeletion {
  deletion: PlannedDeletion;
  facts: StateFacts;
  /** How the plan deletes it: a destroy, a resource removed from the program, or a replacement. */
  context: DeleteContext;
  /** Set when the engine will not call the provider's delete. */
  kept?: KeptReason;
  /** Set when the state does not allow an assessment (secret/unknown/missing fields): why, and what to do. */
  cannotAssess?: string;
}

/** What each field an assessment depends on is needed for. */
const NEEDED_FOR: Record<string, string> = {
  imageId: "which image to check",
  region: "where the image is",
  deletionPolicy:
    "what the delete does with shares, snapshots, and the instances, launch templates and launch configurations that " +
    "use the image",
  sharedWith: "which shares are the stack's own",
};

const fieldOf = (o: OpaqueValue): string => o.path.split(/[.[]/)[0] ?? o.path;

/**
 * Why a deletion cannot be assessed from its state, and how to proceed: secret values are masked
 * in the preview (`--show-secrets` reads them from the state); unknown ones are not recorded yet.
 */
export function cannotAssessText(blockers: OpaqueValue[]): string {
  const fields = [...new Set(blockers.map(fieldOf))];
  const needs = fields.map((f) => `${NEEDED_FOR[f] ?? f} (${f})`).join(", ");
  const head = `cannot assess: ${describeOpaque(blockers)} in the stack state, and the check needs ${needs}`;
  if (blockers.some((b) => b.opacity === "secret")) {
    return (
      `${head}. The preview masks secret values. To check this image, run the preflight with --show-secrets: it then ` +
      `reads them from the state ` +
      "with `pulumi stack export --show-secrets`, which needs the stack's secrets passphrase " +
      "(PULUMI_CONFIG_PASSPHRASE) or secrets provider, and the report may show them"
    );
  }
  return `${head}. Run \`pulumi refresh\` so the state records them, then run the preflight again`;
}

/** How a deletion of the plan comes about. */
export function deleteContext(deletion: PlannedDeletion, plan: Pick<ImagePlan, "isDestroy">): DeleteContext {
  if (plan.isDestroy) return "destroy";
  return deletion.op === "delete" ? "removed" : "replace";
}

/** Classifies every CustomImage deletion of the plan. */
export function classifyDeletions(plan: ImagePlan): ClassifiedDeletion[] {
  return plan.deletions.map((deletion) => {
    const facts = readImageFacts(deletion.state, "outputs");
    const context = deleteContext(deletion, plan);
    const kept = keptReason(deletion, plan.deletedUrns);
    if (kept) return { deletion, facts, context, kept };
    if (facts.blockers.length > 0) return { deletion, facts, context, cannotAssess: cannotAssessText(facts.blockers) };
    if (facts.imageId === undefined) {
      return {
        deletion,
        facts,
        context,
        cannotAssess:
          "cannot assess: no image id in the stack state. Run `pulumi refresh`, then run the preflight again",
      };
    }
    return { deletion, facts, context };
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
    targets.push({ urn: c.deletion.urn, imageId, outputs, context: c.context });
  }
  return targets;
}
