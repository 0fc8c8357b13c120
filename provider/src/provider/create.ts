/** `create`: make (or adopt) the image, wait until NORMAL, then share. */
import { ApiError } from "../cloud/call";
import { createImage, findPrivateImagesByName, importImage, modifyImageAttribute } from "../cloud/images";
import { instanceOsName } from "../cloud/usage";
import { describeShares, modifyShares } from "../cloud/sharing";
import type { Settings } from "../cloud/settings";
import { accounts } from "./deletion-rules";
import {
  attributesLeftAfterCreate,
  attributesMadeByCreateCall,
  changesDescription,
  updateChanges,
  sharesAfter,
} from "./diff-rules";
import { describeImageNow } from "../cloud/describes";
import { processState } from "../cloud/process";
import { backoffDelay } from "../cloud/errors";
import { isSharedWithRefusal, operationFailure } from "./messages-rules";
import { createdSince, isOwnLeftover, sourceMatch } from "../cloud/reconcile-rules";
import { CheckedInputs, DEFAULT_TIMEOUTS, ImageFacts, isFailed, isTransitional } from "../schema/types";
import { applyUpdateChanges } from "./apply-changes";
import type { Copies } from "../schema/types";
import { makeCopies } from "./copies";
import { buildOutputs, causeOf, deadlineFrom, Rec, settingsFor, sharesOf, waitForImage } from "./common";
import { ResourceInitError, WaitTimeout } from "./errors";
import { CREATE_ATTRIBUTE_KEYS, type CreateAttributes } from "../schema/api-fields";
import { Journal, mayHaveTakenEffect, runSteps } from "./steps";

type Inputs = CheckedInputs & Rec;

function ctxOf(inputs: Inputs) {
  return {
    imageName: inputs.imageName,
    region: inputs.region,
    instanceId: inputs.fromInstance?.instanceId,
    accounts: inputs.sharedWith,
  };
}

/** The source field of the inputs, for messages. */
const sourceFieldOf = (inputs: Inputs) =>
  inputs.fromImport ? "fromImport" : inputs.fromSnapshots ? "fromSnapshots" : "fromInstance";
/** The API action that makes the image. */
const createActionOf = (inputs: Inputs) => (inputs.fromImport ? "ImportImage" : "CreateImage");

function isDuplicateName(e: unknown): boolean {
  return e instanceof ApiError && e.code === "InvalidImageName.Duplicate";
}

/** The create call may have made the image (its answer was lost), but looking for it failed. */
class LostAnswerError extends Error {
  constructor(
    readonly action: string,
    readonly imageName: string,
    lost: unknown,
    lookup: unknown,
  ) {
    super(
      `${action} failed without a clear answer (${causeOf(lost)}), so it may have made image "${imageName}"; looking ` +
        `for it by its name failed (${causeOf(lookup)})`,
    );
  }
}

/** The name is taken by an image that is not shown to be this resource's. */
class NameTakenError extends Error {
  constructor(
    readonly image: ImageFacts,
    region: string,
  ) {
    super(
      `the name "${image.imageName}" is already used by another image in ${region} (${image.imageId}, ` +
        `${image.imageState || "state unknown"}, created ${image.createdTime || "recently"}), ` +
        "which is not shown to be this resource's (same source, description, family and tags); image names are " +
        "unique per region",
    );
  }
}

/** CreateImage or ImportImage with the inputs; the new image id. */
function sendCreate(s: Settings, inputs: Inputs, deadline: number): Promise<string> {
  // The attributes the property table sets at creation (`api.create`), whatever they are.
  const given = Object.fromEntries(CREATE_ATTRIBUTE_KEYS.map((k) => [k, inputs[k]]));
  const common = { ...given, imageName: inputs.imageName ?? "" } as CreateAttributes;
  if (inputs.fromImport) return importImage(s, { ...common, source: inputs.fromImport }, { deadline });
  if (inputs.fromSnapshots)
    return createImage(s, { ...common, snapshotIds: inputs.fromSnapshots.snapshotIds }, { deadline });
  const fi = inputs.fromInstance!;
  return createImage(
    s,
    {
      ...common,
      instanceId: fi.instanceId,
      dataDiskIds: fi.dataDiskIds,
      forcePowerOff: fi.forcePowerOff,
      sysprep: fi.sysprep,
    },
    { deadline },
  );
}

/** The image id, and how it was found when it was not the create call's answer (a journal line). */
interface StartedImage {
  imageId: string;
  found?: string;
}

/**
 * Starts CreateImage/ImportImage. They are not idempotent, so a failure that may have taken effect
 * (network, 5xx) is reconciled, never repeated blindly: the image is looked up by its exact name
 * among this account's images in the region; one created since the call was sent (and not from
 * another source) is this resource's. Only when none is found is the call sent again. A name
 * already taken without such a failure in this run (a re-run after a lost answer) is this
 * resource's when the image has its source and declared attributes (see `isOwnLeftover`).
 */
async function startImage(s: Settings, inputs: Inputs, deadline: number): Promise<StartedImage> {
  const sent = Date.now();
  let lost: unknown;
  for (let attempt = 0; ; attempt++) {
    let failure: unknown;
    try {
      const imageId = await sendCreate(s, inputs, deadline);
      processState.claimedImages.add(imageId);
      return { imageId };
    } catch (e) {
      failure = e;
    }
    if (mayHaveTakenEffect(failure)) lost = failure;
    const duplicate = isDuplicateName(failure);
    if (!lost && !duplicate) throw failure;

    const named = await lookUpByName(s, inputs, deadline, failure, lost);
    if (!lost) return takeOverLeftover(s, inputs, deadline, named, failure);
    const found = findLostImage(inputs, named, sent);
    if (found) return found;
    // None shows: send again while the failure may pass, or while the image the name belongs to may not show yet.
    if (!(mayHaveTakenEffect(failure) || duplicate) || attempt >= s.tuning.retryAttempts - 1 || Date.now() > deadline)
      throw failure;
    await new Promise((r) => setTimeout(r, backoffDelay(attempt, s.tuning.retryBaseMs, s.tuning.retryMaxMs)));
  }
}

/**
 * The private images named like the resource, looked up after the create call failed (`failure`;
 * `lost` when it may have taken effect, and then a failed look-up is a {@link LostAnswerError}).
 */
async function lookUpByName(
  s: Settings,
  inputs: Inputs,
  deadline: number,
  failure: unknown,
  lost: unknown,
): Promise<ImageFacts[]> {
  const name = inputs.imageName ?? "";
  try {
    return await findPrivateImagesByName(s, name, { deadline });
  } catch (lookupError) {
    if (lost) throw new LostAnswerError(createActionOf(inputs), name, lost, lookupError);
    throw failure;
  }
}

/** Takes the image as this resource's; `found` says how it was found (a journal line). */
function claim(img: ImageFacts, found: string): StartedImage {
  processState.claimedImages.add(img.imageId);
  return { imageId: img.imageId, found };
}

/**
 * After a create call whose answer was lost: the image it made (named like the resource, created
 * since the call was `sent`, not from another source, not another resource's), or undefined when
 * none shows yet. An image with the name that is not this resource's is a {@link NameTakenError}.
 */
function findLostImage(inputs: Inputs, named: ImageFacts[], sent: number): StartedImage | undefined {
  const mine = named.filter(
    (img) =>
      createdSince(img, sent) && sourceMatch(img, inputs) !== "no" && !processState.claimedImages.has(img.imageId),
  );
  if (mine.length === 1) {
    return claim(
      mine[0],
      `${createActionOf(inputs)} took effect though its answer was lost: found ${mine[0].imageId} by its name, ` +
        `created since the call was sent`,
    );
  }
  // Names are unique: an image with the name that is not this resource's means none of ours exists.
  if (named.length) throw new NameTakenError(named[0], inputs.region);
  return undefined;
}

/**
 * The name is taken without a lost answer in this run: the image is this resource's when it is its
 * own leftover (see `isOwnLeftover`), else a {@link NameTakenError}; with no image, `failure` stands.
 */
async function takeOverLeftover(
  s: Settings,
  inputs: Inputs,
  deadline: number,
  named: ImageFacts[],
  failure: unknown,
): Promise<StartedImage> {
  const [taken] = named;
  if (!taken) throw failure;
  const osName = inputs.fromInstance
    ? await instanceOsName(s, inputs.fromInstance.instanceId, { deadline }).catch(() => undefined)
    : undefined;
  const match = sourceMatch(taken, inputs, osName === undefined ? undefined : { osName });
  if (isOwnLeftover(taken, inputs, match, processState.claimedImages.has(taken.imageId))) {
    processState.takenOver.add(taken.imageId);
    return claim(
      taken,
      `found ${taken.imageId}, which already had this name, this resource's ${sourceFieldOf(inputs)} and attributes ` +
        `(left by an earlier run whose ${createActionOf(inputs)} answer was lost): taken as this resource's image`,
    );
  }
  throw new NameTakenError(taken, inputs.region);
}

/** The failure of a create before any image of this resource is known: nothing to record. */
function failureWithoutImage(inputs: Inputs, e: unknown): Error {
  const name = inputs.imageName ?? "";
  const op = { operation: "create" as const, imageId: "", imageName: inputs.imageName, region: inputs.region };
  if (e instanceof LostAnswerError) {
    // An auto-name is drawn from the resource's URN and source (see validate.ts): a re-run draws the
    // same one, and finds the image like an explicit name; without a URN it is random.
    const next =
      inputs.autoNamed && !inputs.resourceUrn
        ? `look for an image named "${name}" in ${inputs.region} (console or DescribeImages): a re-run draws a new ` +
          `auto-name and would not find it, so if it exists adopt it (\`adoptImageId\` instead of ` +
          `${sourceFieldOf(inputs)}) or delete it; then run \`pulumi up\` again`
        : `run \`pulumi up\` again: an image named "${name}" with this resource's ${sourceFieldOf(inputs)} and ` +
          `attributes is then taken as this resource's image, never made twice`;
    const journal = new Journal();
    journal.uncertain(`sent ${e.action} for "${name}"; it may have made the image`);
    return new Error(operationFailure({ ...op, cause: e.message, done: journal.lines(), next }));
  }
  if (e instanceof NameTakenError) {
    // Whether that image is this stack's resource under an old name cannot be seen from here (the provider does not see
    // the state), so the rename case is named as a possibility; `cvm-image preflight` detects it from the plan.
    const next =
      `if this resource was renamed or moved and ${e.image.imageId} is its image under the old name, add ` +
      `\`aliases: [{ name: "<old name>" }]\` to its resource options and run \`pulumi up\` again; otherwise choose ` +
      `another imageName (or delete that image) and run \`pulumi up\` again; or, if ${e.image.imageId} is this ` +
      `resource's image, adopt it: replace ${sourceFieldOf(inputs)} with \`adoptImageId: "${e.image.imageId}"\` and ` +
      `run \`pulumi up\``;
    return new Error(operationFailure({ ...op, cause: e.message, done: [], next }));
  }
  return new Error(
    operationFailure({
      ...op,
      cause: causeOf(e, ctxOf(inputs)),
      done: [],
      next: "fix the cause and run `pulumi up` again",
    }),
  );
}

/** The image to adopt could not be verified: nothing was changed, nothing is recorded. */
class NotAdoptable extends Error {
  constructor(
    readonly reason: string,
    readonly next: string,
    readonly imageName?: string,
  ) {
    super(reason);
  }
}

/** What a failed read of the adoption check says next: nothing was changed. */
const ADOPT_RETRY = "fix the cause and run `pulumi up` again; nothing was adopted or changed, so the run starts over";

/** Awaits a read of the adoption check; its failure is a {@link NotAdoptable} (nothing was changed). */
async function readForAdoption<T>(inputs: Inputs, what: Promise<T>, name?: string): Promise<T> {
  try {
    return await what;
  } catch (e) {
    throw new NotAdoptable(
      e instanceof WaitTimeout
        ? `${causeOf(e)} (timeouts.create = ${inputs.timeouts.create})`
        : causeOf(e, ctxOf(inputs)),
      ADOPT_RETRY,
      name,
    );
  }
}

/**
 * Why the image `adoptImageId` names cannot be adopted (not this account's custom image, or failed),
 * or undefined when it can. The reason starts with the input that causes it.
 */
function adoptionRefusal(imageId: string, facts: ImageFacts): NotAdoptable | undefined {
  const input = `adoptImageId: ${imageId}`;
  if (facts.imageType !== "PRIVATE_IMAGE") {
    const why =
      facts.imageType === "SHARED_IMAGE"
        ? `is a SHARED_IMAGE: it belongs to account ${facts.imageCreator || "(unknown)"} and is only shared with ` +
          `this account, so this account cannot rename, share or delete it`
        : facts.imageType === "PUBLIC_IMAGE"
          ? "is a PUBLIC_IMAGE provided by Tencent Cloud, not a custom image"
          : `has type ${facts.imageType || "unknown"}, not PRIVATE_IMAGE`;
    return new NotAdoptable(
      `${input} ${why}; only this account's custom images (PRIVATE_IMAGE) can be adopted`,
      "adopt it with the owner account's credentials, or reference it by id without managing it",
      facts.imageName,
    );
  }
  if (isFailed(facts.imageState)) {
    return new NotAdoptable(
      `${input} is ${facts.imageState}, so there is nothing usable to adopt`,
      "delete it in the console or with DeleteImages, and create a new image instead",
      facts.imageName,
    );
  }
  return undefined;
}

/** Verifies that the image is this account's usable custom image (waiting out a busy state); read-only. */
async function verifyAdoptable(
  s: Settings,
  inputs: Inputs,
  deadline: number,
): Promise<{ facts: ImageFacts; shares: string[] }> {
  const imageId = inputs.adoptImageId!;
  let facts = await readForAdoption(inputs, describeImageNow(s, imageId, { crowd: true }));
  if (!facts) {
    throw new NotAdoptable(
      `adoptImageId: ${imageId} does not exist in ${inputs.region}`,
      "check adoptImageId and region (an image is adopted in its own region)",
    );
  }
  const refusal = adoptionRefusal(imageId, facts);
  if (refusal) throw refusal;
  if (isTransitional(facts.imageState)) {
    const settled = await readForAdoption(
      inputs,
      waitForImage(
        s,
        imageId,
        (f) => !f || !isTransitional(f.imageState),
        deadline,
        `image ${imageId} to become NORMAL`,
      ),
      facts.imageName,
    );
    if (!settled) {
      throw new NotAdoptable(
        `adoptImageId: ${imageId} was deleted while it was ${facts.imageState}`,
        "check adoptImageId",
        facts.imageName,
      );
    }
    facts = settled;
  }
  const shares = await readForAdoption(inputs, describeShares(s, imageId, { deadline }), facts.imageName);
  return { facts, shares };
}

/**
 * Adoption: verify the image is this account's custom image (read-only: a failure records nothing
 * and says nothing was changed), then apply the desired attributes and shares. From the first
 * change on, every failure records the image as adopted, with its outputs re-described from the
 * cloud, and the message lists what was done.
 */
async function adopt(s: Settings, inputs: Inputs, deadline: number): Promise<{ id: string; outs: Rec }> {
  const imageId = inputs.adoptImageId!;
  let verified: { facts: ImageFacts; shares: string[] };
  try {
    verified = await verifyAdoptable(s, inputs, deadline);
  } catch (e) {
    const v =
      e instanceof NotAdoptable
        ? e
        : new NotAdoptable(causeOf(e, ctxOf(inputs)), "fix the cause and run `pulumi up` again");
    throw new Error(
      operationFailure({
        operation: "adopt",
        imageId,
        imageName: v.imageName,
        region: inputs.region,
        cause: v.reason,
        done: [],
        next: v.next,
      }),
    );
  }
  const { facts, shares } = verified;
  const journal = new Journal([`adopted ${imageId}`]);
  const copies: Copies = {};
  const plan = updateChanges({ sharedWith: [], adopted: true }, inputs, { image: facts, shares });
  try {
    await applyUpdateChanges(s, imageId, plan, deadline, journal);
    await makeCopies(s, facts, inputs.copyTo ?? [], inputs.sharedWith, deadline, copies, journal);
    // The shares were listed once, before anything changed; the plan says what they are now.
    const final =
      changesDescription(plan) || inputs.copyTo?.length ? ((await describeImageNow(s, imageId)) ?? facts) : facts;
    return { id: imageId, outs: buildOutputs(inputs, final, sharesAfter(shares, plan), { adopted: true, copies }) };
  } catch (e) {
    const message = operationFailure({
      operation: "adopt",
      imageId,
      imageName: facts.imageName,
      region: inputs.region,
      cause: causeOf(e, ctxOf(inputs)),
      done: journal.lines(),
      next: "the image is recorded in the stack as adopted; fix the cause and run `pulumi up` again to finish",
    });
    throw new ResourceInitError(
      message,
      imageId,
      await outputsToRecord(s, imageId, inputs, { facts, shares, copies }, { adopted: true }),
    );
  }
}

/**
 * Creates the image and returns its id and full outputs, in steps: start it (or adopt an existing
 * one), wait until it is NORMAL, set the attributes the create call cannot, share it, copy it,
 * and take a final look at its shares.
 */
export async function createResource(inputs: Inputs): Promise<{ id: string; outs: Rec }> {
  const s = settingsFor(inputs.region, { profile: inputs.profile, operation: "create" });
  const deadline = deadlineFrom(inputs.timeouts?.create, DEFAULT_TIMEOUTS.create);
  if (inputs.adoptImageId) return adopt(s, inputs, deadline);

  const run = await startRun(s, inputs, deadline);
  let facts!: ImageFacts; // the image as the last step saw it (the first step sets it)
  let shares: string[] = [];
  const copies: Copies = {};
  // Each step records what it did in `run.journal`, and turns its own failure into the message.
  await runSteps(run.journal, [
    { name: "wait until NORMAL", run: async () => void (facts = await waitUntilNormal(run)) },
    { name: "set the attributes left", run: async () => void (facts = await setAttributesLeft(run, facts)) },
    { name: "share", run: () => shareImage(run, facts) },
    { name: "copy", run: async () => void (facts = await copyImage(run, facts, copies)) },
    { name: "list the shares", run: async () => void (shares = await finalShares(run, facts, copies)) },
  ]);
  return { id: run.imageId, outs: buildOutputs(inputs, facts, shares, { adopted: false, copies }) };
}

/** A create whose image is known: what each step needs, and the journal of what was done. */
interface CreateRun {
  s: Settings;
  inputs: Inputs;
  deadline: number;
  imageId: string;
  journal: Journal;
}

/** Starts the image (see {@link startImage}); a failure before any image is known records nothing. */
async function startRun(s: Settings, inputs: Inputs, deadline: number): Promise<CreateRun> {
  let started: StartedImage;
  try {
    started = await startImage(s, inputs, deadline);
  } catch (e) {
    throw failureWithoutImage(inputs, e);
  }
  const imageId = started.imageId;
  const journal = new Journal([started.found ?? `started ${createActionOf(inputs)} (${imageId})`]);
  return { s, inputs, deadline, imageId, journal };
}

/** Every failure once the image is known records it (nothing leaks), as the cloud shows it now. */
async function initFailure(run: CreateRun, cause: string, known: KnownImage, next: string): Promise<ResourceInitError> {
  const { s, inputs, imageId, journal } = run;
  return new ResourceInitError(
    operationFailure({
      operation: "create",
      imageId,
      imageName: inputs.imageName,
      region: inputs.region,
      cause,
      done: journal.lines(),
      next,
    }),
    imageId,
    await outputsToRecord(s, imageId, inputs, known),
  );
}

/** Waits until the image is NORMAL; it is recorded when it times out or fails, not when it is gone. */
async function waitUntilNormal(run: CreateRun): Promise<ImageFacts> {
  const { s, inputs, imageId, journal } = run;
  let facts: ImageFacts | null;
  try {
    facts = await waitForImage(
      s,
      imageId,
      (f) => !f || !isTransitional(f.imageState),
      run.deadline,
      `image ${imageId} to become NORMAL`,
    );
  } catch (e) {
    const timedOut = e instanceof WaitTimeout;
    throw await initFailure(
      run,
      timedOut ? `${causeOf(e)} (timeouts.create = ${inputs.timeouts.create})` : causeOf(e, ctxOf(inputs)),
      { facts: timedOut ? e.last : null, shares: [] },
      timedOut
        ? "the image is recorded in the stack; run `pulumi up` again once it is NORMAL (or raise timeouts.create), " +
            "or `pulumi destroy` to delete it"
        : "the image is recorded in the stack; fix the cause and run `pulumi up` again to finish, or `pulumi " +
            "destroy` to delete it",
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
        done: journal.lines(),
        next: "run `pulumi up` again to create a new one",
      }),
    );
  }
  if (isFailed(facts.imageState)) {
    throw await initFailure(
      run,
      `the image ended ${facts.imageState}`,
      { facts, shares: [] },
      "it is recorded in the stack so nothing leaks: the next `pulumi up` replaces it, `pulumi destroy` deletes it",
    );
  }
  journal.done(`${imageId} became NORMAL`);
  return facts;
}

/** Sets the attributes the create call cannot set (e.g. imageDeprecated; see the property table). */
async function setAttributesLeft(run: CreateRun, facts: ImageFacts): Promise<ImageFacts> {
  const left = attributesLeftAfterCreate(run.inputs, facts);
  if (!left) return facts;
  try {
    await modifyImageAttribute(run.s, run.imageId, left, { deadline: run.deadline });
  } catch (e) {
    throw await initFailure(
      run,
      causeOf(e, ctxOf(run.inputs)),
      { facts, shares: [] },
      "the image is recorded in the stack; fix the cause and run `pulumi up` again to finish",
    );
  }
  run.journal.done(`set ${Object.keys(left).join(", ")}`);
  return { ...facts, ...left };
}

/** Shares the image with `sharedWith`; a failure records the accounts shared with so far. */
async function shareImage(run: CreateRun, facts: ImageFacts): Promise<void> {
  const { s, inputs, imageId, journal } = run;
  if (!inputs.sharedWith.length) return;
  const shared: string[] = [];
  try {
    await modifyShares(s, imageId, inputs.sharedWith, "SHARE", {
      deadline: run.deadline,
      onChunk: (c) => shared.push(...c),
    });
  } catch (e) {
    if (shared.length) journal.done(`shared with ${accounts(shared)}`);
    const code = e instanceof ApiError ? e.code : undefined;
    const next = isSharedWithRefusal(code)
      ? "the image is recorded in the stack; fix sharedWith and run `pulumi up` again to finish sharing"
      : "the image is recorded in the stack; fix the cause and run `pulumi up` again to finish sharing";
    throw await initFailure(run, causeOf(e, ctxOf(inputs)), { facts, shares: shared }, next);
  }
  journal.done(`shared with ${accounts(inputs.sharedWith)}`);
}

/** Makes the copies in `copyTo` (recorded in `copies` as they are made); the image as it is after. */
async function copyImage(run: CreateRun, facts: ImageFacts, copies: Copies): Promise<ImageFacts> {
  const { s, inputs, imageId, deadline } = run;
  if (!inputs.copyTo?.length) return facts;
  try {
    await makeCopies(s, facts, inputs.copyTo, inputs.sharedWith, deadline, copies, run.journal);
    return (await describeImageNow(s, imageId)) ?? facts; // the source shows SYNCING while the copies run
  } catch (e) {
    throw await initFailure(
      run,
      causeOf(e, ctxOf(inputs)),
      { facts, shares: inputs.sharedWith, copies },
      "the image and the copies made so far are recorded in the stack; fix the cause and run `pulumi up` again to " +
        "finish copying",
    );
  }
}

/** The final look: the image's shares as the cloud lists them. */
async function finalShares(run: CreateRun, facts: ImageFacts, copies: Copies): Promise<string[]> {
  try {
    return await describeShares(run.s, run.imageId, { deadline: run.deadline });
  } catch (e) {
    throw await initFailure(
      run,
      `listing the shares at the end failed: ${causeOf(e)}`,
      { facts, shares: run.inputs.sharedWith, copies },
      "the image is recorded in the stack; fix the cause and run `pulumi up` again to finish (it re-reads the image " +
        "and its shares)",
    );
  }
}

/** What a create (or adoption) knows of its image when it fails: its facts, shares and the copies made. */
interface KnownImage {
  facts: ImageFacts | null;
  shares: string[];
  copies?: Copies;
}

/**
 * The outputs an init error records: the image and its shares as the cloud shows them now (shares
 * in `sharedWith` count as managed), else what the create (or adoption) knows (`known`), and the
 * copies made so far.
 */
async function outputsToRecord(
  s: Settings,
  imageId: string,
  inputs: Inputs,
  known: KnownImage,
  o: { adopted: boolean } = { adopted: false },
): Promise<Rec> {
  let facts = known.facts;
  let shares = known.shares;
  try {
    const now = await describeImageNow(s, imageId, { crowd: true });
    const nowShares = now && (await sharesOf(s, now));
    if (now && nowShares) {
      facts = now;
      shares = nowShares;
    }
  } catch {
    /* the cloud cannot be read now: record what is known */
  }
  const placeholder: ImageFacts = {
    imageId,
    ...attributesMadeByCreateCall(inputs),
    imageState: "CREATING",
    imageType: "PRIVATE_IMAGE",
    imageCreator: "",
    snapshotIds: [],
    createdTime: "",
    architecture: "",
    platform: "",
    osName: "",
  };
  return {
    ...buildOutputs(inputs, facts ?? placeholder, shares, { ...o, copies: known.copies }),
    __provider: inputs.__provider,
  };
}
