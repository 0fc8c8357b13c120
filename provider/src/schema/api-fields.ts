/**
 * The image attributes set in place, mapped to and from their API fields by the property table
 * (`api.modify` and `api.describe`). Pure.
 */
import type { ImageAttributes } from "./types";
import { ATTRIBUTE_KEYS, AttributeKey, PROPERTIES } from "./properties";

/** Attribute values as the provider names them (`imageName`, `imageDeprecated`, …). */
export type Attributes = Pick<ImageAttributes, AttributeKey>;

/** ModifyImageAttribute's request fields for the attributes set in `change`. */
export function modifyRequestFields(change: Partial<Attributes>): Record<string, unknown> {
  const req: Record<string, unknown> = {};
  for (const k of ATTRIBUTE_KEYS) {
    if (change[k] !== undefined) req[PROPERTIES[k].api.modify] = change[k];
  }
  return req;
}

/** The attributes a DescribeImages `Image` reports; a field it leaves out counts as the default (`""`, `false`). */
export function attributesFromImage(image: Record<string, unknown>): Attributes {
  const out: Record<string, unknown> = {};
  for (const k of ATTRIBUTE_KEYS) {
    const row = PROPERTIES[k];
    const fallback = "value" in row.default ? row.default.value : "";
    const v = image[row.api.describe];
    out[k] = v === undefined || v === null || typeof v !== typeof fallback ? fallback : v;
  }
  return out as Attributes;
}
