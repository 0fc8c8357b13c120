/** Message builders: every error names the image, what was already done, and what to do next. Pure. */
import { accounts } from "./deletion-rules";
import {
  authFailureText,
  type CredentialSource,
  isAuthFailure,
  type Operation,
  permissionDeniedText,
} from "../cloud/credentials-rules";

/** `image img-abc ("web-1") in ap-guangzhou` */
export function imageLabel(imageId: string, imageName?: string, region?: string): string {
  return `image ${imageId || "(no id yet)"}${imageName ? ` ("${imageName}")` : ""}${region ? ` in ${region}` : ""}`;
}

/** Joins done steps: "cancelled sharing with 2 accounts (…), then called DeleteImages". */
export function doneText(done: readonly string[]): string {
  return done.length ? done.join(", then ") : "nothing was changed";
}

/** Ends a sentence with a full stop unless it has one. */
const sentence = (text: string): string => (/[.!?]$/.test(text.trimEnd()) ? text.trimEnd() : `${text.trimEnd()}.`);

/**
 * A complete operation failure message, one short line each: what failed, why, what was already
 * done, and what to run next. The engine's progress display shows only the first line, so the
 * rest is printed once, under Diagnostics.
 */
export function operationFailure(p: {
  operation: "create" | "update" | "delete" | "read" | "adopt";
  imageId: string;
  imageName?: string;
  region?: string;
  cause: string;
  done: readonly string[];
  next: string;
}): string {
  return [
    `Failed to ${p.operation} ${imageLabel(p.imageId, p.imageName, p.region)}.`,
    sentence(`Cause: ${p.cause}`),
    sentence(`Already done: ${doneText(p.done)}`),
    sentence(`Next: ${p.next}`),
  ].join("\n");
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

/**
 * Where the region of a call came from: the state (an existing image's recorded region), the
 * resource's `region` input, the stack config `tencentcloud:region`, TENCENTCLOUD_REGION, or the
 * credential profile's `.configure` file.
 */
export type RegionOrigin =
  { kind: "state" } | { kind: "input" } | { kind: "config" } | { kind: "env" } | { kind: "profile"; profile: string };

/** Whether an API code says the region is unknown or not served. */
export function isRegionRefusal(code: string | undefined): boolean {
  return (
    code !== undefined &&
    (code === "UnsupportedRegion" || code.startsWith("InvalidRegion") || code === "InvalidParameterValue.InvalidRegion")
  );
}

/**
 * Works out where a region came from, by the precedence the provider applies (pure): an existing
 * image's region is the one recorded in the state; a new one's is the resource input, else the
 * first default that gives this value.
 */
export function regionOrigin(
  region: string | undefined,
  o: { operation?: Operation; configRegion?: string; envRegion?: string; profile?: string; profileRegion?: string },
): RegionOrigin {
  if (o.operation === "read" || o.operation === "delete" || o.operation === "update" || o.operation === "assess")
    return { kind: "state" };
  if (region !== undefined && o.configRegion === region) return { kind: "config" };
  if (region !== undefined && !o.configRegion && o.envRegion === region) return { kind: "env" };
  if (region !== undefined && !o.configRegion && !o.envRegion && o.profile && o.profileRegion === region)
    return { kind: "profile", profile: o.profile };
  return { kind: "input" };
}

/** The explanation of an unknown region: the region, where it came from, and where to fix it. */
export function unknownRegionText(code: string, region: string | undefined, origin: RegionOrigin | undefined): string {
  const what = `the region "${region ?? "(none)"}" is not one the API serves (${code})`;
  switch (origin?.kind) {
    case "config":
      return (
        `${what}; it came from the stack config tencentcloud:region. Set a region such as ap-guangzhou with ` +
        `\`pulumi config set tencentcloud:region ap-guangzhou\`, or set \`region\` on the resource`
      );
    case "env":
      return (
        `${what}; it came from the environment variable TENCENTCLOUD_REGION (no stack config ` +
        `tencentcloud:region is set). Set it to a region such as ap-guangzhou, or set \`region\` on the resource`
      );
    case "profile":
      return (
        `${what}; it came from the region of profile \`${origin.profile}\` (its .configure file; neither ` +
        `tencentcloud:region nor TENCENTCLOUD_REGION is set). Fix it with \`tccli configure set region ap-guangzhou ` +
        `--profile ${origin.profile}\`, or set \`region\` on the resource`
      );
    case "input":
      return `${what}; it came from the resource's \`region\` input. Use a region such as ap-guangzhou`;
    case "state":
      return (
        `${what}; it is the region the stack state records for this image. Check that the API endpoint ` +
        `(TENCENTCLOUD_CVM_ENDPOINT, if set) serves it`
      );
    default:
      return (
        `${what}. Set \`region\` on the resource, the stack config tencentcloud:region or TENCENTCLOUD_REGION ` +
        `to a region such as ap-guangzhou`
      );
  }
}

/** Plain-language explanations of API error codes the user can act on, keyed by code. */
export function explainApiCode(
  code: string | undefined,
  ctx: {
    imageName?: string;
    region?: string;
    instanceId?: string;
    accounts?: string[];
    credentials?: CredentialSource;
    operation?: Operation;
    /** Where the region came from (for an unknown region). */
    regionOrigin?: RegionOrigin;
  },
): string | undefined {
  // Every authentication error names the source of the credentials and the fix for the running command.
  if (isAuthFailure(code)) return authFailureText(code!, ctx.credentials, ctx.operation);
  if (code !== undefined && isRegionRefusal(code)) return unknownRegionText(code, ctx.region, ctx.regionOrigin);
  switch (code) {
    case "FailedOperation.AccountIsYourSelf":
    case "InvalidAccountIs.YourSelf":
      return (
        `sharedWith contains this account's own uin; an image cannot be shared with its owner. Remove it from ` +
        `sharedWith`
      );
    case "InvalidAccountId.NotFound":
      return `an account in sharedWith (${(ctx.accounts ?? []).join(", ")}) does not exist; use root account uins`;
    case "FailedOperation.NotMasterAccount":
      return `an account in sharedWith is a sub-account or collaborator; share with root account uins only`;
    case "InvalidParameter.InstanceImageNotSupport":
      return (
        `whole-machine images (with data disks) cannot be shared; remove sharedWith or drop ` +
        `fromInstance.dataDiskIds`
      );
    case "OverQuota":
      return `the image would be shared with more accounts than allowed (500)`;
    case "UnauthorizedOperation.PermissionDenied":
    case "AuthFailure.UnauthorizedOperation":
      return permissionDeniedText(code, ctx.credentials);
    default:
      return imageCodeText(code, ctx);
  }
}

/** The explanations of the codes about the image and its source (see {@link explainApiCode}). */
function imageCodeText(code: string | undefined, ctx: Parameters<typeof explainApiCode>[1]): string | undefined {
  switch (code) {
    case "InvalidImageName.Duplicate":
      return (
        `the name "${ctx.imageName}" is already used by another image in ${ctx.region}; image names are unique ` +
        `per region. Choose another imageName, or omit it to get an auto-name`
      );
    case "InvalidInstanceId.NotFound":
      return (
        `instance ${ctx.instanceId} does not exist in ${ctx.region} (fromInstance.instanceId); check the id and ` +
        `the region`
      );
    case "InvalidInstance.NotSupported":
      return `instance ${ctx.instanceId} cannot be imaged (InvalidInstance.NotSupported); check its state and type`;
    case "InvalidParameter.SnapshotNotFound":
    case "InvalidParameter.SystemSnapshotNotFound":
      return (
        `a snapshot in fromSnapshots.snapshotIds does not exist in ${ctx.region}, or none of them is a ` +
        `system-disk snapshot; check the ids`
      );
    case "InvalidParameter.DataDiskNotBelongSpecifiedInstance":
      return (
        `a disk in fromInstance.dataDiskIds does not belong to instance ${ctx.instanceId}; list only that ` +
        `instance's data disks`
      );
    case "InvalidParameter.DataDiskIdContainsRootDisk":
      return `fromInstance.dataDiskIds contains the system disk; list only data disks`;
    case "ImageQuotaLimitExceeded":
      return `the custom-image quota of the region is used up; delete unused images or raise the quota`;
    case "InvalidParameterValue.InvalidImageFamily":
      return `imageFamily is not accepted by the API; check its format`;
    case "InvalidImageOsType.Unsupported":
    case "InvalidImageOsVersion.Unsupported":
      return `fromImport.osType / osVersion is not supported; pick values listed by DescribeImportImageOs`;
    case "InvalidParameter.InvalidParameterUrlError":
      return `fromImport.imageUrl cannot be read; give a COS URL in the same region that the account can read`;
    default:
      return undefined;
  }
}
