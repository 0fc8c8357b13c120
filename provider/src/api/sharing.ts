/** Sharing actions: DescribeImageSharePermission and ModifyImageSharePermission. */
import { callApi, CallOptions } from "./call";
import type { Settings } from "./settings";

/** Accounts per ModifyImageSharePermission call (the API documents no maximum). */
export const SHARE_CHUNK = 50;

/** The accounts the image is shared with. */
export async function describeShares(s: Settings, imageId: string, opts?: CallOptions): Promise<string[]> {
  const r = await callApi<{ SharePermissionSet?: Array<{ AccountId?: string }> }>(s, "DescribeImageSharePermission", { ImageId: imageId }, opts);
  return (r.SharePermissionSet ?? []).map((p) => p.AccountId ?? "").filter(Boolean);
}

/**
 * SHARE or CANCEL for the accounts, in chunks. `onChunk` is told after each successful call, so a
 * caller can report exactly what was already done when a later chunk fails.
 */
export async function modifyShares(
  s: Settings,
  imageId: string,
  accountIds: string[],
  permission: "SHARE" | "CANCEL",
  opts?: CallOptions & { onChunk?: (done: string[]) => void },
): Promise<void> {
  for (let i = 0; i < accountIds.length; i += SHARE_CHUNK) {
    const chunk = accountIds.slice(i, i + SHARE_CHUNK);
    await callApi(s, "ModifyImageSharePermission", { ImageId: imageId, AccountIds: chunk, Permission: permission }, opts);
    opts?.onChunk?.(chunk);
  }
}
