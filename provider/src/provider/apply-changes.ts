/** Applies an update plan (attributes, tags, shares) to an existing image; used by update and adoption. */
import { ApiError } from "../cloud/call";
import { modifyImageAttribute } from "../cloud/images";
import { modifyShares } from "../cloud/sharing";
import type { Settings } from "../cloud/settings";
import { accounts } from "./deletion-rules";
import type { UpdateChanges } from "./diff-rules";
import { applyTags } from "../cloud/tags";

/** A network error or 5xx (after the call layer's retries): the call may have taken effect. */
function mayHaveTakenEffect(e: unknown): boolean {
  return e instanceof ApiError && (e.kind === "network" || e.kind === "server");
}

/**
 * Runs the plan, appending a line to `done` after each step that changed something, so a failure
 * can say exactly what was already applied (and what may have been, when an answer was lost).
 */
export async function applyUpdateChanges(
  s: Settings,
  imageId: string,
  plan: UpdateChanges,
  deadline: number,
  done: string[],
): Promise<void> {
  /** Runs one step; on a failure that may have taken effect, says so in `done`. */
  const step = async (what: string, run: () => Promise<void>) => {
    try {
      await run();
    } catch (e) {
      if (mayHaveTakenEffect(e)) done.push(`${what} got no clear answer, so it may have taken effect`);
      throw e;
    }
  };
  if (plan.modify) {
    const fields = Object.keys(plan.modify).join(", ");
    await step(`changing ${fields}`, () => modifyImageAttribute(s, imageId, plan.modify!, { deadline }));
    done.push(`changed ${fields}`);
  }
  if (Object.keys(plan.tagsToSet).length || plan.tagKeysToRemove.length) {
    await step("updating the tags", () => applyTags(s, imageId, plan.tagsToSet, plan.tagKeysToRemove, { deadline }));
    done.push("updated tags");
  }
  for (const [permission, list] of [
    ["SHARE", plan.sharesToAdd],
    ["CANCEL", plan.sharesToCancel],
  ] as const) {
    if (!list.length) continue;
    const changed: string[] = [];
    const report = (accountIds: string[]) =>
      `${permission === "SHARE" ? "shared with" : "cancelled sharing with"} ${accounts(accountIds)}`;
    try {
      await modifyShares(s, imageId, list, permission, { deadline, onChunk: (c) => changed.push(...c) });
    } catch (e) {
      if (changed.length) done.push(report(changed));
      const rest = list.filter((a) => !changed.includes(a));
      if (mayHaveTakenEffect(e))
        done.push(`${permission} for ${accounts(rest)} got no clear answer, so it may have taken effect`);
      throw e;
    }
    done.push(report(list));
  }
}
