/** Helpers shared by the operations: settings, deadlines, state waits, outputs, failures. */
import { ApiError } from "../api/call";
import { describeImage } from "../api/images";
import { describeShares } from "../api/sharing";
import { getStackConfig, resolveSettings, Settings } from "../api/settings";
import { parseDuration } from "../logic/durations";
import { explainApiCode } from "../logic/messages";
import { redact } from "../logic/errors";
import { CheckedInputs, CustomImageState, ImageFacts, isTransitional, SOURCE_FIELDS } from "../logic/types";

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

/**
 * True for the answer a per-image call gets for an image that is gone. A deleted image stays listed
 * by DescribeImages (unchanged, even NORMAL) for a while, but every other call already answers
 * InvalidImageId.NotFound for it.
 */
export function isImageNotFound(e: unknown): boolean {
  return e instanceof ApiError && e.code === "InvalidImageId.NotFound";
}

/**
 * Shares of an image; an image that cannot have shares yet (busy or failed) has none. Null when
 * the share listing says the image does not exist: it is gone (deleted, still listed for a while).
 */
export async function sharesOf(s: Settings, facts: ImageFacts, deadline?: number): Promise<string[] | null> {
  try {
    return await describeShares(s, facts.imageId, { deadline });
  } catch (e) {
    if (isImageNotFound(e)) return null;
    if (facts.imageState !== "NORMAL") return [];
    throw e;
  }
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

/**
 * Every credential the provider might use or see: the resolved settings' id, key and token, and any
 * value of the stack config or the environment whose name says secret, token or key.
 */
function knownCredentials(): string[] {
  const secrets: string[] = [];
  for (const src of [process.env, getStackConfig()]) {
    for (const [k, v] of Object.entries(src)) if (v && /secret|token|key/i.test(k) && !/region|endpoint/i.test(k)) secrets.push(v);
  }
  try {
    const s = resolveSettings({ region: "x" });
    secrets.push(s.secretId, s.secretKey, s.token ?? "");
  } catch {
    /* no credentials: nothing more to redact */
  }
  return secrets;
}

/** The one credential redaction of the provider operations: removes every known credential from a text. */
export function redactCredentials(text: string): string {
  return redact(text, knownCredentials());
}

/** Redacts credentials from an error in place: message, stack, and the `reasons` and `properties` an init error carries. */
export function redactError(e: unknown): Error {
  if (!(e instanceof Error)) return new Error(redactCredentials(String(e)));
  const secrets = knownCredentials();
  const clean = (v: unknown): unknown =>
    typeof v === "string" ? redact(v, secrets) : Array.isArray(v) ? v.map(clean) : v && typeof v === "object" ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, clean(x)])) : v;
  const fields = e as unknown as Rec;
  e.message = redact(e.message, secrets);
  if (e.stack) e.stack = redact(e.stack, secrets);
  if (Array.isArray(fields.reasons)) fields.reasons = clean(fields.reasons);
  // The recorded outputs, except the provider text the engine stores as given.
  if (fields.properties && typeof fields.properties === "object") {
    const { __provider, ...rest } = fields.properties as Rec;
    fields.properties = { ...(clean(rest) as Rec), ...(__provider !== undefined ? { __provider } : {}) };
  }
  return e;
}

/** The text of an error, with an explanation of its API code when there is one, credentials redacted. */
export function causeOf(err: unknown, ctx: Parameters<typeof explainApiCode>[1] = {}): string {
  const code = err instanceof ApiError ? err.code : undefined;
  const base = err instanceof Error ? err.message : String(err);
  const explained = explainApiCode(code, ctx);
  return redactCredentials(explained ? `${explained} [${base}]` : base);
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

