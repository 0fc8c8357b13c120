/**
 * Reading Pulumi URNs: `urn:pulumi:<stack>::<project>::<parent types$type>::<name>`.
 */

/** The parts of a URN. */
export interface UrnParts {
  stack: string;
  project: string;
  /** Parent type chain and type, joined by `$`. */
  qualifiedType: string;
  /** The resource's own type token (last link of the chain). */
  type: string;
  name: string;
}

/** Splits a URN; returns undefined for strings that are not URNs. */
export function parseUrn(urn: string): UrnParts | undefined {
  if (!urn.startsWith("urn:pulumi:")) return undefined;
  const parts = urn.slice("urn:pulumi:".length).split("::");
  if (parts.length < 4) return undefined;
  const [stack, project, qualifiedType, ...name] = parts as [string, string, string, ...string[]];
  const chain = qualifiedType.split("$");
  return { stack, project, qualifiedType, type: chain[chain.length - 1] ?? qualifiedType, name: name.join("::") };
}

/** The resource name of a URN, or the URN itself when it cannot be parsed. */
export function urnName(urn: string): string {
  return parseUrn(urn)?.name ?? urn;
}
