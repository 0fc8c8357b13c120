/** `update`: in-place changes of the image and of its copies in other regions, against what the cloud shows now. */
import { describeImageNow } from "../cloud/describes";
import { updateChanges } from "./diff-rules";
import { copiesFromOutputs, copyChanges } from "./copies-rules";
import type { Copies } from "../schema/types";
import { deleteSpecFromOutputs, identityMismatch, recordedIdentity } from "./deletion-rules";
import { makeCopies, updateCopies } from "./copies";
import { deleteCopies } from "./delete";
import { operationFailure } from "./messages-rules";
import { CheckedInputs, CustomImageState, DEFAULT_TIMEOUTS, isTransitional, type ImageFacts } from "../schema/types";
import { applyUpdateChanges } from "./apply-changes";
import { refuseAccountMove } from "./accounts";
import { tccliEndpoints, type Settings } from "../cloud/settings";
import { buildOutputs, causeOf, deadlineFrom, Rec, settingsFor, sharesOf, waitSettled } from "./common";
import { ResourceInitError, ImageGone } from "./errors";
import { Journal, runSteps } from "./steps";

/** Applies in-place changes against what the cloud shows now, and returns the full outputs. */
export async function updateResource(
  id: string,
  olds: Partial<CustomImageState> & Rec,
  news: CheckedInputs & Rec,
): Promise<{ outs: Rec }> {
  const region = olds.region || news.region;
  const s = settingsFor(region, { profile: news.profile, operation: "update" });
  const deadline = deadlineFrom(news.timeouts?.update, DEFAULT_TIMEOUTS.update);
  const journal = new Journal();
  const name = olds.imageName;
  /** The copies as they are now: each step updates it, so a failure records what exists. */
  const copies = copiesFromOutputs(olds);
  await refuseAccountMove(s, id, olds, news); // a new `profile` must reach the same account; refused before any change
  try {
    let facts = await describeImageNow(s, id);
    if (!facts) throw new ImageGone();
    const other = identityMismatch(id, recordedIdentity(olds), facts);
    if (other) throw new ImageGone(`${other}; nothing was changed on it`);
    if (isTransitional(facts.imageState)) facts = (await waitSettled(s, id, deadline)) ?? facts;
    const shares = await sharesOf(s, facts, deadline);
    if (!shares) throw new ImageGone();
    const plan = updateChanges(olds, news, { image: facts, shares });
    await applyUpdateChanges(s, id, plan, deadline, journal);
    let final = (await describeImageNow(s, id)) ?? facts;
    final = await applyCopyChanges(s, id, olds, news, copies, final, deadline, journal);
    const finalShares = (await sharesOf(s, final, deadline)) ?? shares;
    // Adopting the resource's own image is an in-place update (see adoptsOwnImage): record the adoption.
    const adopted = olds.adopted === true || news.adoptImageId !== undefined;
    return { outs: buildOutputs({ ...news, region: region ?? news.region }, final, finalShares, { adopted, copies }) };
  } catch (e) {
    const gone = e instanceof ImageGone;
    const message = operationFailure({
      operation: "update",
      imageId: id,
      imageName: name,
      region,
      cause: gone ? e.message : causeOf(e, { imageName: news.imageName, region, accounts: news.sharedWith }),
      done: journal.lines(),
      next: gone
        ? "run `pulumi refresh` to drop it from the state, then `pulumi up` to create it again"
        : "fix the cause and run `pulumi up` again; the update starts from what the cloud shows, so finished steps " +
          "are not repeated",
    });
    const recorded = gone ? undefined : await describedAfterFailure(s, id, olds, news, region, copies);
    // With outputs, the engine records them (the steps already
    // applied, the new policies) instead of keeping the old ones.
    if (recorded) throw new ResourceInitError(message, id, recorded);
    throw new Error(message);
  }
}

/**
 * The outputs after a failed update, as the cloud shows the image now, with the news' policies.
 * Shares managed before or after the change stay managed: one the update failed to cancel stays in
 * `sharedWith`, so the next update cancels it. Undefined when the image cannot be described.
 */
async function describedAfterFailure(
  s: Settings,
  id: string,
  olds: Partial<CustomImageState> & Rec,
  news: CheckedInputs & Rec,
  region: string | undefined,
  copies: Copies,
): Promise<Rec | undefined> {
  try {
    const facts = await describeImageNow(s, id);
    const shares = facts && (await sharesOf(s, facts));
    if (!facts || !shares) return undefined;
    const managed = [...new Set([...(olds.sharedWith ?? []), ...(news.sharedWith ?? [])])];
    const adopted = olds.adopted === true || news.adoptImageId !== undefined;
    return {
      ...buildOutputs({ ...news, region: region ?? news.region }, facts, shares, { adopted, managed, copies }),
      __provider: news.__provider,
    };
  } catch {
    return undefined;
  }
}

/**
 * The copies' part of an update: a removed region's copy is deleted (under the new policy), the
 * others follow the image, new regions are copied to, each a step of `journal`. `copies` and `journal` are
 * updated as each step ends; returns the image as described after the new copies (or `final` unchanged).
 */
async function applyCopyChanges(
  s: Settings,
  id: string,
  olds: Partial<CustomImageState> & Rec,
  news: CheckedInputs & Rec,
  copies: Copies,
  final: ImageFacts,
  deadline: number,
  journal: Journal,
): Promise<ImageFacts> {
  const region = olds.region || news.region;
  const wantedCopies = copyChanges(copies, news.copyTo ?? []);
  const removeCopies = async () => {
    const spec = {
      ...deleteSpecFromOutputs(id, { ...news, region, sharedWith: olds.sharedWith ?? [] }),
      endpoints: tccliEndpoints(),
    };
    await deleteCopies(spec, wantedCopies.remove, deadline, news.resourceUrn, { withImage: false });
    for (const { region: r, copy } of wantedCopies.remove) {
      delete copies[r];
      journal.done(`deleted the copy in ${r} (${copy.imageId})`);
    }
  };
  const addCopies = async () => {
    await makeCopies(s, final, wantedCopies.add, news.sharedWith ?? [], deadline, copies, journal);
    final = (await describeImageNow(s, id)) ?? final;
  };
  await runSteps(journal, [
    ...(wantedCopies.remove.length ? [{ name: "delete removed copies", run: removeCopies }] : []),
    { name: "update copies", run: () => updateCopies(s, olds, news, copies, deadline, journal) },
    ...(wantedCopies.add.length ? [{ name: "make new copies", run: addCopies }] : []),
  ]);
  return final;
}
