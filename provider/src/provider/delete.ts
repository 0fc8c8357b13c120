/**
 * `delete`: find the image; refuse what is not this account's custom image; wait out busy states;
 * cancel shares by policy; DeleteImages; wait until it no longer shows. Every step is safe to
 * repeat, so a failed delete can simply be retried.
 */
import { ApiError } from "../api/call";
import { deleteImage, describeImage } from "../api/images";
import { instancesUsing, sharedInstanceScan } from "../api/instances";
import { modifyShares } from "../api/sharing";
import { accounts, DeleteSpec, deleteSpecFromOutputs, planDeletion } from "../logic/delete-plan";
import { formatDuration, parseDuration } from "../logic/durations";
import { imageLabel, operationFailure } from "../logic/messages";
import { DEFAULT_TIMEOUTS, ImageFacts, isTransitional } from "../logic/types";
import { causeOf, deadlineFrom, isImageNotFound, Rec, settingsFor, sharesOf, waitForImage, waitSettled, WaitTimeout } from "./common";

/** How many times a delete re-plans after the cloud changed under it (a share or a state appeared). */
const MAX_ROUNDS = 3;

export async function deleteResource(id: string, props: Rec): Promise<void> {
  const spec: DeleteSpec = deleteSpecFromOutputs(id, props);
  const s = settingsFor(spec.region);
  const deadline = deadlineFrom(spec.timeouts.delete, DEFAULT_TIMEOUTS.delete);
  const timeoutText = `timeouts.delete = ${spec.timeouts.delete}`;
  const done: string[] = [];
  const cancelled: string[] = [];
  let name = spec.imageName;
  const fail = (cause: string, next: string) =>
    new Error(operationFailure({ operation: "delete", imageId: id, imageName: name, region: spec.region, cause, done: doneSteps(), next }));
  const doneSteps = () => (cancelled.length ? [`cancelled sharing with ${accounts(cancelled)}`, ...done] : [...done]);
  const retryHint = "run the command again (`pulumi destroy` / `pulumi up`); the delete resumes from where it stopped";

  let facts: ImageFacts | null;
  try {
    facts = await describeImage(s, id, { deadline });
  } catch (e) {
    throw fail(causeOf(e), `check the credentials and network, then ${retryHint}`);
  }
  for (let round = 1; ; round++) {
    if (!facts) return; // already gone: counts as deleted
    name = facts.imageName || name;
    if (facts.imageType !== "PRIVATE_IMAGE") {
      const plan = planDeletion(spec, { image: facts, instances: [] });
      throw fail(plan.reasons.join("; "), "nothing was deleted; resolve the above");
    }
    if (isTransitional(facts.imageState)) {
      const busyState = facts.imageState;
      try {
        facts = await waitSettled(s, id, deadline);
      } catch (e) {
        const state = e instanceof WaitTimeout && e.last ? e.last.imageState : busyState;
        throw fail(
          `the image is still ${state} after waiting ${formatDuration(parseDuration(spec.timeouts.delete) ?? 0)} (${timeoutText}); a busy image cannot be deleted`,
          `wait until it settles, or raise timeouts.delete with \`pulumi up\`, then ${retryHint}`,
        );
      }
      continue;
    }

    let plan;
    try {
      const shares = await sharesOf(s, facts, deadline);
      if (!shares) return; // deleted (by an earlier attempt?): DescribeImages still lists it for a while
      const instances = instancesUsing(await sharedInstanceScan(s, { deadline }), id);
      plan = planDeletion(spec, { image: facts, shares, instances });
    } catch (e) {
      throw fail(causeOf(e), retryHint);
    }
    if (plan.outcome === "blocked") {
      const kept = doneSteps().length ? "the steps already done stay done and are not repeated" : "nothing was changed";
      throw fail(plan.reasons.join("; "), `after that, run the command again; ${kept}`);
    }
    for (const w of plan.warnings) console.warn(`warning: ${imageLabel(id, name, spec.region)}: ${w}`);

    if (plan.sharesToCancel.length) {
      try {
        await modifyShares(s, id, plan.sharesToCancel, "CANCEL", { deadline, onChunk: (c) => cancelled.push(...c) });
      } catch (e) {
        if (isImageNotFound(e)) return; // deleted meanwhile
        throw fail(causeOf(e), retryHint);
      }
    }

    try {
      await deleteImage(s, id, { deleteSnapshots: spec.deletionPolicy.deleteSnapshots }, { deadline });
      done.push(`called DeleteImages${spec.deletionPolicy.deleteSnapshots ? " with DeleteBindedSnap (bound snapshots deleted too)" : " (bound snapshots kept)"}`);
    } catch (e) {
      const code = e instanceof ApiError ? e.code : undefined;
      if (isImageNotFound(e)) return;
      const changedUnderUs = code === "InvalidImageId.InShared" || code === "InvalidImageId.IncorrectState";
      if (!changedUnderUs || round >= MAX_ROUNDS || Date.now() > deadline) throw fail(causeOf(e), retryHint);
      // A share or a busy state appeared after the plan: look again and re-plan.
      facts = await describeImage(s, id, { deadline });
      continue;
    }

    try {
      await waitForImage(s, id, (f) => f === null, deadline, `image ${id} to disappear`);
      return;
    } catch (e) {
      throw fail(
        e instanceof WaitTimeout ? `DeleteImages was accepted but the image still shows after ${timeoutText}` : causeOf(e),
        retryHint,
      );
    }
  }
}
