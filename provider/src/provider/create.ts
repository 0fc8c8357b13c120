/** `create`: make (or adopt) the image, wait until NORMAL, then share. */
import { ApiError } from "../cloud/call";
import {
  createImage,
  describeImage,
  findPrivateImagesByName,
  importImage,
  modifyImageAttribute,
} from "../cloud/images";
import { instanceOsName } from "../cloud/instances";
import { describeShares, modifyShares } from "../cloud/sharing";
import type { Settings } from "../cloud/settings";
import { accounts } from "./deletion-rules";
import {
  attributesLeftAfterCreate,
  attributesMadeByCreateCall,
  changesDescription,
  planUpdate,
  sharesAfter,
} from "./diff-rules";
import { describeImageNow } from "../cloud/describes";
import { backoffDelay } from "../cloud/errors";
import { isSharedWithRefusal, operationFailure } from "./messages-rules";
import { createdSince, isOwnLeftover, sourceMatch } from "../cloud/reconcile-rules";
import { CheckedInputs, DEFAULT_TIMEOUTS, ImageFacts, isFailed, isTransitional } from "../schema/types";
import { applyUpdatePlan } from "./apply-changes";
import type { Copies } from "../schema/types";
import { makeCopies } from "./copies";
import {
  buildOutputs,
  causeOf,
  deadlineFrom,
  Rec,
  ResourceInitError,
  settingsFor,
  sharesOf,
  waitForImage,
  WaitTimeout,
} from "./common";

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

/**
 * Images this process made or took as a resource's own. All resources of a stack operation run in
 * one process, so another resource with the same name and source never takes one of them.
 */
const claimedImages = new Set<string>();
/** Images a create of this process took over because they already had its name (see {@link wasTakenOver}). */
const takenOver = new Set<string>();

/**
 * True when a create of this process took the image over as its own because it already had the
 * resource's name, source and attributes: a resource renamed without `aliases` looks exactly so,
 * and the delete of its old name must then leave the image to the new one.
 */
export function wasTakenOver(imageId: string): boolean {
  return takenOver.has(imageId);
}

/** A network error or 5xx: the call may have taken effect. */
function isAmbiguous(e: unknown): boolean {
  return e instanceof ApiError && (e.kind === "network" || e.kind === "server");
}

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
      `${action} failed without a clear answer (${causeOf(lost)}), so it may have made image "${imageName}"; looking for it by its name failed (${causeOf(lookup)})`,
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
      `the name "${image.imageName}" is already used by another image in ${region} (${image.imageId}, ${image.imageState || "state unknown"}, created ${image.createdTime || "recently"}), ` +
        "which is not shown to be this resource's (same source, description, family and tags); image names are unique per region",
    );
  }
}

/** CreateImage or ImportImage with the inputs; the new image id. */
function sendCreate(s: Settings, inputs: Inputs, deadline: number): Promise<string> {
  const common = {
    imageName: inputs.imageName ?? "",
    imageDescription: inputs.imageDescription,
    imageFamily: inputs.imageFamily,
    tags: inputs.tags,
  };
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
  const name = inputs.imageName ?? "";
  const action = createActionOf(inputs);
  const sent = Date.now();
  let lost: unknown;
  for (let attempt = 0; ; attempt++) {
    let failure: unknown;
    try {
      const imageId = await sendCreate(s, inputs, deadline);
      claimedImages.add(imageId);
      return { imageId };
    } catch (e) {
      failure = e;
    }
    if (isAmbiguous(failure)) lost = failure;
    const duplicate = isDuplicateName(failure);
    if (!lost && !duplicate) throw failure;

    let named: ImageFacts[];
    try {
      named = await findPrivateImagesByName(s, name, { deadline });
    } catch (lookupError) {
      if (lost) throw new LostAnswerError(action, name, lost, lookupError);
      throw failure;
    }
    const claim = (img: ImageFacts, found: string): StartedImage => {
      claimedImages.add(img.imageId);
      return { imageId: img.imageId, found };
    };

    if (lost) {
      const mine = named.filter(
        (img) => createdSince(img, sent) && sourceMatch(img, inputs) !== "no" && !claimedImages.has(img.imageId),
      );
      if (mine.length === 1) {
        return claim(
          mine[0],
          `${action} took effect though its answer was lost: found ${mine[0].imageId} by its name, created since the call was sent`,
        );
      }
      // Names are unique: an image with the name that is not this resource's means none of ours exists.
      if (named.length) throw new NameTakenError(named[0], inputs.region);
      // None shows: send again while the failure may pass, or while the image the name belongs to may not show yet.
      if (!(isAmbiguous(failure) || duplicate) || attempt >= s.tuning.retryAttempts - 1 || Date.now() > deadline)
        throw failure;
      await new Promise((r) => setTimeout(r, backoffDelay(attempt, s.tuning.retryBaseMs, s.tuning.retryMaxMs)));
      continue;
    }

    const [taken] = named;
    if (!taken) throw failure;
    const osName = inputs.fromInstance
      ? await instanceOsName(s, inputs.fromInstance.instanceId, { deadline }).catch(() => undefined)
      : undefined;
    const match = sourceMatch(taken, inputs, osName === undefined ? undefined : { osName });
    if (isOwnLeftover(taken, inputs, match, claimedImages.has(taken.imageId))) {
      takenOver.add(taken.imageId);
      return claim(
        taken,
        `found ${taken.imageId}, which already had this name, this resource's ${sourceFieldOf(inputs)} and attributes (left by an earlier run whose ${action} answer was lost): taken as this resource's image`,
      );
    }
    throw new NameTakenError(taken, inputs.region);
  }
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
        ? `look for an image named "${name}" in ${inputs.region} (console or DescribeImages): a re-run draws a new auto-name and would not find it, ` +
          `so if it exists adopt it (\`adoptImageId\` instead of ${sourceFieldOf(inputs)}) or delete it; then run \`pulumi up\` again`
        : `run \`pulumi up\` again: an image named "${name}" with this resource's ${sourceFieldOf(inputs)} and attributes is then taken as this resource's image, never made twice`;
    return new Error(
      operationFailure({
        ...op,
        cause: e.message,
        done: [`sent ${e.action} for "${name}"; it may have made the image`],
        next,
      }),
    );
  }
  if (e instanceof NameTakenError) {
    // Whether that image is this stack's resource under an old name cannot be seen from here (the provider does not see the state),
    // so the rename case is named as a possibility; `cvm-image preflight` detects it from the plan.
    const next =
      `if this resource was renamed or moved and ${e.image.imageId} is its image under the old name, add \`aliases: [{ name: "<old name>" }]\` ` +
      `to its resource options and run \`pulumi up\` again; otherwise choose another imageName (or delete that image) and run \`pulumi up\` again; ` +
      `or, if ${e.image.imageId} is this resource's image, adopt it: replace ${sourceFieldOf(inputs)} with \`adoptImageId: "${e.image.imageId}"\` and run \`pulumi up\``;
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

/** Verifies that the image is this account's usable custom image (waiting out a busy state); read-only. */
async function verifyAdoptable(
  s: Settings,
  inputs: Inputs,
  deadline: number,
): Promise<{ facts: ImageFacts; shares: string[] }> {
  const imageId = inputs.adoptImageId!;
  const retry = "fix the cause and run `pulumi up` again; nothing was adopted or changed, so the run starts over";
  const read = async <T>(what: Promise<T>, name?: string): Promise<T> => {
    try {
      return await what;
    } catch (e) {
      throw new NotAdoptable(
        e instanceof WaitTimeout
          ? `${causeOf(e)} (timeouts.create = ${inputs.timeouts.create})`
          : causeOf(e, ctxOf(inputs)),
        retry,
        name,
      );
    }
  };
  let facts = await read(describeImageNow(s, imageId));
  if (!facts) {
    throw new NotAdoptable(
      `it does not exist in ${inputs.region}`,
      "check adoptImageId and region (an image is adopted in its own region)",
    );
  }
  if (facts.imageType !== "PRIVATE_IMAGE") {
    const why =
      facts.imageType === "SHARED_IMAGE"
        ? `it is a SHARED_IMAGE: it belongs to account ${facts.imageCreator || "(unknown)"} and is only shared with this account, so this account cannot rename, share or delete it`
        : facts.imageType === "PUBLIC_IMAGE"
          ? "it is a PUBLIC_IMAGE provided by Tencent Cloud, not a custom image"
          : `its type is ${facts.imageType || "unknown"}, not PRIVATE_IMAGE`;
    throw new NotAdoptable(
      `only this account's custom images (PRIVATE_IMAGE) can be adopted, and ${why}`,
      "adopt it with the owner account's credentials, or reference it by id without managing it",
      facts.imageName,
    );
  }
  if (isFailed(facts.imageState)) {
    throw new NotAdoptable(
      `it is ${facts.imageState}, so there is nothing usable to adopt`,
      "delete it in the console or with DeleteImages, and create a new image instead",
      facts.imageName,
    );
  }
  if (isTransitional(facts.imageState)) {
    const settled = await read(
      waitForImage(
        s,
        imageId,
        (f) => !f || !isTransitional(f.imageState),
        deadline,
        `image ${imageId} to become NORMAL`,
      ),
      facts.imageName,
    );
    if (!settled)
      throw new NotAdoptable(`it was deleted while it was ${facts.imageState}`, "check adoptImageId", facts.imageName);
    facts = settled;
  }
  const shares = await read(describeShares(s, imageId, { deadline }), facts.imageName);
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
  const done: string[] = [`adopted ${imageId}`];
  const copies: Copies = {};
  const plan = planUpdate({ sharedWith: [], adopted: true }, inputs, { image: facts, shares });
  try {
    await applyUpdatePlan(s, imageId, plan, deadline, done);
    await makeCopies(s, facts, inputs.copyTo ?? [], inputs.sharedWith, deadline, copies, done);
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
      done,
      next: "the image is recorded in the stack as adopted; fix the cause and run `pulumi up` again to finish",
    });
    throw new ResourceInitError(
      message,
      imageId,
      await outputsToRecord(s, imageId, inputs, { facts, shares, copies }, { adopted: true }),
    );
  }
}

/** Creates the image and returns its id and full outputs. */
export async function createResource(inputs: Inputs): Promise<{ id: string; outs: Rec }> {
  const s = settingsFor(inputs.region, { profile: inputs.profile, operation: "create" });
  const deadline = deadlineFrom(inputs.timeouts?.create, DEFAULT_TIMEOUTS.create);
  if (inputs.adoptImageId) return adopt(s, inputs, deadline);

  let started: StartedImage;
  try {
    started = await startImage(s, inputs, deadline);
  } catch (e) {
    throw failureWithoutImage(inputs, e);
  }
  const imageId = started.imageId;
  const done = [started.found ?? `started ${createActionOf(inputs)} (${imageId})`];
  /** Every failure from here on records the image (nothing leaks), as the cloud shows it now. */
  const initFailure = async (cause: string, known: KnownImage, next: string) =>
    new ResourceInitError(
      operationFailure({
        operation: "create",
        imageId,
        imageName: inputs.imageName,
        region: inputs.region,
        cause,
        done,
        next,
      }),
      imageId,
      await outputsToRecord(s, imageId, inputs, known),
    );

  let facts: ImageFacts | null;
  try {
    facts = await waitForImage(
      s,
      imageId,
      (f) => !f || !isTransitional(f.imageState),
      deadline,
      `image ${imageId} to become NORMAL`,
    );
  } catch (e) {
    const timedOut = e instanceof WaitTimeout;
    throw await initFailure(
      timedOut ? `${causeOf(e)} (timeouts.create = ${inputs.timeouts.create})` : causeOf(e, ctxOf(inputs)),
      { facts: timedOut ? e.last : null, shares: [] },
      timedOut
        ? "the image is recorded in the stack; run `pulumi up` again once it is NORMAL (or raise timeouts.create), or `pulumi destroy` to delete it"
        : "the image is recorded in the stack; fix the cause and run `pulumi up` again to finish, or `pulumi destroy` to delete it",
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
    throw await initFailure(
      `the image ended ${facts.imageState}`,
      { facts, shares: [] },
      "it is recorded in the stack so nothing leaks: the next `pulumi up` replaces it, `pulumi destroy` deletes it",
    );
  }
  done.push(`${imageId} became NORMAL`);
  // Attributes the create call cannot set (e.g. imageDeprecated; see the property table), set now.
  const left = attributesLeftAfterCreate(inputs, facts);
  if (left) {
    try {
      await modifyImageAttribute(s, imageId, left, { deadline });
    } catch (e) {
      throw await initFailure(
        causeOf(e, ctxOf(inputs)),
        { facts, shares: [] },
        "the image is recorded in the stack; fix the cause and run `pulumi up` again to finish",
      );
    }
    facts = { ...facts, ...left };
    done.push(`set ${Object.keys(left).join(", ")}`);
  }
  if (inputs.sharedWith.length) {
    const shared: string[] = [];
    try {
      await modifyShares(s, imageId, inputs.sharedWith, "SHARE", { deadline, onChunk: (c) => shared.push(...c) });
    } catch (e) {
      if (shared.length) done.push(`shared with ${accounts(shared)}`);
      const code = e instanceof ApiError ? e.code : undefined;
      const next = isSharedWithRefusal(code)
        ? "the image is recorded in the stack; fix sharedWith and run `pulumi up` again to finish sharing"
        : "the image is recorded in the stack; fix the cause and run `pulumi up` again to finish sharing";
      throw await initFailure(causeOf(e, ctxOf(inputs)), { facts, shares: shared }, next);
    }
    done.push(`shared with ${accounts(inputs.sharedWith)}`);
  }
  const copies: Copies = {};
  if (inputs.copyTo?.length) {
    try {
      await makeCopies(s, facts, inputs.copyTo, inputs.sharedWith, deadline, copies, done);
      facts = (await describeImageNow(s, imageId)) ?? facts; // the source shows SYNCING while the copies run
    } catch (e) {
      throw await initFailure(
        causeOf(e, ctxOf(inputs)),
        { facts, shares: inputs.sharedWith, copies },
        "the image and the copies made so far are recorded in the stack; fix the cause and run `pulumi up` again to finish copying",
      );
    }
  }
  let shares: string[];
  try {
    shares = await describeShares(s, imageId, { deadline });
  } catch (e) {
    throw await initFailure(
      `listing the shares at the end failed: ${causeOf(e)}`,
      { facts, shares: inputs.sharedWith, copies },
      "the image is recorded in the stack; fix the cause and run `pulumi up` again to finish (it re-reads the image and its shares)",
    );
  }
  return { id: imageId, outs: buildOutputs(inputs, facts, shares, { adopted: false, copies }) };
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
    const now = await describeImage(s, imageId);
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
