/** Sharing actions: DescribeImageSharePermission and ModifyImageSharePermission. */
import { accountsStillToChange, mayBeAlreadyDone } from "./reconcile-rules";
import { ApiError, callApi, CallOptions } from "./call";
import type { Settings } from "./settings";

/** Accounts per ModifyImageSharePermission call (the API documents no maximum). */
export const SHARE_CHUNK = 50;

/** The accounts the image is shared with. */
export async function describeShares(s: Settings, imageId: string, opts?: CallOptions): Promise<string[]> {
  const r = await callApi<{ SharePermissionSet?: Array<{ AccountId?: string }> }>(
    s,
    "DescribeImageSharePermission",
    { ImageId: imageId },
    opts,
  );
  return (r.SharePermissionSet ?? []).map((p) => p.AccountId ?? "").filter(Boolean);
}

/**
 * SHARE or CANCEL for the accounts, in chunks. `onChunk` is told after each chunk is done, so a
 * caller can report exactly what was already done when a later chunk fails.
 *
 * An answer that may mean "already so" (SHARE: `FailedOperation.AccountAlreadyExists`, as a retry
 * after a lost answer gets; CANCEL: `InvalidAccountId.NotFound`, which the cloud may answer for an
 * account no longer shared) is checked against the current shares: the chunk is done when nothing
 * is left to change, else the call is repeated for what is left. Such an answer changes nothing,
 * so the rest of the chunk still needs its call.
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
    let pending = chunk;
    while (pending.length) {
      try {
        await callApi(
          s,
          "ModifyImageSharePermission",
          { ImageId: imageId, AccountIds: pending, Permission: permission },
          opts,
        );
        pending = [];
      } catch (e) {
        if (!(e instanceof ApiError) || !mayBeAlreadyDone(permission, e.code)) throw e;
        const left = accountsStillToChange(permission, pending, await describeShares(s, imageId, opts));
        // Nothing settled by the answer: it was a real refusal.
        if (left.length === pending.length) throw e;
        pending = left;
      }
    }
    opts?.onChunk?.(chunk);
  }
}
