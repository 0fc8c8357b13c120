/**
 * GET parameters: the SDKs flatten nested parameters into `Filters.0.Name=..&Filters.0.Values.0=..`.
 * This turns such a query back into nested objects and arrays (values stay strings; the schema
 * coerces them).
 */
import { ApiError } from "../errors";

const FORBIDDEN = new Set(["__proto__", "constructor", "prototype"]);

type Node = Record<string, unknown> | unknown[];

/** Unflatten a raw query string. */
export function unflattenQuery(rawQuery: string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(rawQuery)) {
    const parts = key.split(".");
    if (parts.some((p) => p === "" || FORBIDDEN.has(p))) throw new ApiError("UnknownParameter", `The parameter \`${key}\` is not recognized.`);
    let node: Node = root;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      const last = i === parts.length - 1;
      const isIndex = /^\d+$/.test(part);
      if (Array.isArray(node) !== isIndex) throw new ApiError("InvalidParameter", `The parameter \`${key}\` mixes list and object forms.`);
      const slot = node as Record<string, unknown>;
      if (last) {
        if (slot[part] !== undefined) throw new ApiError("InvalidParameter", `The parameter \`${key}\` is given twice.`);
        slot[part] = value;
      } else {
        const wantArray = /^\d+$/.test(parts[i + 1]!);
        if (slot[part] === undefined) slot[part] = wantArray ? [] : {};
        const next = slot[part];
        if (typeof next !== "object" || next === null || Array.isArray(next) !== wantArray) {
          throw new ApiError("InvalidParameter", `The parameter \`${key}\` conflicts with another parameter.`);
        }
        node = next as Node;
      }
    }
  }
  return compactArrays(root) as Record<string, unknown>;
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
