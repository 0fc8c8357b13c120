/** Applies an update plan (attributes, tags, shares) to an existing image; used by update and adoption. */
import { modifyImageAttribute } from "../cloud/images";
import { modifyShares } from "../cloud/sharing";
import type { Settings } from "../cloud/settings";
import { accounts } from "./deletion-rules";
import type { UpdateChanges } from "./diff-rules";
import { applyTags } from "../cloud/tags";
import { Journal, mayHaveTakenEffect, noClearAnswer, runSteps, type Step } from "./steps";

/**
 * Runs the plan as steps of `journal`, recording a line after each step that changed something, so a failure
 * can say exactly what was already applied (and what may have been, when an answer was lost).
 */
export async function applyUpdateChanges(
  s: Settings,
  imageId: string,
  plan: UpdateChanges,
  deadline: number,
  journal: Journal,
): Promise<void> {
  const steps: Step[] = [];
  if (plan.modify) {
    const fields = Object.keys(plan.modify).join(", ");
    steps.push({
      name: "ModifyImageAttribute",
      run: () =>
        call(journal, `changing ${fields}`, `changed ${fields}`, () =>
          modifyImageAttribute(s, imageId, plan.modify!, { deadline }),
        ),
    });
  }
  if (Object.keys(plan.tagsToSet).length || plan.tagKeysToRemove.length) {
    steps.push({
      name: "tags",
      run: () =>
        call(journal, "updating the tags", "updated tags", () =>
          applyTags(s, imageId, plan.tagsToSet, plan.tagKeysToRemove, { deadline }),
        ),
    });
  }
  for (const [permission, list] of [
    ["SHARE", plan.sharesToAdd],
    ["CANCEL", plan.sharesToCancel],
  ] as const) {
    if (list.length)
      steps.push({
        name: `${permission} shares`,
        run: () => changeShares(s, imageId, permission, list, deadline, journal),
      });
  }
  await runSteps(journal, steps);
}

/** Runs one call (`what` it does); records `done` after it, or, when its answer was lost, that it may have. */
async function call(journal: Journal, what: string, done: string, run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (e) {
    if (mayHaveTakenEffect(e)) journal.uncertain(noClearAnswer(what));
    throw e;
  }
  journal.done(done);
}

/** Shares or cancels shares; a failure records the accounts changed so far, and the rest when its answer was lost. */
async function changeShares(
  s: Settings,
  imageId: string,
  permission: "SHARE" | "CANCEL",
  list: string[],
  deadline: number,
  journal: Journal,
): Promise<void> {
  const changed: string[] = [];
  const report = (accountIds: string[]) =>
    `${permission === "SHARE" ? "shared with" : "cancelled sharing with"} ${accounts(accountIds)}`;
  try {
    await modifyShares(s, imageId, list, permission, { deadline, onChunk: (c) => changed.push(...c) });
  } catch (e) {
    if (changed.length) journal.done(report(changed));
    const rest = list.filter((a) => !changed.includes(a));
    if (mayHaveTakenEffect(e)) journal.uncertain(noClearAnswer(`${permission} for ${accounts(rest)}`));
    throw e;
  }
  journal.done(report(list));
}
