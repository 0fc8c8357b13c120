/** Helpers shared by the operations: settings, deadlines, state waits, outputs, failures. */
import { ApiError } from "../api/call";
import { describeImage } from "../api/images";
import { describeShares } from "../api/sharing";
import { resolveSettings, Settings } from "../api/settings";
import { parseDuration } from "../logic/durations";
import { explainApiCode } from "../logic/messages";
import { redact } from "../logic/errors";
import { CheckedInputs, CustomImageState, ImageFacts, isFailed, isTransitional, SOURCE_FIELDS } from "../logic/types";

export type Rec = Record<string, unknown>;

export function settingsFor(region: string | undefined): Settings {
  return resolveSettings({ region });
}

/** Epoch-ms deadline for a timeout string; falls back to `fallback` when unparsable. */
export function deadlineFrom(timeout: string | undefined, fallback: string): number {
  return Date.now() + (parseDuration(timeout ?? "") ?? parseDuration(fallback) ?? 600_000);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Thrown when a wait runs out of time. */
export class WaitTimeout extends Error {
  override name = "WaitTimeout";
  constructor(
    message: string,
    readonly last: ImageFacts | null,
  ) {
    super(message);
  }
}

/**
 * Polls DescribeImages until `done(facts)` is true (facts is null when the image is gone).
 * Throws WaitTimeout at the deadline.
 */
export async function waitForImage(
  s: Settings,
  imageId: string,
  done: (facts: ImageFacts | null) => boolean,
  deadline: number,
  what: string,
): Promise<ImageFacts | null> {
  for (;;) {
    const facts = await describeImage(s, imageId, { deadline });
    if (done(facts)) return facts;
    if (Date.now() + s.tuning.pollMs > deadline) {
      throw new WaitTimeout(`timed out waiting for ${what} (last state: ${facts ? facts.imageState : "gone"})`, facts);
    }
    await sleep(s.tuning.pollMs);
  }
}

/** Waits until the image leaves CREATING/SYNCING/IMPORTING (or is gone). */
export function waitSettled(s: Settings, imageId: string, deadline: number): Promise<ImageFacts | null> {
  return waitForImage(s, imageId, (f) => !f || !isTransitional(f.imageState), deadline, `image ${imageId} to leave its busy state`);
}

/** Shares of an image; an image that cannot have shares yet (busy or failed) has none. */
export async function sharesOf(s: Settings, facts: ImageFacts, deadline?: number): Promise<string[]> {
  if (facts.imageState !== "NORMAL") {
    try {
      return await describeShares(s, facts.imageId, { deadline });
    } catch {
      return [];
    }
  }
  return describeShares(s, facts.imageId, { deadline });
}

/** Builds the full outputs from the (checked) inputs and what the cloud shows. */
export function buildOutputs(
  inputs: Partial<CheckedInputs> & Rec,
  facts: ImageFacts,
  shares: string[],
  o: { adopted: boolean; managed?: string[] },
): CustomImageState & Rec {
  const managed = new Set(o.managed ?? inputs.sharedWith ?? []);
  const out: CustomImageState & Rec = {
    region: inputs.region ?? "",
    imageName: facts.imageName,
    autoNamed: inputs.autoNamed === true,
    imageDescription: facts.imageDescription,
    imageFamily: facts.imageFamily,
    tags: facts.tags,
    sharedWith: [...managed].filter((a) => shares.includes(a)),
    deletionPolicy: inputs.deletionPolicy!,
    timeouts: inputs.timeouts!,
    imageId: facts.imageId,
    imageState: facts.imageState,
    imageType: facts.imageType,
    snapshotIds: facts.snapshotIds,
    createdTime: facts.createdTime,
    architecture: facts.architecture,
    platform: facts.platform,
    osName: facts.osName,
    adopted: o.adopted,
    unmanagedShares: shares.filter((a) => !managed.has(a)),
  };
  if (inputs.resourceName !== undefined) out.resourceName = inputs.resourceName;
  for (const k of SOURCE_FIELDS) {
    if (inputs[k] !== undefined) (out as Rec)[k] = inputs[k];
  }
  return out;
}

/** The text of an error, with an explanation of its API code when there is one, credentials redacted. */
export function causeOf(err: unknown, ctx: Parameters<typeof explainApiCode>[1] = {}): string {
  const code = err instanceof ApiError ? err.code : undefined;
  const base = err instanceof Error ? err.message : String(err);
  const explained = explainApiCode(code, ctx);
  let secrets: string[] = [];
  try {
    const s = resolveSettings({ region: "x" });
    secrets = [s.secretKey, s.secretId, s.token ?? ""];
  } catch {
    secrets = [];
  }
  return redact(explained ? `${explained} [${base}]` : base, secrets);
}

/**
 * An error that tells the engine the image exists but did not finish initialising, so it is
 * recorded in the state (nothing leaks) and the next `pulumi up` replaces or updates it.
 */
export class ResourceInitError extends Error {
  override name = "ResourceInitError";
  readonly reasons: string[];
  constructor(
    message: string,
    readonly id: string,
    readonly properties: Rec,
  ) {
    super(message);
    this.reasons = [message];
  }
}

export function isFailedState(state: string): boolean {
  return isFailed(state);
}
