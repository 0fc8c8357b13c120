/** ModifyImageSharePermission and DescribeImageSharePermission. */
import {
  accountIdsEmpty,
  alreadyShared,
  byolShareRefused,
  imageNotOwned,
  instanceImageNotSupported,
  limitExceeded,
  notSharedWith,
  publicImageRefused,
  shareAccountInvalid,
  shareCapExceeded,
  shareStateRefused,
  shareWithSelf,
  valueNotAllowed,
} from "../errors";
import { ID_PATTERNS } from "../models/fixtures";
import { ImageRecord, isoTime } from "../models/types";
import { list, str } from "../protocol/schema";
import { ActionContext, ActionDefinition, findImage, isWholeInstanceImage, unique } from "./common";

/** The caller's own image, or the contract's errors for public and shared-to-me images. */
function ownImage(ctx: ActionContext, id: string): ImageRecord {
  const { image, relation } = findImage(ctx, id);
  if (relation === "public") throw publicImageRefused(id, "shared");
  if (relation === "shared") throw imageNotOwned(id);
  return image;
}

/** Whether a behaviour setting that is either "success" or an error code says to fail. */
const fails = (setting: string) => setting !== "success";

interface ModifyShareParams {
  ImageId: string;
  AccountIds: string[];
  Permission: string;
}

function modifyImageSharePermission(ctx: ActionContext, p: ModifyShareParams): Record<string, unknown> {
  if (p.Permission !== "SHARE" && p.Permission !== "CANCEL")
    throw valueNotAllowed("Permission", p.Permission, "SHARE, CANCEL");
  const image = ownImage(ctx, p.ImageId);
  const b = ctx.settings.behaviour;
  const accounts = unique(p.AccountIds);
  const max = ctx.settings.limits.maxShareAccountsPerCall;
  if (accounts.length > max) throw limitExceeded("AccountIds", max);
  for (const account of accounts) {
    if (!ID_PATTERNS.uin.test(account)) throw shareAccountInvalid(account);
    if (account === ctx.account.uin) throw shareWithSelf();
  }
  if (image.state !== "NORMAL") throw shareStateRefused(b.shareStateError, image.imageId, image.state);
  if (accounts.length === 0) {
    if (fails(b.emptyAccountIds)) throw accountIdsEmpty(b.emptyAccountIds);
    return {};
  }
  const current = new Set(image.sharedWith.map((s) => s.accountId));
  if (p.Permission === "SHARE") {
    if (image.licenseType === "BYOL") throw byolShareRefused();
    if (b.refuseWholeInstanceImageShare && isWholeInstanceImage(ctx, image))
      throw instanceImageNotSupported(image.imageId);
    const already = accounts.filter((a) => current.has(a));
    if (already.length > 0 && fails(b.shareAlreadyShared)) throw alreadyShared(b.shareAlreadyShared, already);
    const added = accounts.filter((a) => !current.has(a));
    const cap = ctx.settings.limits.shareCapPerImage;
    if (current.size + added.length > cap) throw shareCapExceeded(cap);
    for (const accountId of added) image.sharedWith.push({ accountId, createdTime: isoTime(ctx.now) });
  } else {
    const missing = accounts.filter((a) => !current.has(a));
    if (missing.length > 0 && fails(b.cancelNotShared)) throw notSharedWith(b.cancelNotShared, missing);
    image.sharedWith = image.sharedWith.filter((s) => !accounts.includes(s.accountId));
  }
  return {};
}

function describeImageSharePermission(ctx: ActionContext, p: { ImageId: string }): Record<string, unknown> {
  const image = ownImage(ctx, p.ImageId);
  return { SharePermissionSet: image.sharedWith.map((s) => ({ CreatedTime: s.createdTime, AccountId: s.accountId })) };
}

export const sharingActions: Record<string, ActionDefinition> = {
  ModifyImageSharePermission: {
    schema: { ImageId: str(true), AccountIds: list(str(), true), Permission: str(true) },
    mutating: true,
    handler: (ctx, p) => modifyImageSharePermission(ctx, p as unknown as ModifyShareParams),
  },
  DescribeImageSharePermission: {
    schema: { ImageId: str(true) },
    mutating: false,
    handler: (ctx, p) => describeImageSharePermission(ctx, p as unknown as { ImageId: string }),
  },
};
