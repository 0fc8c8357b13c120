/** ModifyImageSharePermission and DescribeImageSharePermission. */
import { ApiError, imageNotOwned, instanceImageNotSupported, invalidParameterValue, limitExceeded } from "../errors";
import { ImageRecord, isoTime } from "../models/types";
import { list, str } from "../protocol/schema";
import { ActionContext, ActionDefinition, findImage, isWholeInstanceImage, unique } from "./common";

/** The caller's own image, or the contract's errors for public and shared-to-me images. */
function ownImage(ctx: ActionContext, id: string): ImageRecord {
  const { image, relation } = findImage(ctx, id);
  if (relation === "public") throw new ApiError("InvalidParameterValue.InvalidImageId", `The image \`${id}\` is a public image and cannot be shared.`);
  if (relation === "shared") throw imageNotOwned(id);
  return image;
}

/** A behaviour setting that is either "success" or an error code to return. */
function settle(setting: string, message: string): void {
  if (setting !== "success") throw new ApiError(setting, message);
}

interface ModifyShareParams {
  ImageId: string;
  AccountIds: string[];
  Permission: string;
}

function modifyImageSharePermission(ctx: ActionContext, p: ModifyShareParams): Record<string, unknown> {
  if (p.Permission !== "SHARE" && p.Permission !== "CANCEL") throw invalidParameterValue("Permission must be SHARE or CANCEL.");
  const image = ownImage(ctx, p.ImageId);
  const b = ctx.settings.behaviour;
  const accounts = unique(p.AccountIds);
  const max = ctx.settings.limits.maxShareAccountsPerCall;
  if (accounts.length > max) throw limitExceeded("AccountIds", max);
  for (const account of accounts) {
    if (!/^[0-9]{5,20}$/.test(account)) throw new ApiError("InvalidAccountId.NotFound", `The account \`${account}\` is not a valid root account id.`);
    if (account === ctx.account.uin) throw new ApiError("FailedOperation.AccountIsYourSelf", "An image cannot be shared with its own account.");
  }
  if (image.state !== "NORMAL") throw new ApiError(b.shareStateError, `The image \`${image.imageId}\` is in state ${image.state}; only NORMAL images can be shared.`);
  if (accounts.length === 0) {
    settle(b.emptyAccountIds, "AccountIds must not be empty.");
    return {};
  }
  const current = new Set(image.sharedWith.map((s) => s.accountId));
  if (p.Permission === "SHARE") {
    if (image.licenseType === "BYOL") throw new ApiError("FailedOperation.BYOLImageShareFailed", "BYOL images cannot be shared.");
    if (b.refuseWholeInstanceImageShare && isWholeInstanceImage(ctx, image)) throw instanceImageNotSupported(image.imageId);
    const already = accounts.filter((a) => current.has(a));
    if (already.length > 0) settle(b.shareAlreadyShared, `The image is already shared with ${already.join(", ")}.`);
    const added = accounts.filter((a) => !current.has(a));
    const cap = ctx.settings.limits.shareCapPerImage;
    if (current.size + added.length > cap) throw new ApiError("OverQuota", `An image can be shared with at most ${cap} accounts.`);
    for (const accountId of added) image.sharedWith.push({ accountId, createdTime: isoTime(ctx.now) });
  } else {
    const missing = accounts.filter((a) => !current.has(a));
    if (missing.length > 0) settle(b.cancelNotShared, `The image is not shared with ${missing.join(", ")}.`);
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
