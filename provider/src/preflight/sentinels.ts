/**
 * How the engine masks values it cannot or will not show in preview JSON.
 */

import { UNKNOWN } from "../schema/types";

/** The engine's placeholder for a value not known until `pulumi up` (any property type); defined in schema/types. */
export { UNKNOWN };

/** What preview JSON shows instead of a secret value. */
export const SECRET = "[secret]";

/** Signature key of a serialized secret in state exports (`pulumi stack export`). */
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG_VALUE = "1b47061264138c4ac30d75fd1eb44270";

/** Why a value cannot be read. */
export type Opacity = "secret" | "unknown";

/** Returns whether `value` itself is a masked secret or an unknown, else undefined. */
export function opacityOf(value: unknown): Opacity | undefined {
  if (value === SECRET) return "secret";
  if (value === UNKNOWN) return "unknown";
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    if ((value as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG_VALUE) return "secret";
  }
  return undefined;
}

/** A masked value found inside a property tree. */
export interface OpaqueValue {
  /** Dotted path of the value, e.g. `deletionPolicy.unmanagedShares` or `sharedWith[1]`. */
  path: string;
  opacity: Opacity;
}

/** Lists every secret or unknown value in `value`, depth first. */
export function findOpaque(value: unknown, path: string): OpaqueValue[] {
  const opacity = opacityOf(value);
  if (opacity) return [{ path, opacity }];
  if (Array.isArray(value)) return value.flatMap((v, i) => findOpaque(v, `${path}[${i}]`));
  if (typeof value === "object" && value !== null) {
    return Object.entries(value).flatMap(([k, v]) => findOpaque(v, path ? `${path}.${k}` : k));
  }
  return [];
}

/** Describes masked values for people: `imageId (secret), region (unknown until apply)`. */
export function describeOpaque(values: OpaqueValue[]): string {
  return values.map((v) => `${v.path} (${v.opacity === "secret" ? "secret" : "unknown until apply"})`).join(", ");
}
