/** SyncImages: copy a custom image to other regions. */
import { callApi, CallOptions } from "./call";
import type { Settings } from "./settings";

/** One copy SyncImages started: its id in its region. */
export interface StartedCopy {
  region: string;
  imageId: string;
}

/**
 * Copies the image to the regions in one call (`ImageSetRequired`, so the answer names each copy).
 * Not idempotent: an ambiguous failure is thrown for the caller to reconcile (by the copy's name).
 */
export async function syncImage(
  s: Settings,
  imageId: string,
  regions: readonly string[],
  opts: CallOptions = {},
): Promise<StartedCopy[]> {
  const r = await callApi<{ ImageSet?: Array<{ ImageId?: string; Region?: string }> }>(
    s,
    "SyncImages",
    { ImageIds: [imageId], DestinationRegions: [...regions], ImageSetRequired: true },
    { ...opts, nonIdempotent: true },
  );
  return (r.ImageSet ?? [])
    .filter((c) => c.ImageId && c.Region)
    .map((c) => ({ region: c.Region!, imageId: c.ImageId! }));
}
