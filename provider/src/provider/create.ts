/** `create`: make (or adopt) the image, wait until NORMAL, then share. */
import { ApiError } from "../api/call";
import { createImage, describeImage, findPrivateImagesByName, importImage } from "../api/images";
import { describeShares, modifyShares } from "../api/sharing";
import type { Settings } from "../api/settings";
import { accounts } from "../logic/delete-plan";
import { planUpdate } from "../logic/diff";
import { backoffDelay } from "../logic/errors";
import { operationFailure } from "../logic/messages";
import { CheckedInputs, DEFAULT_TIMEOUTS, ImageFacts, isFailed, isTransitional } from "../logic/types";
import { applyUpdatePlan } from "./apply-changes";
import { buildOutputs, causeOf, deadlineFrom, Rec, ResourceInitError, settingsFor, waitForImage, WaitTimeout } from "./common";

type Inputs = CheckedInputs & Rec;

/** How far back an image found by name may have been created to count as ours after an ambiguous failure. */
const RECONCILE_WINDOW_MS = 10 * 60_000;

function ctxOf(inputs: Inputs) {
  return { imageName: inputs.imageName, region: inputs.region, instanceId: inputs.fromInstance?.instanceId, accounts: inputs.sharedWith };
}

function recentlyCreated(img: ImageFacts, since: number): boolean {
  const t = Date.parse(img.createdTime);
  return isTransitional(img.imageState) || (Number.isFinite(t) && t >= since - RECONCILE_WINDOW_MS);
}

/**
 * Whether an image found by name was made from this resource's source, as far as DescribeImages
 * shows it: an image from snapshots is bound to exactly those snapshots; an image from an instance
 * or an import gets new snapshots, and nothing DescribeImages shows names the instance or the file
 * (only a wrong snapshot count rules it out).
 */
function sourceMatch(img: ImageFacts, inputs: Inputs): "yes" | "no" | "unknown" {
  const have = [...new Set(img.snapshotIds)].sort();
  if (inputs.fromSnapshots) {
    if (have.length === 0) return "unknown";
    return JSON.stringify([...new Set(inputs.fromSnapshots.snapshotIds)].sort()) === JSON.stringify(have) ? "yes" : "no";
  }
  if (inputs.fromInstance && have.length > 0 && have.length !== 1 + new Set(inputs.fromInstance.dataDiskIds ?? []).size) return "no";
  return "unknown";
}

/** An image with this name appeared after an ambiguous failure, but it cannot be told to be this resource's. */
class UnconfirmedImageError extends Error {
  constructor(
    readonly image: ImageFacts,
    readonly sourceField: string,
    cause: unknown,
  ) {
    super(
      `an earlier ${sourceField === "fromImport" ? "ImportImage" : "CreateImage"} call failed without a clear answer (${causeOf(cause)}), and since then ` +
        `image ${image.imageId} ("${image.imageName}", ${image.imageState}, created ${image.createdTime || "just now"}) has this name; ` +
        `DescribeImages does not show that it was made from this resource's ${sourceField}, so it is not taken as this resource's image`,
    );
  }
}

/** The source field of the inputs, for messages. */
const sourceFieldOf = (inputs: Inputs) => (inputs.fromImport ? "fromImport" : inputs.fromSnapshots ? "fromSnapshots" : "fromInstance");

/**
 * Starts CreateImage/ImportImage. These are not idempotent: after an ambiguous failure (network,
 * 5xx) the image may exist, so it is looked up by its exact name before trying again.
 */
async function startImage(s: Settings, inputs: Inputs, deadline: number): Promise<string> {
  const name = inputs.imageName ?? "";
  const started = Date.now();
  let ambiguous = false;
  for (let attempt = 0; ; attempt++) {
    try {
      const common = { imageName: name, imageDescription: inputs.imageDescription, imageFamily: inputs.imageFamily, tags: inputs.tags };
      if (inputs.fromImport) return await importImage(s, { ...common, source: inputs.fromImport }, { deadline });
      if (inputs.fromSnapshots) return await createImage(s, { ...common, snapshotIds: inputs.fromSnapshots.snapshotIds }, { deadline });
      const fi = inputs.fromInstance!;
      return await createImage(s, { ...common, instanceId: fi.instanceId, dataDiskIds: fi.dataDiskIds, forcePowerOff: fi.forcePowerOff, sysprep: fi.sysprep }, { deadline });
    } catch (e) {
      const isAmbiguous = e instanceof ApiError && (e.kind === "network" || e.kind === "server");
      const isDuplicate = e instanceof ApiError && e.code === "InvalidImageName.Duplicate";
      if (!isAmbiguous && !(isDuplicate && ambiguous)) throw e;
      ambiguous = true;
      const found = (await findPrivateImagesByName(s, name, { deadline })).filter((img) => recentlyCreated(img, started) && sourceMatch(img, inputs) !== "no");
      if (found.length === 1) {
        if (sourceMatch(found[0], inputs) === "yes") return found[0].imageId;
        throw new UnconfirmedImageError(found[0], sourceFieldOf(inputs), e);
      }
      if (isDuplicate || attempt >= s.tuning.retryAttempts - 1 || Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, backoffDelay(attempt, s.tuning.retryBaseMs, s.tuning.retryMaxMs)));
    }
  }
}

/** Adoption: verify the image is this account's custom image, then apply the desired attributes and shares. */
async function adopt(s: Settings, inputs: Inputs, deadline: number): Promise<{ id: string; outs: Rec }> {
  const imageId = inputs.adoptImageId!;
  const fail = (cause: string, next: string, name?: string) =>
    new Error(operationFailure({ operation: "adopt", imageId, imageName: name, region: inputs.region, cause, done: [], next }));
  let facts = await describeImage(s, imageId, { deadline });
  if (!facts) {
    throw fail(`it does not exist in ${inputs.region}`, "check adoptImageId and region (an image is adopted in its own region)");
  }
  if (facts.imageType !== "PRIVATE_IMAGE") {
    const why =
      facts.imageType === "SHARED_IMAGE"
        ? `it is a SHARED_IMAGE: it belongs to account ${facts.imageCreator || "(unknown)"} and is only shared with this account, so this account cannot rename, share or delete it`
        : facts.imageType === "PUBLIC_IMAGE"
          ? "it is a PUBLIC_IMAGE provided by Tencent Cloud, not a custom image"
          : `its type is ${facts.imageType || "unknown"}, not PRIVATE_IMAGE`;
    throw fail(`only this account's custom images (PRIVATE_IMAGE) can be adopted, and ${why}`, "adopt it with the owner account's credentials, or reference it by id without managing it", facts.imageName);
  }
  if (isFailed(facts.imageState)) {
    throw fail(`it is ${facts.imageState}, so there is nothing usable to adopt`, "delete it in the console or with DeleteImages, and create a new image instead", facts.imageName);
  }
  if (isTransitional(facts.imageState)) {
    facts = (await waitForImage(s, imageId, (f) => !f || !isTransitional(f.imageState), deadline, `image ${imageId} to become NORMAL`))!;
  }
  const done: string[] = [`adopted ${imageId}`];
  const shares = await describeShares(s, imageId, { deadline });
  const plan = planUpdate({ sharedWith: [], adopted: true }, inputs, { image: facts, shares });
  try {
    await applyUpdatePlan(s, imageId, plan, deadline, done);
    const final = (await describeImage(s, imageId, { deadline })) ?? facts;
    const finalShares = await describeShares(s, imageId, { deadline });
    return { id: imageId, outs: buildOutputs(inputs, final, finalShares, { adopted: true }) };
  } catch (e) {
    const message = operationFailure({
      operation: "adopt",
      imageId,
      imageName: facts.imageName,
      region: inputs.region,
      cause: causeOf(e, ctxOf(inputs)),
      done,
      next: "the image is recorded in the stack as adopted; fix the cause and run `pulumi up` again to finish",
    });
    throw new ResourceInitError(message, imageId, { ...buildOutputs(inputs, facts, shares, { adopted: true }), __provider: inputs.__provider });
  }
}

/** Creates the image and returns its id and full outputs. */
export async function createResource(inputs: Inputs): Promise<{ id: string; outs: Rec }> {
  const s = settingsFor(inputs.region);
  const deadline = deadlineFrom(inputs.timeouts?.create, DEFAULT_TIMEOUTS.create);
  if (inputs.adoptImageId) return adopt(s, inputs, deadline);

  let imageId: string;
  try {
    imageId = await startImage(s, inputs, deadline);
  } catch (e) {
    const unconfirmed = e instanceof UnconfirmedImageError ? e : undefined;
    throw new Error(
      operationFailure({
        operation: "create",
        imageId: "",
        imageName: inputs.imageName,
        region: inputs.region,
        cause: unconfirmed ? unconfirmed.message : causeOf(e, ctxOf(inputs)),
        done: [],
        next: unconfirmed
          ? `if ${unconfirmed.image.imageId} is this resource's image, adopt it explicitly: replace ${unconfirmed.sourceField} with \`adoptImageId: "${unconfirmed.image.imageId}"\` and run \`pulumi up\`; ` +
            "if it is not, choose another imageName (or delete that image) and run `pulumi up` again"
          : "fix the cause and run `pulumi up` again",
      }),
    );
  }
  const done = [`started ${inputs.fromImport ? "ImportImage" : "CreateImage"} (${imageId})`];
  const recorded = (facts: ImageFacts | null, shares: string[]): Rec => ({
    ...buildOutputs(
      inputs,
      facts ?? {
        imageId,
        imageName: inputs.imageName ?? "",
        imageDescription: inputs.imageDescription ?? "",
        imageFamily: inputs.imageFamily ?? "",
        imageState: "CREATING",
        imageType: "PRIVATE_IMAGE",
        imageCreator: "",
        snapshotIds: [],
        createdTime: "",
        architecture: "",
        platform: "",
        osName: "",
        tags: inputs.tags ?? {},
      },
      shares,
      { adopted: false },
    ),
    __provider: inputs.__provider,
  });
  const initFailure = (cause: string, facts: ImageFacts | null, shares: string[], next: string) =>
    new ResourceInitError(
      operationFailure({ operation: "create", imageId, imageName: inputs.imageName, region: inputs.region, cause, done, next }),
      imageId,
      recorded(facts, shares),
    );

  let facts: ImageFacts | null;
  try {
    facts = await waitForImage(s, imageId, (f) => !f || !isTransitional(f.imageState), deadline, `image ${imageId} to become NORMAL`);
  } catch (e) {
    const last = e instanceof WaitTimeout ? e.last : null;
    throw initFailure(
      `${causeOf(e)} (timeouts.create = ${inputs.timeouts.create})`,
      last,
      [],
      "the image is recorded in the stack; run `pulumi up` again once it is NORMAL (or raise timeouts.create), or `pulumi destroy` to delete it",
    );
  }
  if (!facts) {
    throw new Error(
      operationFailure({
        operation: "create",
        imageId,
        imageName: inputs.imageName,
        region: inputs.region,
        cause: "the image disappeared while it was being created (deleted outside the stack?)",
        done,
        next: "run `pulumi up` again to create a new one",
      }),
    );
  }
  if (isFailed(facts.imageState)) {
    throw initFailure(
      `the image ended ${facts.imageState}`,
      facts,
      [],
      "it is recorded in the stack so nothing leaks: the next `pulumi up` replaces it, `pulumi destroy` deletes it",
    );
  }
  done.push(`${imageId} became NORMAL`);
  if (inputs.sharedWith.length) {
    const shared: string[] = [];
    try {
      await modifyShares(s, imageId, inputs.sharedWith, "SHARE", { deadline, onChunk: (c) => shared.push(...c) });
    } catch (e) {
      if (shared.length) done.push(`shared with ${accounts(shared)}`);
      throw initFailure(causeOf(e, ctxOf(inputs)), facts, shared, "the image is recorded in the stack; fix sharedWith and run `pulumi up` again to finish sharing");
    }
  }
  const shares = await describeShares(s, imageId, { deadline });
  return { id: imageId, outs: buildOutputs(inputs, facts, shares, { adopted: false }) };
}
