/** Helpers shared by the operations: settings, deadlines, state waits, outputs, failures. */
import { ApiError } from "../cloud/call";
import { warnings } from "../cloud/diagnostics";
import { watchImage, WatchTimeout, type Transition } from "../cloud/describes";
import { describeShares } from "../cloud/sharing";
import {
  CONFIG_KEYS,
  credentialsSeen,
  defaultRegion,
  ENV_KEYS,
  getStackConfig,
  processEnv,
  resolveSettings,
  Settings,
} from "../cloud/settings";
import type { Operation } from "../cloud/credentials-rules";
import { parseDuration } from "../schema/durations";
import { explainApiCode, isRegionRefusal, regionOrigin, type RegionOrigin } from "./messages-rules";
import { redact } from "../cloud/errors";
import { WaitTimeout } from "./errors";
import { CheckedInputs, CustomImageState, ImageFacts, isTransitional } from "../schema/types";
import { copiedRegions } from "./copies-rules";
import type { Copies } from "../schema/types";
import { PROPERTIES, PROPERTY_KEYS, PropertyKey } from "../schema/properties";

export type Rec = Record<string, unknown>;

/**
 * The settings of an operation on one image: its region, the credentials of its `profile` (or the
 * stack's, by precedence: see `cloud/settings.ts`), and the operation, which an authentication error
 * names the fix for.
 */
export function settingsFor(region: string | undefined, o: { profile?: string; operation?: Operation } = {}): Settings {
  return resolveSettings({ region, profile: o.profile || undefined, operation: o.operation });
}

/** Epoch-ms deadline for a timeout string; falls back to `fallback` (a `DEFAULT_TIMEOUTS` value) when unparsable. */
export function deadlineFrom(timeout: string | undefined, fallback: string): number {
  const ms = parseDuration(timeout ?? "") ?? parseDuration(fallback);
  if (ms === undefined) throw new Error(`the timeout default "${fallback}" is not a duration`);
  return Date.now() + ms;
}

/**
 * Waits until `done(facts)` is true (facts is null when the image is gone), through the process's
 * image fleet: looks shared with every other wait of the account and region, on the transition's
 * schedule. Throws WaitTimeout at the deadline.
 */
export async function waitForImage(
  s: Settings,
  imageId: string,
  done: (facts: ImageFacts | null) => boolean,
  deadline: number,
  what: string,
  transition: Transition = "settled",
  since?: number,
): Promise<ImageFacts | null> {
  try {
    return await watchImage(s, imageId, done, deadline, transition, since);
  } catch (e) {
    if (!(e instanceof WatchTimeout)) throw e;
    const last = e.last as ImageFacts | null;
    throw new WaitTimeout(`timed out waiting for ${what} (last state: ${last ? last.imageState : "gone"})`, last);
  }
}

/** Waits until the image leaves CREATING/SYNCING/IMPORTING (or is gone). */
export function waitSettled(s: Settings, imageId: string, deadline: number): Promise<ImageFacts | null> {
  return waitForImage(
    s,
    imageId,
    (f) => !f || !isTransitional(f.imageState),
    deadline,
    `image ${imageId} to leave its busy state`,
  );
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
export async function sharesOf(
  s: Settings,
  facts: Pick<ImageFacts, "imageId" | "imageState">,
  deadline?: number,
): Promise<string[] | null> {
  try {
    return await describeShares(s, facts.imageId, { deadline });
  } catch (e) {
    if (isImageNotFound(e)) return null;
    if (facts.imageState !== "NORMAL") return [];
    throw e;
  }
}

/** The outputs the provider works out (table rows whose output is `shares` or `provider`). */
type ComputedKey = {
  [K in PropertyKey]: (typeof PROPERTIES)[K]["output"] extends "shares" | "provider" ? K : never;
}[PropertyKey];

/**
 * Builds the full outputs from the (checked) inputs and what the cloud shows, row by row of the
 * property table: `cloud` outputs from DescribeImages, `input` outputs from the checked inputs,
 * the shares, the copies (`o.copies`, none when absent) and the provider's own fields as computed here.
 */
export function buildOutputs(
  inputs: Partial<CheckedInputs> & Rec,
  facts: ImageFacts,
  shares: string[],
  o: { adopted: boolean; managed?: string[]; copies?: Copies },
): CustomImageState & Rec {
  const managed = new Set(o.managed ?? inputs.sharedWith ?? []);
  const copies = o.copies ?? {};
  const computed: Record<ComputedKey, unknown> = {
    sharedWith: [...managed].filter((a) => shares.includes(a)),
    unmanagedShares: shares.filter((a) => !managed.has(a)),
    adopted: o.adopted,
    autoNamed: inputs.autoNamed === true,
    copyTo: copiedRegions(copies),
    copies,
  };
  const out: Rec = {};
  for (const key of PROPERTY_KEYS) {
    const from = PROPERTIES[key].output;
    const value =
      from === "cloud" ? (facts as unknown as Rec)[key] : from === "input" ? inputs[key] : computed[key as ComputedKey];
    if (value !== undefined) out[key] = value;
  }
  // Where warnings go: `delete` sees only the outputs. (The resource name is read from the program.)
  if (inputs.resourceUrn !== undefined) out.resourceUrn = inputs.resourceUrn;
  return out as CustomImageState & Rec;
}

/**
 * Every credential the provider might use or see: the resolved settings' id, key and token, and any
 * value of the stack config or the environment whose name says secret, token or key.
 */
function knownCredentials(): string[] {
  const secrets: string[] = [];
  for (const src of [processEnv(), getStackConfig()]) {
    for (const [k, v] of Object.entries(src))
      if (v && /secret|token|key/i.test(k) && !/region|endpoint/i.test(k)) secrets.push(v);
  }
  try {
    const s = resolveSettings({ region: "x" });
    secrets.push(s.secretId, s.secretKey, s.token ?? "");
  } catch {
    /* no credentials: nothing more to redact */
  }
  // Every credential resolved in this process, profiles' included.
  secrets.push(...credentialsSeen());
  return secrets;
}

/** The one credential redaction of the provider operations: removes every known credential from a text. */
export function redactCredentials(text: string): string {
  return redact(text, knownCredentials());
}

/**
 * Shows a warning on the resource `urn`, with every known credential removed: the warnings' own
 * redaction, as errors have {@link redactError} beside the call layer's.
 */
export function warnOn(urn: string | undefined, text: string): Promise<void> {
  return warnings().warn(urn, redactCredentials(text));
}

/**
 * Redacts credentials from an error in place: message, stack, and the `reasons` and `properties` an init error carries.
 */
export function redactError(e: unknown): Error {
  if (!(e instanceof Error)) return new Error(redactCredentials(String(e)));
  const secrets = knownCredentials();
  const clean = (v: unknown): unknown =>
    typeof v === "string"
      ? redact(v, secrets)
      : Array.isArray(v)
        ? v.map(clean)
        : v && typeof v === "object"
          ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, clean(x)]))
          : v;
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

/** Where the region of a failed call came from (reads the stack config, the environment and the profile). */
function regionOriginOf(region: string | undefined, err: ApiError): RegionOrigin {
  const profile = err.credentials && "profile" in err.credentials ? err.credentials.profile : undefined;
  const resourceProfile = err.credentials?.kind === "resource-profile" ? profile : undefined;
  return regionOrigin(region, {
    operation: err.operation,
    configRegion: getStackConfig()[CONFIG_KEYS.region],
    envRegion: processEnv()[ENV_KEYS.region],
    profile,
    // With neither of those set, the default region is the profile's (see `defaultRegion`).
    profileRegion: profile ? defaultRegion(processEnv(), getStackConfig(), resourceProfile) : undefined,
  });
}

/** The text of an error, with an explanation of its API code when there is one, credentials redacted. */
export function causeOf(err: unknown, ctx: Parameters<typeof explainApiCode>[1] = {}): string {
  const code = err instanceof ApiError ? err.code : undefined;
  const base = err instanceof Error ? err.message : String(err);
  const from =
    err instanceof ApiError
      ? { credentials: err.credentials, operation: err.operation, ...(err.region ? { region: err.region } : {}) }
      : {};
  if (err instanceof ApiError && isRegionRefusal(code))
    Object.assign(from, { regionOrigin: regionOriginOf(ctx.region ?? err.region, err) });
  const explained = explainApiCode(code, { ...from, ...ctx });
  return redactCredentials(explained ? `${explained} [${base}]` : base);
}
