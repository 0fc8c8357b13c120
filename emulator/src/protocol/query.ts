/**
 * Form parameters: the SDKs flatten nested parameters into `Filters.0.Name=..&Filters.0.Values.0=..`,
 * in the query string of a GET and in the form body of a POST signed with HmacSHA1 / HmacSHA256.
 * This reads such a form (each name once) and turns it back into nested objects and arrays
 * (values stay strings; the schema coerces them).
 */
import { parameterGivenTwice, parameterShapeConflict, unknownParameter } from "../errors";

const FORBIDDEN = new Set(["__proto__", "constructor", "prototype"]);

type Node = Record<string, unknown> | unknown[];

/** The name/value pairs of a URL-encoded form, each name at most once. */
export function readForm(encoded: string): Map<string, string> {
  const form = new Map<string, string>();
  for (const [key, value] of new URLSearchParams(encoded)) {
    if (form.has(key)) throw parameterGivenTwice(key);
    form.set(key, value);
  }
  return form;
}

/** Nest flattened pairs. */
export function unflatten(pairs: Iterable<[string, string]>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, value] of pairs) {
    const parts = key.split(".");
    if (parts.some((p) => p === "" || FORBIDDEN.has(p))) throw unknownParameter(key);
    let node: Node = root;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      const last = i === parts.length - 1;
      const isIndex = /^\d+$/.test(part);
      if (Array.isArray(node) !== isIndex) throw parameterShapeConflict(key);
      const slot = node as Record<string, unknown>;
      if (last) {
        if (slot[part] !== undefined) throw parameterShapeConflict(key);
        slot[part] = value;
      } else {
        const wantArray = /^\d+$/.test(parts[i + 1]!);
        if (slot[part] === undefined) slot[part] = wantArray ? [] : {};
        const next = slot[part];
        if (typeof next !== "object" || next === null || Array.isArray(next) !== wantArray)
          throw parameterShapeConflict(key);
        node = next as Node;
      }
    }
  }
  return compactArrays(root) as Record<string, unknown>;
}

/** Unflatten a raw query string. */
export function unflattenQuery(rawQuery: string): Record<string, unknown> {
  return unflatten(readForm(rawQuery));
}

/** Lists given as `X.0`, `X.2` become dense `[x0, x2]`. */
function compactArrays(v: unknown): unknown {
  if (Array.isArray(v)) return v.filter((x) => x !== undefined).map(compactArrays);
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = compactArrays(x);
    return out;
  }
  return v;
}
