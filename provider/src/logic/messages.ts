/** Message builders: every error names the image, what was already done, and what to do next. Pure. */
import { accounts } from "./delete-plan";

/** `image img-abc ("web-1") in ap-guangzhou` */
export function imageLabel(imageId: string, imageName?: string, region?: string): string {
  return `image ${imageId || "(no id yet)"}${imageName ? ` ("${imageName}")` : ""}${region ? ` in ${region}` : ""}`;
}

/** Joins done steps: "cancelled sharing with 2 accounts (…), then called DeleteImages". */
export function doneText(done: readonly string[]): string {
  return done.length ? done.join(", then ") : "nothing was changed";
}

/** A complete operation failure message. */
export function operationFailure(p: {
  operation: "create" | "update" | "delete" | "read" | "adopt";
  imageId: string;
  imageName?: string;
  region?: string;
  cause: string;
  done: readonly string[];
  next: string;
}): string {
  return (
    `Failed to ${p.operation} ${imageLabel(p.imageId, p.imageName, p.region)}: ${p.cause}. ` +
    `Already done: ${doneText(p.done)}. Next: ${p.next}`
  );
}

/** API codes of a share refusal that the accounts in `sharedWith` cause (so fixing `sharedWith` is the way forward). */
const SHARED_WITH_CODES = new Set([
  "FailedOperation.AccountIsYourSelf",
  "InvalidAccountIs.YourSelf",
  "InvalidAccountId.NotFound",
  "FailedOperation.NotMasterAccount",
  "InvalidParameter.InstanceImageNotSupport",
  "FailedOperation.BYOLImageShareFailed",
  "OverQuota",
]);

/** Whether a share refusal is caused by the accounts in `sharedWith` (or by the image being unshareable). */
export function isSharedWithRefusal(code: string | undefined): boolean {
  return code !== undefined && SHARED_WITH_CODES.has(code);
}

/**
 * The journal line of a delete that stopped after cancelling shares and shared them again:
 * "the stack's shares with 1 account (…) were cancelled and have been restored".
 */
export function restoredSharesText(managed: readonly string[], unmanaged: readonly string[]): string {
  const parts: string[] = [];
  if (managed.length) parts.push(`the stack's shares with ${accounts(managed)}`);
  if (unmanaged.length) parts.push(`the shares made outside the stack with ${accounts(unmanaged)}`);
  return `${parts.join(" and ")} were cancelled and have been restored`;
}

/** Plain-language explanations of API error codes the user can act on, keyed by code. */
export function explainApiCode(code: string | undefined, ctx: { imageName?: string; region?: string; instanceId?: string; accounts?: string[] }): string | undefined {
  switch (code) {
    case "InvalidImageName.Duplicate":
      return `the name "${ctx.imageName}" is already used by another image in ${ctx.region}; image names are unique per region. Choose another imageName, or omit it to get an auto-name`;
    case "InvalidInstanceId.NotFound":
      return `instance ${ctx.instanceId} does not exist in ${ctx.region} (fromInstance.instanceId); check the id and the region`;
    case "InvalidInstance.NotSupported":
      return `instance ${ctx.instanceId} cannot be imaged (InvalidInstance.NotSupported); check its state and type`;
    case "InvalidParameter.SnapshotNotFound":
    case "InvalidParameter.SystemSnapshotNotFound":
      return `a snapshot in fromSnapshots.snapshotIds does not exist in ${ctx.region}, or none of them is a system-disk snapshot; check the ids`;
    case "InvalidParameter.DataDiskNotBelongSpecifiedInstance":
      return `a disk in fromInstance.dataDiskIds does not belong to instance ${ctx.instanceId}; list only that instance's data disks`;
    case "InvalidParameter.DataDiskIdContainsRootDisk":
      return `fromInstance.dataDiskIds contains the system disk; list only data disks`;
    case "FailedOperation.AccountIsYourSelf":
    case "InvalidAccountIs.YourSelf":
      return `sharedWith contains this account's own uin; an image cannot be shared with its owner. Remove it from sharedWith`;
    case "InvalidAccountId.NotFound":
      return `an account in sharedWith (${(ctx.accounts ?? []).join(", ")}) does not exist; use root account uins`;
    case "FailedOperation.NotMasterAccount":
      return `an account in sharedWith is a sub-account or collaborator; share with root account uins only`;
    case "InvalidParameter.InstanceImageNotSupport":
      return `whole-machine images (with data disks) cannot be shared; remove sharedWith or drop fromInstance.dataDiskIds`;
    case "OverQuota":
      return `the image would be shared with more accounts than allowed (500)`;
    case "ImageQuotaLimitExceeded":
      return `the custom-image quota of the region is used up; delete unused images or raise the quota`;
    case "InvalidParameterValue.InvalidImageFamily":
      return `imageFamily is not accepted by the API; check its format`;
    case "InvalidImageOsType.Unsupported":
    case "InvalidImageOsVersion.Unsupported":
      return `fromImport.osType / osVersion is not supported; pick values listed by DescribeImportImageOs`;
    case "InvalidParameter.InvalidParameterUrlError":
      return `fromImport.imageUrl cannot be read; give a COS URL in the same region that the account can read`;
    case "AuthFailure.SecretIdNotFound":
    case "AuthFailure.SignatureFailure":
    case "AuthFailure.InvalidSecretId":
      return `the credentials were rejected (${code}); check TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY or tencentcloud:secretId / tencentcloud:secretKey`;
    case "UnauthorizedOperation.PermissionDenied":
    case "AuthFailure.UnauthorizedOperation":
      return `the credentials lack the CAM permission for this action (${code})`;
    default:
      return undefined;
  }
}
