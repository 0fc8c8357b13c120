/** `read` (refresh) and `update`, of the image and of its copies in other regions. */
import { ApiError } from "../cloud/call";
import { describeImage } from "../cloud/images";
import { credentialNextStep, isAuthFailure } from "../cloud/credentials-rules";
import { planUpdate } from "./diff-rules";
import { copyDriftWarnings, driftWarning, unmanagedSharesWarning } from "./drift-rules";
import { copiesFromOutputs, planCopies } from "./copies-rules";
import type { Copies } from "../schema/types";
import { deleteSpecFromOutputs } from "./deletion-rules";
import { identityMismatch, recordedIdentity } from "./identity-rules";
import { imageLabel } from "./messages-rules";
import { makeCopies, readCopies, updateCopies } from "./copies";
import { deleteCopies } from "./delete";
import { operationFailure } from "./messages-rules";
import { CheckedInputs, CustomImageState, DEFAULT_TIMEOUTS, isTransitional } from "../schema/types";
import { applyUpdatePlan } from "./apply-changes";
import { refuseAccountMove } from "./accounts";
import { tccliEndpoints, type Settings } from "../cloud/settings";
import {
  buildOutputs,
  causeOf,
  deadlineFrom,
  Rec,
  ResourceInitError,
  settingsFor,
  sharesOf,
  waitSettled,
  warnOn,
} from "./common";

/**
 * Reports the image as it is. Gone: an empty id, which drops it from the state. Otherwise the
 * outputs show the live name, description, family, tags and shares: managed shares still present
 * stay in `sharedWith`; other shares show in `unmanagedShares`.
 */
export async function readResource(
  id: string,
  props: Partial<CustomImageState> & Rec,
): Promise<{ id: string; props: Rec }> {
  try {
    // A `CustomImage.get` reads with only the id (and the region and profile it was given): the
    // region then comes from the defaults, and the outputs record it.
    const s = settingsFor(props.region, { profile: props.profile, operation: "imageId" in props ? "read" : "lookup" });
    const facts = await describeImage(s, id);
    if (!facts) return { id: "", props: {} };
    const urn = typeof props.resourceUrn === "string" ? props.resourceUrn : undefined;
    const managed = "imageId" in props; // a lookup (`CustomImage.get`) manages nothing: no delete to warn about
    const other = managed && identityMismatch(id, recordedIdentity(props), facts);
    if (other) {
      await warnOn(
        urn,
        `${imageLabel(id, props.imageName, props.region)}: ${other}; the refresh drops the recorded image from the state and leaves this one alone`,
      );
      return { id: "", props: {} };
    }
    // Only the owner lists an image's shares: one shared with the account, or a public one, read by `CustomImage.get`, has none to show.
    const shares = facts.imageType === "PRIVATE_IMAGE" ? await sharesOf(s, facts) : [];
    if (!shares) return { id: "", props: {} }; // deleted: DescribeImages still lists it for a while
    const inputs = { ...props, region: props.region || s.region } as unknown as CheckedInputs & Rec;
    const recordedCopies = copiesFromOutputs(props);
    const copies = await readCopies(s, recordedCopies, props.sharedWith ?? []);
    const refreshed = buildOutputs(inputs, facts, shares, {
      adopted: props.adopted === true,
      managed: props.sharedWith ?? [],
      copies,
    });
    const texts = [
      driftWarning(id, props, refreshed),
      managed ? unmanagedSharesWarning(id, refreshed) : undefined,
      ...copyDriftWarnings(id, facts.imageName, recordedCopies, copies, props.sharedWith ?? [], props.deletionPolicy),
    ];
    for (const text of texts) if (text) await warnOn(urn, text);
    return { id, props: refreshed };
  } catch (e) {
    throw new Error(
      operationFailure({
        operation: "read",
        imageId: id,
        imageName: props.imageName,
        region: props.region,
        cause: causeOf(e, { imageName: props.imageName, region: props.region }),
        done: [],
        next: `${(e instanceof ApiError && isAuthFailure(e.code) && credentialNextStep(e.credentials, e.operation)) || "fix the cause (credentials, permissions, network) and run `pulumi refresh` again"}; a refresh only reads, and the state was left as it was`,
      }),
    );
  }
}

class GoneError extends Error {
  constructor(reason = "the image no longer exists (deleted outside the stack)") {
    super(reason);
  }
}

/** Applies in-place changes against what the cloud shows now, and returns the full outputs. */
export async function updateResource(
  id: string,
  olds: Partial<CustomImageState> & Rec,
  news: CheckedInputs & Rec,
): Promise<{ outs: Rec }> {
  const region = olds.region || news.region;
  const s = settingsFor(region, { profile: news.profile, operation: "update" });
  const deadline = deadlineFrom(news.timeouts?.update, DEFAULT_TIMEOUTS.update);
  const done: string[] = [];
  const name = olds.imageName;
  /** The copies as they are now: each step updates it, so a failure records what exists. */
  const copies = copiesFromOutputs(olds);
  await refuseAccountMove(s, id, olds, news); // a new `profile` must reach the same account; refused before any change
  try {
    let facts = await describeImage(s, id, { deadline });
    if (!facts) throw new GoneError();
    const other = identityMismatch(id, recordedIdentity(olds), facts);
    if (other) throw new GoneError(`${other}; nothing was changed on it`);
    if (isTransitional(facts.imageState)) facts = (await waitSettled(s, id, deadline)) ?? facts;
    const shares = await sharesOf(s, facts, deadline);
    if (!shares) throw new GoneError();
    const plan = planUpdate(olds, news, { image: facts, shares });
    await applyUpdatePlan(s, id, plan, deadline, done);
    let final = (await describeImage(s, id, { deadline })) ?? facts;
    // The copies: a removed region's copy is deleted (under the new policy), the others follow the image, new regions are copied to.
    const copyPlan = planCopies(copies, news.copyTo ?? []);
    if (copyPlan.remove.length) {
      const spec = {
        ...deleteSpecFromOutputs(id, { ...news, region, sharedWith: olds.sharedWith ?? [] }),
        endpoints: tccliEndpoints(),
      };
      await deleteCopies(spec, copyPlan.remove, deadline, news.resourceUrn, { withImage: false });
      for (const { region: r, copy } of copyPlan.remove) {
        delete copies[r];
        done.push(`deleted the copy in ${r} (${copy.imageId})`);
      }
    }
    await updateCopies(s, olds, news, copies, deadline, done);
    if (copyPlan.add.length) {
      await makeCopies(s, final, copyPlan.add, news.sharedWith ?? [], deadline, copies, done);
      final = (await describeImage(s, id, { deadline })) ?? final;
    }
    const finalShares = (await sharesOf(s, final, deadline)) ?? shares;
    // Adopting the resource's own image is an in-place update (see adoptsOwnImage): record the adoption.
    const adopted = olds.adopted === true || news.adoptImageId !== undefined;
    return { outs: buildOutputs({ ...news, region: region ?? news.region }, final, finalShares, { adopted, copies }) };
  } catch (e) {
    const gone = e instanceof GoneError;
    const message = operationFailure({
      operation: "update",
      imageId: id,
      imageName: name,
      region,
      cause: gone ? e.message : causeOf(e, { imageName: news.imageName, region, accounts: news.sharedWith }),
      done,
      next: gone
        ? "run `pulumi refresh` to drop it from the state, then `pulumi up` to create it again"
        : "fix the cause and run `pulumi up` again; the update starts from what the cloud shows, so finished steps are not repeated",
    });
    const recorded = gone ? undefined : await describedAfterFailure(s, id, olds, news, region, copies);
    // With outputs, the engine records them (the steps already applied, the new policies) instead of keeping the old ones.
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
    const facts = await describeImage(s, id);
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
