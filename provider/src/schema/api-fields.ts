/**
 * The image's attributes and facts, mapped to and from their API fields by the property table
 * (`api.create`, `api.modify`, `api.describe`, `api.form`): the CreateImage / ImportImage request
 * fields of the attributes, ModifyImageAttribute's, and the facts a DescribeImages `Image` gives.
 * A new in-place attribute is one row of the table; these follow it. Pure.
 */
import type { ImageAttributes, ImageFacts } from "./types";
import type { CloudKeyOf, ImageAttributeKeyOf, Table } from "./table-types";
import { ApiFields, ATTRIBUTE_KEYS, AttributeKey, PROPERTIES, PROPERTY_KEYS, PropertyKey } from "./properties";
import { stableText } from "./rules";

/** Attribute values as the provider names them (`imageName`, `imageDeprecated`, …). */
export type Attributes = Pick<ImageAttributes, AttributeKey>;

/** A row as these mappings read it. */
interface ApiRow {
  readonly rule?: unknown;
  readonly change?: string;
  readonly output: string;
  readonly api?: ApiFields;
  readonly default?: { readonly value?: unknown; readonly text?: string; readonly fill?: true };
}

const rowOf = (key: PropertyKey): ApiRow => PROPERTIES[key];
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const hasDefaultValue = (row: ApiRow): boolean => row.default !== undefined && "value" in row.default;

/** The image's own attributes: inputs changed in place whose output is read back from DescribeImages. */
const isImageAttribute = (row: ApiRow): boolean =>
  row.rule !== undefined && row.change === "update" && row.output === "cloud";

/** The image attributes CreateImage and ImportImage set (rows with `api.create`), in table order. */
export const CREATE_ATTRIBUTE_KEYS = PROPERTY_KEYS.filter((k) => {
  const row = rowOf(k);
  return isImageAttribute(row) && row.api?.create !== undefined;
}) as readonly ImageAttributeKeyOf<Table>[];

/** The attributes a create request must carry: those set at creation with no default (the name). */
export type RequiredCreateKey = {
  [K in ImageAttributeKeyOf<Table>]: Table[K] extends { readonly api: { readonly create: string } }
    ? Table[K] extends { readonly default: { readonly value: unknown } }
      ? never
      : K
    : never;
}[ImageAttributeKeyOf<Table>];

/** What {@link createRequestFields} takes: any attributes, and always those without a default. */
export type CreateAttributes = Partial<ImageAttributes> & Pick<ImageAttributes, RequiredCreateKey>;

/** A value in its API form (see `ApiFields.form`). */
function toApi(api: ApiFields, value: unknown, call: "create" | "modify"): unknown {
  if (api.form !== "tags") return value;
  const tags = Object.entries(value as Record<string, string>).map(([Key, Value]) => ({ Key, Value }));
  return call === "create" ? [{ ResourceType: "image", Tags: tags }] : tags;
}

/**
 * The request fields CreateImage and ImportImage share: each attribute whose row has `api.create`,
 * under that field, left out when absent or at its default (which the new image has anyway: `""`,
 * `{}`); tags as a `TagSpecification`. Attributes without `api.create` (`imageDeprecated`) are set
 * in place once the image is NORMAL.
 */
export function createRequestFields(attributes: CreateAttributes): Record<string, unknown> {
  const req: Record<string, unknown> = {};
  for (const k of CREATE_ATTRIBUTE_KEYS) {
    const row = rowOf(k);
    const v = attributes[k];
    if (v === undefined) continue;
    if (hasDefaultValue(row) && stableText(v) === stableText(row.default!.value)) continue;
    req[row.api!.create!] = toApi(row.api!, v, "create");
  }
  return req;
}

/** ModifyImageAttribute's request fields for the attributes set in `change`. */
export function modifyRequestFields(change: Partial<Attributes>): Record<string, unknown> {
  const req: Record<string, unknown> = {};
  for (const k of ATTRIBUTE_KEYS) {
    if (change[k] !== undefined) req[PROPERTIES[k].api.modify] = toApi(PROPERTIES[k].api, change[k], "modify");
  }
  return req;
}

/**
 * A property's value in a DescribeImages `Image`, by its row's `api.describe` (and `api.form`). A
 * field left out, null, or of another type than the row's default counts as the default (`""` for
 * rows without one); `List[].Field` takes that field of each item, empty ones dropped.
 */
function fromApi(row: ApiRow, image: Record<string, unknown>): unknown {
  const field = row.api!.describe!;
  const fallback = hasDefaultValue(row) ? row.default!.value : "";
  const [list, item] = field.split("[].");
  if (item !== undefined) {
    const items = image[list!];
    return Array.isArray(items) ? items.map((x) => (isRecord(x) ? x[item] : undefined) ?? "").filter(Boolean) : [];
  }
  const v = image[field];
  if (row.api!.form === "tags") {
    const tags: Record<string, string> = {};
    for (const t of Array.isArray(v) ? v : [])
      if (isRecord(t) && t.Key) tags[t.Key as string] = (t.Value ?? "") as string;
    return tags;
  }
  return v === undefined || v === null || typeof v !== typeof fallback ? structuredClone(fallback) : v;
}

/** The attributes a DescribeImages `Image` reports; a field it leaves out counts as the default (`""`, `false`). */
export function attributesFromImage(image: Record<string, unknown>): Attributes {
  const out: Record<string, unknown> = {};
  for (const k of ATTRIBUTE_KEYS) out[k] = fromApi(rowOf(k), image);
  return out as Attributes;
}

/** The outputs read from DescribeImages (rows whose output is `cloud`), in table order. */
const CLOUD_KEYS = PROPERTY_KEYS.filter((k) => rowOf(k).output === "cloud") as readonly CloudKeyOf<Table>[];

/**
 * The DescribeImages fields of the facts that are not properties (never stored in the state): the
 * image's creator (`""` when not reported), and how the image came to be (absent when not reported).
 * The compiler holds this to `ImageFacts`: a fact neither a `cloud` row nor listed here is an error.
 */
export const FACT_ONLY_FIELDS = {
  imageCreator: { describe: "ImageCreator" },
  imageSource: { describe: "ImageSource", optional: true },
} as const satisfies Record<Exclude<keyof ImageFacts, CloudKeyOf<Table>>, { describe: string; optional?: true }>;

/**
 * What a DescribeImages `Image` tells, normalised: every `cloud`
 * row by its `api.describe`, and {@link FACT_ONLY_FIELDS}.
 */
export function factsFromApiImage(image: Record<string, unknown>): ImageFacts {
  const out: Record<string, unknown> = {};
  for (const k of CLOUD_KEYS) out[k] = fromApi(rowOf(k), image);
  for (const [k, f] of Object.entries(FACT_ONLY_FIELDS) as Array<[string, { describe: string; optional?: true }]>) {
    const v = image[f.describe];
    if (f.optional) {
      if (typeof v === "string" && v !== "") out[k] = v;
    } else out[k] = typeof v === "string" ? v : "";
  }
  return out as unknown as ImageFacts;
}
