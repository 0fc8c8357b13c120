/**
 * What changed outside the stack, in words, for the warnings a refresh, a preview and an up show
 * on the resource: field by field (from the property table's cloud and share outputs), and the
 * consequence of shares made outside the stack for the next delete.
 */
import { PROPERTIES, PROPERTY_KEYS } from "../schema/properties";
import type { Copies } from "./copies";
import { accounts } from "./delete-plan";
import { imageLabel } from "./messages";
import type { DeletionPolicy } from "./types";

type Rec = Record<string, unknown>;

/** Outputs the cloud can change out of band: the table's cloud and share rows (ids and creation facts excluded). */
const DRIFTABLE = PROPERTY_KEYS.filter((k) => {
  const from = PROPERTIES[k].output;
  return (from === "cloud" || from === "shares") && !["imageId", "createdTime", "imageType"].includes(k);
});

function show(v: unknown): string {
  if (v === undefined || v === null || v === "") return "(none)";
  if (Array.isArray(v)) return v.length ? v.join(", ") : "(none)";
  if (typeof v === "object") {
    const entries = Object.entries(v as Rec);
    return entries.length ? entries.map(([k, x]) => `${k}=${String(x)}`).join(", ") : "(none)";
  }
  return JSON.stringify(v);
}

function same(a: unknown, b: unknown): boolean {
  const norm = (v: unknown): unknown => {
    if (Array.isArray(v)) return [...v].map(norm).sort();
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v as Rec).sort(([x], [y]) => x.localeCompare(y)).map(([k, x]) => [k, norm(x)]));
    return v ?? "";
  };
  return JSON.stringify(norm(a)) === JSON.stringify(norm(b));
}

/** One line per output that differs between the recorded and the refreshed outputs: `imageName: "a" → "b"`. */
export function driftLines(recorded: Rec, refreshed: Rec): string[] {
  const lines: string[] = [];
  if (!("imageId" in recorded)) return lines; // nothing recorded yet (a lookup by id): no drift to speak of
  for (const key of DRIFTABLE) {
    if (!(key in recorded)) continue; // recorded by an older version, or not at all
    if (!same(recorded[key], refreshed[key])) lines.push(`${key}: ${show(recorded[key])} → ${show(refreshed[key])}`);
  }
  return lines;
}

/** The refresh warning listing what changed outside the stack; undefined when nothing did. */
export function driftWarning(imageId: string, recorded: Rec, refreshed: Rec): string | undefined {
  const lines = driftLines(recorded, refreshed);
  if (!lines.length) return undefined;
  const label = imageLabel(imageId, typeof refreshed.imageName === "string" ? refreshed.imageName : undefined);
  return `${label} changed outside the stack; the state now records it: ${lines.join("; ")}. Run \`pulumi up\` to put the program's values back, or change the program to match.`;
}

/**
 * The warning for shares made outside the stack: what the next delete will do with them and the
 * ways forward; undefined when there are none.
 */
export function unmanagedSharesWarning(imageId: string, outputs: Rec): string | undefined {
  const shares = Array.isArray(outputs.unmanagedShares) ? outputs.unmanagedShares.filter((a): a is string => typeof a === "string") : [];
  if (!shares.length) return undefined;
  const label = imageLabel(imageId, typeof outputs.imageName === "string" ? outputs.imageName : undefined);
  const policy = (outputs.deletionPolicy ?? {}) as Partial<DeletionPolicy>;
  if (policy.unmanagedShares === "unshare") {
    return `${label} is shared with ${accounts(shares)} outside the stack; deleting it will cancel those shares first (deletionPolicy.unmanagedShares = "unshare").`;
  }
  return (
    `${label} is shared with ${accounts(shares)} outside the stack: deleting it will be blocked (deletionPolicy.unmanagedShares = "block"). ` +
    `Either add the account${shares.length === 1 ? "" : "s"} to sharedWith, so the stack manages the share${shares.length === 1 ? "" : "s"} and cancels ${shares.length === 1 ? "it" : "them"} on delete, ` +
    `or set deletionPolicy: { unmanagedShares: "unshare" } and run \`pulumi up\`, so the delete cancels ${shares.length === 1 ? "it" : "them"}.`
  );
}

/**
 * The refresh warnings about the copies: a copy gone (the next `pulumi up` copies again), managed
 * shares cancelled outside the stack, and shares made outside the stack (which block a delete
 * under `unmanagedShares: "block"`). Empty when nothing changed.
 */
export function copyDriftWarnings(sourceId: string, imageName: string | undefined, recorded: Copies, refreshed: Copies, sharedWith: readonly string[]): string[] {
  const label = imageLabel(sourceId, imageName);
  const out: string[] = [];
  for (const [region, was] of Object.entries(recorded)) {
    const now = refreshed[region];
    if (!now) {
      out.push(`${label}: its copy ${was.imageId} in ${region} no longer exists (deleted outside the stack); \`pulumi up\` copies the image to ${region} again.`);
      continue;
    }
    const lost = sharedWith.filter((a) => !now.sharedWith.includes(a));
    if (lost.length) out.push(`${label}: its copy ${now.imageId} in ${region} is no longer shared with ${accounts(lost)}; \`pulumi up\` shares it again.`);
    const added = now.unmanagedShares.filter((a) => !was.unmanagedShares.includes(a));
    if (added.length) {
      out.push(
        `${label}: its copy ${now.imageId} in ${region} is shared with ${accounts(added)} outside the stack; deleting the image will be blocked ` +
          `unless those shares are cancelled or deletionPolicy.unmanagedShares is "unshare".`,
      );
    }
  }
  return out;
}
