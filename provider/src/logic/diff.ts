/**
 * The exact diff between the stored outputs and the checked inputs, and the in-place update plan.
 * Pure.
 */
import { CheckedInputs, containsUnknown, CustomImageState, ImageFacts, isFailed, SOURCE_FIELDS, SourceField, UNKNOWN } from "./types";

type Rec = Record<string, unknown>;

/** What `diff` returns to the engine, plus the keys behind it (for messages and tests). */
export interface DiffOutcome {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace: boolean;
  /** Keys that change in place. */
  updates: string[];
}

/** A list in a stable order; a list unknown at preview stays UNKNOWN (never spread into characters). */
function sorted(list: readonly string[] | undefined): string[] {
  if ((list as unknown) === UNKNOWN) return UNKNOWN as never;
  return [...(list ?? [])].sort();
}

/**
 * The part of a source that identifies the image; creation-only options (forcePowerOff, sysprep, force) are left out.
 * UNKNOWN when any part of it is unknown at preview.
 */
export function sourceIdentity(s: Partial<CheckedInputs> | Partial<CustomImageState>): string {
  const id = identityOf(s);
  return containsUnknown(id) ? UNKNOWN : JSON.stringify(id);
}

function identityOf(s: Partial<CheckedInputs> | Partial<CustomImageState>): unknown {
  if (s.adoptImageId !== undefined) return { adopt: s.adoptImageId };
  if (s.fromInstance !== undefined) {
    const f = s.fromInstance;
    if ((f as unknown) === UNKNOWN) return UNKNOWN;
    return { instance: f.instanceId, disks: sorted(f.dataDiskIds) };
  }
  if (s.fromSnapshots !== undefined) {
    const f = s.fromSnapshots;
    if ((f as unknown) === UNKNOWN) return UNKNOWN;
    return { snapshots: sorted(f.snapshotIds) };
  }
  if (s.fromImport !== undefined) {
    const f = s.fromImport;
    if ((f as unknown) === UNKNOWN) return UNKNOWN;
    return {
      url: f.imageUrl,
      arch: f.architecture,
      os: [f.osType, f.osVersion],
      license: f.licenseType ?? "TencentCloud",
      boot: f.bootMode ?? "Legacy BIOS",
      disks: f.dataDiskImageUrls ?? [],
    };
  }
  return "none";
}

/** The source field name in use, for the `replaces` list. */
export function sourceField(s: Partial<CheckedInputs>): SourceField {
  for (const f of SOURCE_FIELDS) if (s[f] !== undefined) return f;
  return "fromInstance";
}

/**
 * Whether the new inputs adopt the very image this resource already manages. That is the same
 * image, so it is an in-place update (the outputs then record the adoption), never a replacement:
 * a replacement would delete the image it has just adopted.
 */
export function adoptsOwnImage(olds: Partial<CustomImageState>, news: Partial<CheckedInputs>): boolean {
  return news.adoptImageId !== undefined && news.adoptImageId !== UNKNOWN && news.adoptImageId === olds.imageId;
}

function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(",")}]`;
  if (v && typeof v === "object") {
    return `{${Object.keys(v as Rec)
      .filter((k) => (v as Rec)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stable((v as Rec)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v);
}

/** Desired description/family/tags: for an adopted image an absent input means "leave as is" (undefined). */
export function desiredAttributes(news: Partial<CheckedInputs>, adopted: boolean) {
  return {
    imageName: news.imageName,
    imageDescription: news.imageDescription ?? (adopted ? undefined : ""),
    imageFamily: news.imageFamily ?? (adopted ? undefined : ""),
    tags: news.tags ?? (adopted ? undefined : {}),
  };
}

/** Computes the diff. `olds` are the stored outputs; `news` the checked inputs. */
export function diffState(olds: Partial<CustomImageState> & Rec, news: Partial<CheckedInputs> & Rec): DiffOutcome {
  const replaces: string[] = [];
  const updates: string[] = [];
  const newSource = sourceIdentity(news);
  const adoptsOwn = adoptsOwnImage(olds, news);
  if (adoptsOwn) {
    if (olds.adoptImageId !== news.adoptImageId || olds.adopted !== true) updates.push("adoptImageId");
  } else if (newSource === UNKNOWN || newSource !== sourceIdentity(olds)) replaces.push(sourceField(news));
  // An unknown region may differ from the old one at apply: replace (preview says replace; apply may only update).
  if (news.region === UNKNOWN || (news.region !== undefined && news.region !== olds.region)) replaces.push("region");
  if (isFailed(olds.imageState)) replaces.push("imageState");

  const adopted = olds.adopted === true || news.adoptImageId !== undefined;
  const want = desiredAttributes(news, adopted);
  // A value unknown at preview (wholly or in part) counts as a change: apply may well differ.
  const differs = (a: unknown, b: unknown) => containsUnknown(a) || stable(a) !== stable(b);
  if (want.imageName !== undefined && differs(want.imageName, olds.imageName)) updates.push("imageName");
  if (want.imageDescription !== undefined && differs(want.imageDescription, olds.imageDescription ?? "")) updates.push("imageDescription");
  if (want.imageFamily !== undefined && differs(want.imageFamily, olds.imageFamily ?? "")) updates.push("imageFamily");
  if (want.tags !== undefined && differs(want.tags, olds.tags ?? {})) updates.push("tags");
  if (differs(sorted(news.sharedWith), sorted(olds.sharedWith))) updates.push("sharedWith");
  if (differs(news.deletionPolicy, olds.deletionPolicy)) updates.push("deletionPolicy");
  if (differs(news.timeouts, olds.timeouts)) updates.push("timeouts");
  if (!adoptsOwn && stable(news.fromInstance ?? null) !== stable(olds.fromInstance ?? null) && !replaces.length) updates.push("fromInstance");
  if (!adoptsOwn && stable(news.fromImport ?? null) !== stable(olds.fromImport ?? null) && !replaces.length) updates.push("fromImport");
  if (news.resourceName !== olds.resourceName || Boolean(news.autoNamed) !== Boolean(olds.autoNamed)) updates.push("resourceName");
  // A changed serialized provider is rolled out by an in-place update, so later deletes run the new text.
  if (news.__provider !== undefined && news.__provider !== olds.__provider) updates.push("__provider");

  const replacing = replaces.length > 0;
  // Image names are unique per region, so a replacement keeping the same explicit name must delete first.
  // At preview the name or the region may still be unknown. We then assume they could match and delete
  // first: that is what apply does when they turn out equal, and a preview that shows delete-first for a
  // replacement that ends up creating first errs on the side that warns (the CI preflight flags it).
  const nameMayMatch = news.imageName === UNKNOWN || news.imageName === olds.imageName;
  const regionMayMatch = news.region === UNKNOWN || news.region === undefined || news.region === olds.region;
  const sameExplicitName = !news.autoNamed && news.imageName !== undefined && nameMayMatch && regionMayMatch;
  return {
    changes: replacing || updates.length > 0,
    replaces,
    // Never delete the image that the new inputs adopt (only a failed image is replaced then; the
    // adoption refuses it, and creating first means nothing has been deleted by then).
    deleteBeforeReplace: replacing && sameExplicitName && !adoptsOwn,
    updates,
  };
}

/** The calls an in-place update makes, computed against what the cloud shows now. */
export interface UpdatePlan {
  modify?: { imageName?: string; imageDescription?: string; imageFamily?: string };
  tagsToSet: Record<string, string>;
  tagKeysToRemove: string[];
  sharesToAdd: string[];
  sharesToCancel: string[];
}

/**
 * Plans an update. Shares: add what is wanted and missing; cancel only accounts that the stack
 * managed before (`olds.sharedWith`) and no longer wants; shares made outside the stack are left alone.
 */
export function planUpdate(
  olds: Partial<CustomImageState>,
  news: Partial<CheckedInputs>,
  actual: { image: ImageFacts; shares: string[] },
): UpdatePlan {
  const adopted = olds.adopted === true || news.adoptImageId !== undefined;
  const want = desiredAttributes(news, adopted);
  const modify: UpdatePlan["modify"] = {};
  if (want.imageName !== undefined && want.imageName !== actual.image.imageName) modify.imageName = want.imageName;
  if (want.imageDescription !== undefined && want.imageDescription !== actual.image.imageDescription) modify.imageDescription = want.imageDescription;
  if (want.imageFamily !== undefined && want.imageFamily !== actual.image.imageFamily) modify.imageFamily = want.imageFamily;
  const tagsToSet: Record<string, string> = {};
  const tagKeysToRemove: string[] = [];
  if (want.tags !== undefined) {
    for (const [k, v] of Object.entries(want.tags)) if (actual.image.tags[k] !== v) tagsToSet[k] = v;
    for (const k of Object.keys(actual.image.tags)) if (!(k in want.tags)) tagKeysToRemove.push(k);
  }
  const wanted = new Set(news.sharedWith ?? []);
  const current = new Set(actual.shares);
  const sharesToAdd = [...wanted].filter((a) => !current.has(a));
  const sharesToCancel = (olds.sharedWith ?? []).filter((a) => !wanted.has(a) && current.has(a));
  return {
    modify: Object.keys(modify).length ? modify : undefined,
    tagsToSet,
    tagKeysToRemove,
    sharesToAdd,
    sharesToCancel,
  };
}
