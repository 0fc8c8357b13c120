/**
 * The exact diff between the stored outputs and the checked inputs, and the in-place update plan.
 * Pure.
 *
 * Which inputs replace the image, which change it in place and which are only stored comes from
 * the property table (`schema/properties.ts`); so do the defaults an absent input stands for and
 * the form values are compared in (sets sorted). Written here are only the rules across
 * properties: exactly one source, adopting the resource's own image, a failed image, a copy that
 * lost a managed share, and delete-before-replace of an explicit name. Internal fields (`resourceName`, `autoNamed`,
 * `__provider`) never show in the detailed diff; a rename of the resource with `aliases` is no change.
 */
import { ATTRIBUTE_KEYS, INPUTS, InputProperty, PROPERTIES } from "../schema/properties";
import type { Attributes } from "../schema/api-fields";
import { Field, isObjectRule, Rule, stableText } from "../schema/rules";
import { copiesFromOutputs, copiesMissShares } from "./copies-rules";
import {
  CheckedInputs,
  containsUnknown,
  CustomImageState,
  ImageAttributes,
  ImageFacts,
  isFailed,
  SOURCE_FIELDS,
  SourceField,
  UNKNOWN,
} from "../schema/types";

type Rec = Record<string, unknown>;

/** The kind of one property's difference, as the engine names them (`add`, `update-replace`, …). */
export type PropertyDiffKind = "add" | "add-replace" | "delete" | "delete-replace" | "update" | "update-replace";

/**
 * One property's difference, in the engine's detailed-diff shape (`{kind, inputDiff}`).
 * `inputDiff` is false: the diff compares the stored outputs with the new inputs.
 */
export interface PropertyDiff {
  kind: PropertyDiffKind;
  inputDiff: boolean;
}

/** What `diff` returns to the engine, plus the keys behind it (for messages and tests). */
export interface DiffOutcome {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace: boolean;
  /** Keys that change in place. */
  updates: string[];
  /** Field by field (`tags.team`, `deletionPolicy.unmanagedShares`), what changes and whether it replaces. */
  detailedDiff: Record<string, PropertyDiff>;
}

const isRecord = (v: unknown): v is Rec => typeof v === "object" && v !== null && !Array.isArray(v);
const isSource = (k: string): k is SourceField => (SOURCE_FIELDS as readonly string[]).includes(k);

/** Whether two values of a rule differ; a value unknown at preview (wholly or in part) counts as a change. */
function differs(rule: Rule, want: unknown, have: unknown): boolean {
  return containsUnknown(want) || stableText(rule.normalize(want)) !== stableText(rule.normalize(have));
}

/**
 * The part of a source that identifies the image: its fields whose change replaces, with their
 * defaults; creation-only options (forcePowerOff, sysprep, force) are left out. UNKNOWN when any
 * part of it is unknown at preview.
 */
export function sourceIdentity(s: Partial<CheckedInputs> | Partial<CustomImageState>): string {
  const field = SOURCE_FIELDS.find((f) => s[f] !== undefined);
  if (!field) return "none";
  const rule = PROPERTIES[field].rule as Rule;
  const value: unknown = s[field];
  let identity: unknown = rule.normalize(value);
  if (isObjectRule(rule) && isRecord(identity)) {
    const parts = identity;
    identity = Object.fromEntries(
      Object.keys(rule.fields)
        .filter((k) => rule.fields[k]!.change === "replace" && parts[k] !== undefined)
        .map((k) => [k, parts[k]]),
    );
  }
  return containsUnknown(value) || containsUnknown(identity) ? UNKNOWN : stableText([field, identity]);
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

/**
 * The image's own attributes (set in place, read back from the cloud): name, description, family, deprecation, tags.
 */
const isImageAttribute = (p: InputProperty): boolean => p.change === "update" && p.output === "cloud";
const IMAGE_ATTRIBUTE_ROWS = INPUTS.filter(([, p]) => isImageAttribute(p));

/**
 * What the inputs ask of the image's attributes (name, description, family, deprecation, tags).
 * An absent input means the default for an image this resource creates (`""`, `false`, `{}`), and
 * "leave as is" (undefined) for an adopted one.
 */
export function desiredAttributes(news: Partial<CheckedInputs>, adopted: boolean): Partial<ImageAttributes> {
  const want: Rec = {};
  for (const [k, row] of IMAGE_ATTRIBUTE_ROWS) {
    const v = (news as Rec)[k] ?? (adopted ? undefined : row.default?.value);
    if (v !== undefined) want[k] = v;
  }
  return want as Partial<ImageAttributes>;
}

/**
 * The attributes an image has right after CreateImage/ImportImage with `inputs`: those the call
 * sets (rows with `api.create`) as wanted, the others at their defaults until set in place.
 */
export function attributesMadeByCreateCall(inputs: Partial<CheckedInputs>): ImageAttributes {
  const want = desiredAttributes(inputs, false) as Rec;
  const made: Rec = { imageName: "" };
  for (const [k, row] of IMAGE_ATTRIBUTE_ROWS)
    made[k] = row.api?.create !== undefined ? (want[k] ?? made[k]) : row.default?.value;
  return made as unknown as ImageAttributes;
}

/** The kind of a difference between a stored value and a wanted one. */
function kindOf(have: unknown, want: unknown, replace: boolean): PropertyDiffKind {
  const kind = have === undefined ? "add" : want === undefined ? "delete" : "update";
  return replace ? `${kind}-replace` : kind;
}

/**
 * The detailed diff of one property: field by field for objects, key by key for string maps, else
 * the whole property. With `replacing`, a field whose own change is `replace` is marked as replacing.
 */
function detail(
  out: Record<string, PropertyDiff>,
  path: string,
  field: Field,
  storedValue: unknown,
  wantedValue: unknown,
  replacing: boolean,
): void {
  const rule = field.rule as Rule;
  const replace = replacing && field.change === "replace";
  // Deprecated field names (a state written before a rename) compare as the fields that replaced them.
  const have = isObjectRule(rule) ? rule.canonical(storedValue) : storedValue;
  const want = isObjectRule(rule) ? rule.canonical(wantedValue) : wantedValue;
  if (isRecord(have) && isRecord(want)) {
    if (isObjectRule(rule)) {
      for (const [k, f] of Object.entries(rule.fields)) {
        if (differs(f.rule, want[k] ?? f.default?.value, have[k] ?? f.default?.value))
          detail(out, `${path}.${k}`, f, have[k], want[k], replacing);
      }
    } else {
      // A string map (tags): key by key.
      for (const k of new Set([...Object.keys(have), ...Object.keys(want)])) {
        if (want[k] === UNKNOWN || stableText(have[k]) !== stableText(want[k]))
          out[`${path}.${k}`] = { kind: kindOf(have[k], want[k], replace), inputDiff: false };
      }
    }
    return;
  }
  out[path] = { kind: kindOf(have, want, replace), inputDiff: false };
}

/** The changes found so far: which properties replace the image, which update it, and each field's diff. */
interface Changes {
  replaces: string[];
  updates: string[];
  detailedDiff: Record<string, PropertyDiff>;
}

/** Computes the diff. `olds` are the stored outputs; `news` the checked inputs. */
export function diffState(olds: Partial<CustomImageState> & Rec, news: Partial<CheckedInputs> & Rec): DiffOutcome {
  const c: Changes = { replaces: [], updates: [], detailedDiff: {} };
  const adoptsOwn = adoptsOwnImage(olds, news);
  diffSources(olds, news, adoptsOwn, c);
  diffOtherInputs(olds, news, c);
  diffImplied(olds, news, c);
  const { replaces, updates, detailedDiff } = c;
  const replacing = replaces.length > 0;
  return {
    changes: replacing || updates.length > 0,
    replaces,
    // Never delete the image that the new inputs adopt (only a failed image is replaced then; the
    // adoption refuses it, and creating first means nothing has been deleted by then).
    deleteBeforeReplace: replacing && keepsExplicitName(olds, news) && !adoptsOwn,
    updates,
    detailedDiff,
  };
}

/**
 * Sources (exactly one is set): another source or another identity replaces the image, unless the
 * inputs adopt the image this resource already manages; creation-only options update the state.
 * A failed image is replaced.
 */
function diffSources(
  olds: Partial<CustomImageState> & Rec,
  news: Partial<CheckedInputs> & Rec,
  adoptsOwn: boolean,
  c: Changes,
): void {
  const { replaces, updates, detailedDiff } = c;
  const newIdentity = sourceIdentity(news);
  const replacingSource = !adoptsOwn && (newIdentity === UNKNOWN || newIdentity !== sourceIdentity(olds));
  if (replacingSource) replaces.push(sourceField(news));
  for (const key of SOURCE_FIELDS) {
    const row = PROPERTIES[key] as InputProperty;
    const have = olds[key];
    const want = news[key];
    if ((have === undefined && want === undefined) || !differs(row.rule, want, have)) continue;
    if (!replacingSource) updates.push(key);
    detail(detailedDiff, key, row, have, want, replacingSource);
  }
  if (adoptsOwn && olds.adopted !== true && !updates.includes("adoptImageId")) {
    updates.push("adoptImageId");
    detailedDiff.adoptImageId ??= { kind: kindOf(olds.adoptImageId, news.adoptImageId, false), inputDiff: false };
  }
  if (isFailed(olds.imageState)) {
    replaces.push("imageState");
    detailedDiff.imageState = { kind: "update-replace", inputDiff: false };
  }
}

/**
 * Every other input, by its row: the wanted value (an absent attribute stands for its default on
 * an image this resource creates, and for "as is" on an adopted one) against the stored one.
 */
function diffOtherInputs(olds: Partial<CustomImageState> & Rec, news: Partial<CheckedInputs> & Rec, c: Changes): void {
  const adopted = olds.adopted === true || news.adoptImageId !== undefined;
  for (const [key, row] of INPUTS) {
    if (isSource(key)) continue;
    const given = news[key];
    const want = given !== undefined ? given : isImageAttribute(row) && !adopted ? row.default?.value : undefined;
    if (want === undefined) continue;
    const have = olds[key] ?? row.default?.value;
    if (!differs(row.rule, want, have)) continue;
    (row.change === "replace" ? c.replaces : c.updates).push(key);
    detail(c.detailedDiff, key, row, olds[key], given, true);
  }
}

/**
 * Updates no single input asks for: a dropped `profile`, a copy that lost a managed share, a new serialized provider.
 */
function diffImplied(olds: Partial<CustomImageState> & Rec, news: Partial<CheckedInputs> & Rec, c: Changes): void {
  const { updates, detailedDiff } = c;
  // An absent `profile` stands for the stack's credentials: dropping it changes the account used, as
  // setting it does, so the update checks it (see `refuseAccountMove`) and the outputs record it.
  if (
    news.profile === undefined &&
    typeof olds.profile === "string" &&
    olds.profile !== "" &&
    !updates.includes("profile")
  ) {
    updates.push("profile");
    detailedDiff.profile = { kind: "delete", inputDiff: false };
  }
  // A copy that lost a managed share outside the stack is shared again by an update (sharing is per region).
  if (
    !updates.includes("copyTo") &&
    !updates.includes("sharedWith") &&
    copiesMissShares(copiesFromOutputs(olds), Array.isArray(news.sharedWith) ? news.sharedWith : [])
  ) {
    updates.push("copyTo");
    detailedDiff.copies = { kind: "update", inputDiff: false };
  }
  // A changed serialized provider is rolled out by an in-place update, so later deletes run the new text.
  if (news.__provider !== undefined && news.__provider !== olds.__provider) updates.push("__provider");
}

/**
 * Image names are unique per region, so a replacement keeping the same explicit name must delete
 * first. At preview the name or the region may still be unknown. We then assume they could match and
 * delete first: that is what apply does when they turn out equal, and a preview that shows
 * delete-first for a replacement that ends up creating first errs on the side that warns (the CI
 * preflight flags it).
 */
function keepsExplicitName(olds: Partial<CustomImageState> & Rec, news: Partial<CheckedInputs> & Rec): boolean {
  const nameMayMatch = news.imageName === UNKNOWN || news.imageName === olds.imageName;
  const regionMayMatch = news.region === UNKNOWN || news.region === undefined || news.region === olds.region;
  return !news.autoNamed && news.imageName !== undefined && nameMayMatch && regionMayMatch;
}

/** The calls an in-place update makes, computed against what the cloud shows now. */
export interface UpdateChanges {
  /** ModifyImageAttribute's changes (the table's `api.modify` rows). */
  modify?: Partial<Attributes>;
  tagsToSet: Record<string, string>;
  tagKeysToRemove: string[];
  sharesToAdd: string[];
  sharesToCancel: string[];
}

/** The shares once `plan` is applied to an image shared with `before`: no need to list them again. */
export function sharesAfter(
  before: readonly string[],
  plan: Pick<UpdateChanges, "sharesToAdd" | "sharesToCancel">,
): string[] {
  const cancelled = new Set(plan.sharesToCancel);
  return [...new Set([...before, ...plan.sharesToAdd])].filter((a) => !cancelled.has(a));
}

/**
 * True when the plan changes what DescribeImages reports (attributes or tags), so the image must be described again.
 */
export function changesDescription(plan: UpdateChanges): boolean {
  return plan.modify !== undefined || Object.keys(plan.tagsToSet).length > 0 || plan.tagKeysToRemove.length > 0;
}

/**
 * Plans an update. Shares: add what is wanted and missing; cancel only accounts that the stack
 * managed before (`olds.sharedWith`) and no longer wants; shares made outside the stack are left alone.
 */
export function updateChanges(
  olds: Partial<CustomImageState>,
  news: Partial<CheckedInputs>,
  actual: { image: ImageFacts; shares: string[] },
): UpdateChanges {
  const adopted = olds.adopted === true || news.adoptImageId !== undefined;
  const want = desiredAttributes(news, adopted);
  const modify: Rec = {};
  for (const k of ATTRIBUTE_KEYS) {
    if (want[k] !== undefined && want[k] !== actual.image[k]) modify[k] = want[k];
  }
  const tagsToSet: Record<string, string> = {};
  const tagKeysToRemove: string[] = [];
  if (want.tags !== undefined) {
    for (const [k, v] of Object.entries(want.tags)) if (actual.image.tags[k] !== v) tagsToSet[k] = v;
    for (const k of Object.keys(actual.image.tags)) if (!(k in want.tags)) tagKeysToRemove.push(k);
  }
  return {
    modify: Object.keys(modify).length ? (modify as Partial<Attributes>) : undefined,
    tagsToSet,
    tagKeysToRemove,
    ...sharesToChange(olds.sharedWith ?? [], news.sharedWith ?? [], actual.shares),
  };
}

/**
 * The share changes of an update: share with the wanted accounts the image is not shared with
 * (`current`); cancel only the accounts the stack managed (`managed`) and no longer wants.
 */
export function sharesToChange(
  managed: readonly string[],
  wanted: readonly string[],
  current: readonly string[],
): Pick<UpdateChanges, "sharesToAdd" | "sharesToCancel"> {
  const want = new Set(wanted);
  const now = new Set(current);
  return {
    sharesToAdd: [...want].filter((a) => !now.has(a)),
    sharesToCancel: managed.filter((a) => !want.has(a) && now.has(a)),
  };
}

/**
 * The warning a preview shows on a change to `sharedWith`, naming each account, so a typo shows
 * without `--diff`: "sharedWith: will share with 100000000002 (new); stop sharing with
 * 100000000003". An account already shared outside the stack is taken over, not shared again. Judged
 * against the state (its managed and unmanaged shares), as the update judges against the cloud.
 * With a secret `sharedWith` (`sharedWithSecret`, from the resource class) it gives counts only.
 * Undefined when the accounts do not change or are not known yet.
 */
export function sharedWithChangeWarning(
  olds: Partial<CustomImageState> & Rec,
  news: Partial<CheckedInputs> & Rec,
): string | undefined {
  const wanted = news.sharedWith;
  if (!Array.isArray(wanted) || containsUnknown(wanted)) return undefined;
  const managed = olds.sharedWith ?? [];
  const unmanaged = olds.unmanagedShares ?? [];
  const { sharesToAdd, sharesToCancel } = sharesToChange(managed, wanted, [...managed, ...unmanaged]);
  const takenOver = wanted.filter((a) => unmanaged.includes(a) && !managed.includes(a));
  if (!sharesToAdd.length && !sharesToCancel.length && !takenOver.length) return undefined;
  // A secret sharedWith is counted, never listed: a warning is printed as is, in logs too.
  const secret = news.sharedWithSecret === true;
  const name = (list: readonly string[], mark = "") =>
    secret ? `${list.length} account${list.length === 1 ? "" : "s"}` : list.map((a) => `${a}${mark}`).join(", ");
  const parts: string[] = [];
  if (sharesToAdd.length) parts.push(`will share with ${name(sharesToAdd, " (new)")}`);
  if (takenOver.length)
    parts.push(
      `will manage the share${takenOver.length === 1 ? "" : "s"} made outside the stack with ${name(takenOver)}`,
    );
  if (sharesToCancel.length) parts.push(`stop sharing with ${name(sharesToCancel)}`);
  return `sharedWith${secret ? " (secret: accounts not shown)" : ""}: ${parts.join("; ")}`;
}

/**
 * The attributes a new image still needs once it is NORMAL: those the create call cannot set
 * (rows with `api.modify` and no `api.create`, e.g. `imageDeprecated`) or that came out different.
 */
export function attributesLeftAfterCreate(
  inputs: Partial<CheckedInputs>,
  facts: ImageFacts,
): Partial<Attributes> | undefined {
  return updateChanges({ sharedWith: [] }, inputs, { image: facts, shares: [] }).modify;
}
