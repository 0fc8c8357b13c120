/**
 * Cross-region copies (`copyTo`, SyncImages): which copies to make and which to delete, what the
 * outputs record of each, their drift, and what deleting them means. Pure.
 *
 * Sharing is per region, so each copy is shared with the image's `sharedWith` on its own; the
 * outputs record, per region, the copy's id and its shares as the cloud showed them last. What
 * deleting a copy means is in `deletion-rules.ts` (`copySpec`), its drift in `drift-rules.ts`.
 */
import type { Copies, ImageCopy } from "../schema/types";

/** Reads the `copies` output of stored outputs (absent or malformed: none). */
export function copiesFromOutputs(outputs: Record<string, unknown>): Copies {
  const raw = outputs.copies;
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return {};
  const strings = (v: unknown): string[] =>
    Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  const out: Copies = {};
  for (const [region, c] of Object.entries(raw as Record<string, unknown>)) {
    if (!c || typeof c !== "object") continue;
    const copy = c as Record<string, unknown>;
    if (typeof copy.imageId !== "string" || !copy.imageId) continue;
    out[region] = {
      imageId: copy.imageId,
      sharedWith: strings(copy.sharedWith),
      unmanagedShares: strings(copy.unmanagedShares),
    };
  }
  return out;
}

/** The record of a copy from its current shares: those in `managed` are the stack's. */
export function copyRecord(imageId: string, shares: readonly string[], managed: readonly string[]): ImageCopy {
  const mine = new Set(managed);
  return {
    imageId,
    sharedWith: shares.filter((a) => mine.has(a)),
    unmanagedShares: shares.filter((a) => !mine.has(a)),
  };
}

/**
 * The regions that have a copy, sorted: the `copyTo` output (a region
 * whose copy is gone drops out, so `pulumi up` copies it again).
 */
export function copiedRegions(copies: Copies): string[] {
  return Object.keys(copies).sort();
}

/** What an update does to the copies: regions to copy to, and copies to delete (regions no longer wanted). */
export interface CopyChanges {
  /** Regions wanted that have no copy yet. */
  add: string[];
  /** Regions no longer wanted, with the copy to delete. */
  remove: Array<{ region: string; copy: ImageCopy }>;
  /** Regions wanted that have a copy already. */
  keep: string[];
}

/** Plans the copies against the wanted regions. */
export function copyChanges(have: Copies, want: readonly string[]): CopyChanges {
  const wanted = new Set(want);
  return {
    add: [...wanted].filter((r) => !have[r]).sort(),
    remove: Object.entries(have)
      .filter(([r]) => !wanted.has(r))
      .map(([region, copy]) => ({ region, copy })),
    keep: Object.keys(have)
      .filter((r) => wanted.has(r))
      .sort(),
  };
}

/**
 * True when a recorded copy no longer has every managed share the inputs want: the diff then
 * reports `copyTo` as changed, so `pulumi up` shares the copy again.
 */
export function copiesMissShares(copies: Copies, sharedWith: readonly string[]): boolean {
  return Object.values(copies).some((c) => sharedWith.some((a) => !c.sharedWith.includes(a)));
}

/** The label of a copy in messages: `copy img-b (of img-a) in ap-shanghai`. */
export function copyLabel(sourceId: string, region: string, copyId: string): string {
  return `copy ${copyId} (of ${sourceId}) in ${region}`;
}
