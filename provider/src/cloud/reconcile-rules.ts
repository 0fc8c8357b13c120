/**
 * Reconciling ambiguous answers: what the cloud shows after a call whose answer was lost (or that
 * answered "already so") says about whether it took effect. Pure: the callers fetch the facts.
 */
import type { CheckedInputs, ImageFacts } from "../schema/types";
import { isTransitional } from "../schema/types";

/**
 * How far the cloud's clock may be behind ours: 5 minutes, the signature tolerance of the API
 * (a call signed with a clock further off is refused), so an image made by a call sent at `t`
 * shows a CreatedTime of at least `t` minus this.
 */
export const CLOCK_SKEW_MS = 5 * 60_000;

/** Whether an image was created since `sinceMs` (epoch ms), allowing for clock skew; a busy image counts as new. */
export function createdSince(img: ImageFacts, sinceMs: number): boolean {
  const t = Date.parse(img.createdTime);
  return isTransitional(img.imageState) || (Number.isFinite(t) && t >= sinceMs - CLOCK_SKEW_MS);
}

/** What DescribeInstances tells about the instance an image is made from. */
export interface InstanceFingerprint {
  osName: string;
}

export type SourceMatch = "yes" | "no" | "unknown";

/** ImportImage's `Architecture` as DescribeImages reports it. */
const IMPORTED_ARCHITECTURE: Record<string, string> = { x86_64: "x86_64", i386: "i386", arm_64: "arm" };

/**
 * Whether an image with this resource's name was made from this resource's source, as far as
 * DescribeImages shows it. Snapshots: bound to exactly those snapshots ("yes"/"no"). An instance
 * or an import gets new snapshots and nothing shown names the instance or the file, so "yes"
 * needs every visible trait to fit: the snapshot count, `ImageSource`, and the instance's OS name
 * (when `instance` is given) or the import's architecture. A trait that does not fit gives "no".
 */
export function sourceMatch(
  img: ImageFacts,
  inputs: Partial<CheckedInputs>,
  instance?: InstanceFingerprint,
): SourceMatch {
  const have = [...new Set(img.snapshotIds)].sort();
  if (inputs.fromSnapshots) {
    if (have.length === 0) return "unknown";
    return JSON.stringify([...new Set(inputs.fromSnapshots.snapshotIds)].sort()) === JSON.stringify(have)
      ? "yes"
      : "no";
  }
  const expectedSource = inputs.fromImport ? "EXTERNAL_IMPORT" : "CREATE_IMAGE";
  if (img.imageSource && img.imageSource !== expectedSource) return "no";
  const disks = inputs.fromImport
    ? 1 + (inputs.fromImport.dataDiskImageUrls?.length ?? 0)
    : 1 + new Set(inputs.fromInstance?.dataDiskIds ?? []).size;
  if (have.length > 0 && have.length !== disks) return "no";
  if (inputs.fromImport) {
    const arch = inputs.fromImport.architecture;
    if (img.architecture && img.architecture !== (IMPORTED_ARCHITECTURE[arch] ?? arch)) return "no";
    return have.length > 0 && img.imageSource ? "yes" : "unknown";
  }
  if (!instance) return "unknown";
  if (img.osName !== instance.osName) return "no";
  return have.length > 0 && img.imageSource ? "yes" : "unknown";
}

/** Whether the image carries what CreateImage/ImportImage was given besides the name: description, family, tags. */
export function declaredAttributesMatch(img: ImageFacts, inputs: Partial<CheckedInputs>): boolean {
  const tags = inputs.tags ?? {};
  const sameTags =
    Object.keys(tags).length === Object.keys(img.tags).length &&
    Object.entries(tags).every(([k, v]) => img.tags[k] === v);
  return (
    img.imageDescription === (inputs.imageDescription ?? "") &&
    img.imageFamily === (inputs.imageFamily ?? "") &&
    sameTags
  );
}

/**
 * Whether an image that already has this resource's exact name, found when CreateImage/ImportImage
 * answered InvalidImageName.Duplicate with no ambiguous call in this run (a re-run after a failed
 * create whose answer was lost), is this resource's own: made from the same source ("yes") with the
 * same declared attributes, and not claimed by another create of this process. An identical
 * declaration elsewhere (same explicit name, source, description, family and tags) cannot be told
 * apart; the cloud keeps no trace of which call made an image.
 */
export function isOwnLeftover(
  img: ImageFacts,
  inputs: Partial<CheckedInputs>,
  match: SourceMatch,
  claimedInProcess: boolean,
): boolean {
  return !claimedInProcess && match === "yes" && declaredAttributesMatch(img, inputs);
}

/** Answers of ModifyImageSharePermission that may mean "already so" (e.g. a retry after a lost answer). */
export function mayBeAlreadyDone(permission: "SHARE" | "CANCEL", code: string | undefined): boolean {
  return permission === "SHARE"
    ? code === "FailedOperation.AccountAlreadyExists"
    : code === "InvalidAccountId.NotFound";
}

/**
 * The accounts of a SHARE/CANCEL chunk still to change, given the current shares: for SHARE those
 * not shared yet, for CANCEL those still shared.
 */
export function accountsStillToChange(
  permission: "SHARE" | "CANCEL",
  chunk: readonly string[],
  current: readonly string[],
): string[] {
  const now = new Set(current);
  return chunk.filter((a) => (permission === "SHARE" ? !now.has(a) : now.has(a)));
}
