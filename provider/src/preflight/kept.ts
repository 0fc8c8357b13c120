/**
 * Which planned deletions leave the image in place (pure).
 */
import type { PlannedDeletion } from "./image-steps";

/** Why the engine will not call the provider's delete for a resource. */
export type KeptReason = "retainOnDelete" | "protect" | "deletedWith";

/** Explanations shown next to a kept image. */
export const KEPT_EXPLANATION: Record<KeptReason, string> = {
  retainOnDelete: "retainOnDelete: removed from the stack, the image stays in the cloud",
  protect: "protect: the engine refuses this delete and the update fails until the resource is unprotected",
  deletedWith: "deletedWith: the engine skips the provider's delete because its owner is deleted in the same plan",
};

/**
 * Returns why `deletion` keeps its image, or undefined when the provider's delete will run.
 * `deletedUrns` are all URNs deleted by the plan (for `deletedWith`).
 */
export function keptReason(deletion: PlannedDeletion, deletedUrns: ReadonlySet<string>): KeptReason | undefined {
  const state = deletion.state;
  if (state.retainOnDelete) return "retainOnDelete";
  // The engine checks protect only for plain deletes; a replacement of a protected resource fails earlier.
  if (state.protect && deletion.op === "delete") return "protect";
  if (state.deletedWith && deletedUrns.has(state.deletedWith)) return "deletedWith";
  return undefined;
}
