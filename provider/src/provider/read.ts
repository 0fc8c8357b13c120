/** `read` (refresh): the image and its copies in other regions as the cloud shows them, with drift warnings. */
import { ApiError } from "../cloud/call";
import { describeImageNow } from "../cloud/describes";
import { credentialNextStep, isAuthFailure } from "../cloud/credentials-rules";
import { copyDriftWarnings, driftWarning, unmanagedSharesWarning } from "./drift-rules";
import { copiesFromOutputs } from "./copies-rules";
import { identityMismatch, recordedIdentity } from "./deletion-rules";
import { imageLabel, operationFailure } from "./messages-rules";
import { readCopies } from "./copies";
import type { CheckedInputs, CustomImageState } from "../schema/types";
import { buildOutputs, causeOf, Rec, settingsFor, sharesOf, warnOn } from "./common";

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
    const facts = await describeImageNow(s, id, { crowd: true });
    if (!facts) return { id: "", props: {} };
    const urn = typeof props.resourceUrn === "string" ? props.resourceUrn : undefined;
    const managed = "imageId" in props; // a lookup (`CustomImage.get`) manages nothing: no delete to warn about
    const other = managed && identityMismatch(id, recordedIdentity(props), facts);
    if (other) {
      await warnOn(
        urn,
        `${imageLabel(id, props.imageName, props.region)}: ${other}; the refresh drops the recorded image from the ` +
          `state and leaves this one alone`,
      );
      return { id: "", props: {} };
    }
    // Only the owner lists an image's shares: one shared with the account,
    // or a public one, read by `CustomImage.get`, has none to show.
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
    const next =
      (e instanceof ApiError && isAuthFailure(e.code) && credentialNextStep(e.credentials, e.operation)) ||
      "fix the cause (credentials, permissions, network) and run `pulumi refresh` again";
    throw new Error(
      operationFailure({
        operation: "read",
        imageId: id,
        imageName: props.imageName,
        region: props.region,
        cause: causeOf(e, { imageName: props.imageName, region: props.region }),
        done: [],
        next: `${next}; a refresh only reads, and the state was left as it was`,
      }),
    );
  }
}
