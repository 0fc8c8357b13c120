/** Applies an update plan (attributes, tags, shares) to an existing image; used by update and adoption. */
import { modifyImageAttribute } from "../api/images";
import { modifyShares } from "../api/sharing";
import type { Settings } from "../api/settings";
import { accounts } from "../logic/delete-plan";
import type { UpdatePlan } from "../logic/diff";
import { applyTags } from "../api/tags";

/**
 * Runs the plan, appending a line to `done` after each step that changed something, so a failure
 * can say exactly what was already applied.
 */
export async function applyUpdatePlan(s: Settings, imageId: string, plan: UpdatePlan, deadline: number, done: string[]): Promise<void> {
  if (plan.modify) {
    await modifyImageAttribute(s, imageId, plan.modify, { deadline });
    done.push(`changed ${Object.keys(plan.modify).join(", ")}`);
  }
  if (Object.keys(plan.tagsToSet).length || plan.tagKeysToRemove.length) {
    await applyTags(s, imageId, plan.tagsToSet, plan.tagKeysToRemove, { deadline });
    done.push("updated tags");
  }
  if (plan.sharesToAdd.length) {
    const shared: string[] = [];
    try {
      await modifyShares(s, imageId, plan.sharesToAdd, "SHARE", { deadline, onChunk: (c) => shared.push(...c) });
    } finally {
      if (shared.length) done.push(`shared with ${accounts(shared)}`);
    }
  }
  if (plan.sharesToCancel.length) {
    const cancelled: string[] = [];
    try {
      await modifyShares(s, imageId, plan.sharesToCancel, "CANCEL", { deadline, onChunk: (c) => cancelled.push(...c) });
    } finally {
      if (cancelled.length) done.push(`cancelled sharing with ${accounts(cancelled)}`);
    }
  }
}
