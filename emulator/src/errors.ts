/**
 * The error catalogue, in moto's style: one named constructor per condition the emulator answers
 * with a Tencent Cloud error, each carrying its code and its message (what varies is an argument).
 * Nothing outside this file constructs an `ApiError`; tests/emulator/errors.test.ts checks that
 * every entry is used and that every code emulator/README.md names is here.
 */

/** An API error returned as `Response.Error` with HTTP 200. */
export class ApiError extends Error {
  constructor(
    /** Tencent Cloud error code, e.g. `InvalidImageId.NotFound`. */
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** A catalogue entry: builds the error of one condition. */
export interface ErrorEntry<A extends unknown[]> {
  (...args: A): ApiError;
  /** The code the condition answers with. */
  readonly code: string;
}

/** An entry whose code is chosen by a setting or a fault rule: the code comes first. */
export interface ConfiguredErrorEntry<A extends unknown[], D extends string | undefined> {
  (code: string, ...args: A): ApiError;
  /** The code of the setting's default, when the default is an error. */
  readonly code: D;
}

function entry<A extends unknown[]>(code: string, message: (...args: A) => string): ErrorEntry<A> {
  return Object.assign((...args: A) => new ApiError(code, message(...args)), { code });
}

function configured<A extends unknown[], D extends string | undefined>(
  defaultCode: D,
  message: (code: string, ...args: A) => string,
): ConfiguredErrorEntry<A, D> {
  return Object.assign((code: string, ...args: A) => new ApiError(code, message(code, ...args)), { code: defaultCode });
}

const list = (xs: string[]) => xs.join(", ");

// ---- Request, signature, routing (protocol/) ----

export const unsupportedMethod = entry(
  "UnsupportedProtocol",
  (method: string) => `HTTP method ${method} is not supported; use GET or POST.`,
);
export const requestTooLarge = entry(
  "RequestSizeLimitExceeded",
  (what: string, maxBytes: number) => `The request is too large: a ${what} may carry at most ${maxBytes / 1024} KB.`,
);
export const unsupportedContentType = entry(
  "InvalidParameter",
  (contentType: string) =>
    `Content-Type \`${contentType}\` is not supported for POST; use application/json (TC3-HMAC-SHA256) or ` +
    `application/x-www-form-urlencoded (HmacSHA1 / HmacSHA256).`,
);
export const bodyNotJson = entry("InvalidParameter", () => "The request body is not valid JSON.");
export const unsigned = entry(
  "AuthFailure.InvalidAuthorization",
  () =>
    "The request is not signed: it has neither an Authorization header (TC3-HMAC-SHA256) nor a Signature parameter " +
    "(HmacSHA1 / HmacSHA256).",
);
export const authorizationMalformed = entry(
  "AuthFailure.InvalidAuthorization",
  () => "The Authorization header is not a valid TC3-HMAC-SHA256 authorization.",
);
export const signedHeadersIncomplete = entry(
  "AuthFailure.InvalidAuthorization",
  () => "SignedHeaders must include content-type and host.",
);
export const signatureMethodUnsupported = entry(
  "AuthFailure.InvalidAuthorization",
  (method: string) => `The SignatureMethod \`${method}\` is not supported; use HmacSHA1 or HmacSHA256.`,
);
export const secretIdNotFound = entry(
  "AuthFailure.SecretIdNotFound",
  () => "The SecretId is not found, please ensure that your SecretId is correct.",
);
export const timestampMalformed = entry(
  "InvalidParameter",
  (name: string) => `\`${name}\` must be an integer Unix time in seconds.`,
);
export const nonceMalformed = entry("InvalidParameter", () => "`Nonce` must be a non-negative integer.");
export const signatureExpired = entry(
  "AuthFailure.SignatureExpire",
  (timestamp: string, toleranceSec: number, nowSec: number) =>
    `The signature expired: its timestamp ${timestamp} is more than ${toleranceSec} s away from the server time ` +
    `${nowSec}.`,
);
export const scopeDateMismatch = entry(
  "AuthFailure.SignatureFailure",
  (scopeDate: string, timestampDate: string) =>
    `The credential scope date ${scopeDate} does not match X-TC-Timestamp (${timestampDate}).`,
);
export const signatureMismatch = entry(
  "AuthFailure.SignatureFailure",
  () => "The provided credentials could not be validated. Please check your signature is correct.",
);
export const tokenRefused = entry(
  "AuthFailure.TokenFailure",
  () => "The emulator's accounts use permanent keys; a session token (X-TC-Token or Token) is not valid.",
);
export const unknownAction = entry("InvalidAction", (action: string) => `The action \`${action}\` is not supported.`);
export const actionNotInVersion = entry(
  "InvalidAction",
  (action: string, api: string, version: string, versions: string) =>
    `The action \`${action}\` is not part of the ${api} API ${version}; use version ${versions}.`,
);
export const noSuchVersion = entry(
  "NoSuchVersion",
  (version: string, versions: string) => `The API version \`${version}\` does not exist; use ${versions}.`,
);
export const missingRegion = configured(
  "MissingParameter",
  () =>
    "The request names no region (the X-TC-Region header, or the Region parameter when signed with HmacSHA1 / " +
    "HmacSHA256).",
);
export const unknownRegion = configured(
  "InvalidRegion.NotFound",
  (_code, region: string) => `The region \`${region}\` is not supported.`,
);
export const injectedFault = configured(
  undefined,
  (code, ruleId: string, message?: string) => message ?? `Injected fault ${ruleId}: ${code}.`,
);
export const requestLimitExceeded = entry(
  "RequestLimitExceeded",
  (action: string) => `Your current request for ${action} has exceeded the frequency limit; please retry later.`,
);
export const internalError = entry("InternalError", () => "An internal error occurred.");

// ---- Parameters (protocol/schema.ts, protocol/query.ts, and checks shared by the actions) ----

export const missingParameter = entry(
  "MissingParameter",
  (name: string) => `The request is missing a required parameter \`${name}\`.`,
);
export const missingOneOf = entry(
  "MissingParameter",
  (a: string, b: string) => `The request must contain \`${a}\` or \`${b}\`.`,
);
export const unknownParameter = entry(
  "UnknownParameter",
  (name: string) => `The parameter \`${name}\` is not recognized.`,
);
export const invalidParameterType = entry(
  "InvalidParameter",
  (name: string, expected: string) => `The parameter \`${name}\` must be of type ${expected}.`,
);
export const parameterGivenTwice = entry(
  "InvalidParameter",
  (name: string) => `The parameter \`${name}\` is given twice.`,
);
export const parameterShapeConflict = entry(
  "InvalidParameter",
  (name: string) => `The parameter \`${name}\` conflicts with another parameter's list or object form.`,
);
export const idsWithFilters = entry(
  "InvalidParameter",
  (ids: string) => `\`${ids}\` and \`Filters\` cannot be specified at the same time.`,
);
export const parametersConflict = entry(
  "InvalidParameterConflict",
  (a: string, b: string) => `\`${a}\` and \`${b}\` cannot be specified at the same time.`,
);
export const valueBelowMinimum = entry(
  "InvalidParameterValue",
  (name: string, min: number) => `\`${name}\` must be at least ${min}.`,
);
export const valueNotAllowed = entry(
  "InvalidParameterValue",
  (name: string, value: string, allowed: string) => `\`${name}\` \`${value}\` is not one of ${allowed}.`,
);
export const valueEmpty = entry("InvalidParameterValue", (name: string) => `\`${name}\` must not be empty.`);
export const limitExceeded = entry(
  "InvalidParameterValue.LimitExceeded",
  (name: string, max: number) => `The number of values in \`${name}\` exceeds the limit of ${max}.`,
);
export const tooLarge = entry(
  "InvalidParameterValue.TooLarge",
  (name: string, max: number) => `The length of \`${name}\` exceeds the limit of ${max} characters.`,
);
export const dryRunOperation = entry("DryRunOperation", () => "The request would have succeeded, but DryRun was set.");

// ---- CVM filters (DescribeImages, DescribeInstances, DescribeLaunchTemplates) ----

export const filterUnknown = entry("InvalidFilter", (name: string) => `The filter \`${name}\` is not supported.`);
export const filterTagKeyEmpty = entry("FailedOperation.IllegalTagKey", () => "The tag key in the filter is empty.");
export const filterValuesExceeded = entry(
  "InvalidFilterValue.LimitExceeded",
  (name: string, max: number) => `The filter \`${name}\` has more than ${max} values.`,
);

// ---- Images (actions/images.ts, create.ts, sharing.ts, sync.ts) ----

export const imageMalformed = entry("InvalidImageId.Malformed", (id: string) => `The ImageId \`${id}\` is malformed.`);
export const imageNotFound = entry("InvalidImageId.NotFound", (id: string) => `ImageId ${id} is not found`);
export const imageIncorrectState = entry(
  "InvalidImageId.IncorrectState",
  (id: string, state: string) => `The image \`${id}\` is in state ${state}, which does not allow this operation.`,
);
export const imageInUseByInstances = entry(
  "InvalidImageId.IncorrectState",
  (id: string) => `The image \`${id}\` is in use by instances.`,
);
export const imageInShared = entry(
  "InvalidImageId.InShared",
  (id: string, accounts: number) =>
    `The image \`${id}\` is shared with ${accounts} account(s); cancel the sharing first.`,
);
export const imageIdsWithFilters = entry(
  "InvalidParameter.InvalidParameterCoexistImageIdsFilters",
  () => "ImageIds and Filters cannot be specified at the same time.",
);
export const instanceTypeMalformed = entry(
  "InvalidInstanceType.Malformed",
  (type: string) => `The instance type \`${type}\` is malformed.`,
);
export const imageNameDuplicate = entry(
  "InvalidImageName.Duplicate",
  (name: string, region: string) => `An image named \`${name}\` already exists in ${region}.`,
);
export const imageQuotaExceeded = entry(
  "ImageQuotaLimitExceeded",
  (quota: number, region: string) => `The custom image quota of ${quota} images in ${region} is used up.`,
);
export const imageFamilyInvalid = entry(
  "InvalidParameterValue.InvalidImageFamily",
  (family: string) => `The image family \`${family}\` is invalid.`,
);
export const publicImageRefused = entry(
  "InvalidParameterValue.InvalidImageId",
  (id: string, operation: string) => `The image \`${id}\` is a public image and cannot be ${operation}.`,
);
export const sharedImageDeleteRefused = entry(
  "InvalidParameterValue.InvalidImageIdIsShared",
  (id: string) => `The image \`${id}\` is shared to you by another account and cannot be deleted.`,
);
export const sharedImageModifyRefused = entry(
  "UnsupportedOperation.SharedImageModifyUnsupported",
  (id: string) => `The image \`${id}\` is shared to you and cannot be modified.`,
);
export const imageNotOwned = entry(
  "UnauthorizedOperation.ImageNotBelongToAccount",
  (id: string) => `The image \`${id}\` does not belong to this account.`,
);
export const instanceImageNotSupported = entry(
  "InvalidParameter.InstanceImageNotSupport",
  (id: string) => `The image \`${id}\` is a whole-instance image, which does not support this operation.`,
);
export const tagSpecificationKeyEmpty = entry(
  "InvalidParameterValue.TagKeyNotFound",
  () => "A tag key must not be empty.",
);
export const imageTagQuotaExceeded = entry(
  "InvalidParameterValue.TagQuotaLimitExceeded",
  (max: number) => `At most ${max} tags may be bound to an image.`,
);

// CreateImage
export const specifyOneParameter = entry(
  "InvalidParameter.SpecifyOneParameter",
  (a: string, b: string) => `Specify exactly one of \`${a}\` and \`${b}\`.`,
);
export const invalidDependence = entry(
  "InvalidParameter.InvalidDependence",
  (name: string, needs: string) => `\`${name}\` can only be used together with \`${needs}\`.`,
);
export const instanceNotFound = entry(
  "InvalidInstanceId.NotFound",
  (id: string) => `The instance \`${id}\` is not found.`,
);
const instanceIn = (state: string) => (id: string) =>
  `The instance \`${id}\` is ${state}, which does not allow creating an image.`;
export const instanceStateStarting = entry("UnsupportedOperation.InstanceStateStarting", instanceIn("STARTING"));
export const instanceStateStopping = entry("UnsupportedOperation.InstanceStateStopping", instanceIn("STOPPING"));
export const instanceStateRebooting = entry("UnsupportedOperation.InstanceStateRebooting", instanceIn("REBOOTING"));
export const instanceStateTerminating = entry(
  "UnsupportedOperation.InstanceStateTerminating",
  instanceIn("TERMINATING"),
);
export const instanceStateFreezing = entry("UnsupportedOperation.InstanceStateFreezing", instanceIn("FREEZING"));
export const instanceStateEnterRescueMode = entry(
  "UnsupportedOperation.InstanceStateEnterRescueMode",
  instanceIn("ENTER_RESCUE_MODE"),
);
export const instanceStateRescueMode = entry("UnsupportedOperation.InstanceStateRescueMode", instanceIn("RESCUE_MODE"));
export const instanceStateExitRescueMode = entry(
  "UnsupportedOperation.InstanceStateExitRescueMode",
  instanceIn("EXIT_RESCUE_MODE"),
);
export const instanceStateEnterServiceLiveMigrate = entry(
  "UnsupportedOperation.InstanceStateEnterServiceLiveMigrate",
  instanceIn("ENTER_SERVICE_LIVE_MIGRATE"),
);
export const instanceStateServiceLiveMigrate = entry(
  "UnsupportedOperation.InstanceStateServiceLiveMigrate",
  instanceIn("SERVICE_LIVE_MIGRATE"),
);
export const instanceNotSupported = entry(
  "InvalidInstance.NotSupported",
  (id: string, state: string) => `The instance \`${id}\` in state ${state} does not support creating an image.`,
);
export const dataDiskIsSystemDisk = entry(
  "InvalidParameter.DataDiskIdContainsRootDisk",
  (diskId: string) => `\`${diskId}\` is the system disk; DataDiskIds may only name data disks.`,
);
export const dataDiskNotOfInstance = entry(
  "InvalidParameter.DataDiskNotBelongSpecifiedInstance",
  (diskId: string, instanceId: string) => `The disk \`${diskId}\` does not belong to ${instanceId}.`,
);
export const localDataDiskRefused = entry(
  "InvalidParameter.LocalDataDiskNotSupport",
  (diskId: string) => `The local disk \`${diskId}\` cannot be imaged.`,
);
export const snapshotNotFound = entry(
  "InvalidParameter.SnapshotNotFound",
  (id: string) => `The snapshot \`${id}\` is not found.`,
);
export const systemSnapshotMissing = entry(
  "InvalidParameter.SystemSnapshotNotFound",
  () => "SnapshotIds must include one system-disk snapshot.",
);
export const systemSnapshotsDuplicate = entry(
  "InvalidParameter.DuplicateSystemSnapshots",
  () => "SnapshotIds may include only one system-disk snapshot.",
);

// ImportImage
export const imageUrlInvalid = entry(
  "InvalidParameter.InvalidParameterUrlError",
  (url: string) => `The image URL \`${url}\` must be an http(s) COS URL of a RAW, VHD, QCOW2, VMDK or ISO file.`,
);
export const isoNeedsForce = entry(
  "InvalidParameterValue.ISOMustImportByForce",
  () => "ISO images must be imported with Force.",
);
export const osTypeUnsupported = entry(
  "InvalidImageOsType.Unsupported",
  (osType: string) => `The OS type \`${osType}\` is not supported.`,
);
export const osVersionUnsupported = entry(
  "InvalidImageOsVersion.Unsupported",
  (osVersion: string) => `The OS version \`${osVersion}\` is not supported.`,
);
export const licenseTypeInvalid = entry(
  "InvalidParameterValue.InvalidLicenseType",
  (licenseType: string) => `LicenseType \`${licenseType}\` must be TencentCloud or BYOL.`,
);
export const bootModeInvalid = entry(
  "InvalidParameterValue.InvalidBootMode",
  (bootMode: string) => `BootMode \`${bootMode}\` must be "Legacy BIOS" or "UEFI".`,
);

// ModifyImageSharePermission
export const shareAccountInvalid = entry(
  "InvalidAccountId.NotFound",
  (account: string) => `The account \`${account}\` is not a valid root account id.`,
);
export const shareWithSelf = entry(
  "FailedOperation.AccountIsYourSelf",
  () => "An image cannot be shared with its own account.",
);
export const byolShareRefused = entry("FailedOperation.BYOLImageShareFailed", () => "BYOL images cannot be shared.");
export const shareCapExceeded = entry(
  "OverQuota",
  (cap: number) => `An image can be shared with at most ${cap} accounts.`,
);
export const shareStateRefused = configured(
  "InvalidParameterValue.InvalidImageState",
  (_code, id: string, state: string) => `The image \`${id}\` is in state ${state}; only NORMAL images can be shared.`,
);
export const alreadyShared = configured(
  "FailedOperation.AccountAlreadyExists",
  (_code, accounts: string[]) => `The image is already shared with ${list(accounts)}.`,
);
export const notSharedWith = configured(
  undefined,
  (_code, accounts: string[]) => `The image is not shared with ${list(accounts)}.`,
);
export const accountIdsEmpty = configured(undefined, () => "AccountIds must not be empty.");

// SyncImages
export const kmsKeyWithoutEncrypt = entry("InvalidParameter.InvalidKmsKeyId", () => "KmsKeyId requires Encrypt.");
export const syncRegionInvalid = entry(
  "InvalidParameterValue.InvalidRegion",
  (region: string) => `The region \`${region}\` is not valid.`,
);
export const syncRegionNotOwn = entry(
  "InvalidParameterValue.InvalidRegion",
  () => "A shared or encrypted image can only be synced to its own region.",
);
export const syncRegionOwn = entry(
  "InvalidParameterValue.InvalidRegion",
  () => "A custom image cannot be synced to its own region.",
);

// ---- Instances (actions/instances.ts) ----

export const instanceMalformed = entry(
  "InvalidInstanceId.Malformed",
  (id: string) => `The instance id \`${id}\` is malformed.`,
);

// ---- Launch templates (actions/launch-templates.ts) ----

export const launchTemplateMalformed = entry(
  "InvalidParameterValue.LaunchTemplateIdMalformed",
  (id: string) => `The launch template id \`${id}\` is malformed; expected lt- and 8 lowercase letters or digits.`,
);
export const launchTemplateNotFound = entry(
  "InvalidParameterValue.LaunchTemplateNotFound",
  (id: string) => `The launch template \`${id}\` is not found.`,
);
export const launchTemplateVersionNotFound = entry(
  "InvalidParameterValue.LaunchTemplateIdVerNotExisted",
  (id: string, version: number) => `The launch template \`${id}\` has no version ${version}.`,
);
export const launchTemplateVersionInvalid = entry(
  "InvalidParameterValue.LaunchTemplateVersion",
  (name: string, value: number) => `\`${name}\` ${value} is not a valid launch template version number.`,
);
export const launchTemplateVersionRange = entry(
  "InvalidParameterValue.LaunchTemplateVersion",
  (min: number, max: number) => `MinVersion ${min} is greater than MaxVersion ${max}.`,
);
export const versionSelectorsCombined = entry(
  "InvalidParameterCombination",
  (a: string, b: string) =>
    `\`${a}\` cannot be combined with \`${b}\`; name versions by list, by range or as the default.`,
);

// ---- Auto Scaling launch configurations (actions/launch-configurations.ts) ----

export const launchConfigurationMalformed = entry(
  "InvalidParameterValue.InvalidLaunchConfigurationId",
  (id: string) => `The launch configuration id \`${id}\` is invalid; expected asc- and 8 lowercase letters or digits.`,
);
export const asTooManyValues = entry(
  "InvalidParameterValue.TooLong",
  (name: string, max: number) => `\`${name}\` may hold at most ${max} values.`,
);
export const asFilterInvalid = entry(
  "InvalidParameterValue.InvalidFilter",
  (name: string) => `The filter \`${name}\` is not valid.`,
);
export const asFilterValuesTooLong = entry(
  "LimitExceeded.FilterValuesTooLong",
  (name: string, max: number) => `The filter \`${name}\` has more than ${max} values.`,
);

// ---- Tag API (actions/tags.ts) ----

export const resourceDescriptionInvalid = entry(
  "InvalidParameterValue.ResourceDescriptionError",
  (resource: string, why: string, form: string) =>
    `The resource \`${resource}\` is not a valid six-segment description (${why}); expected ${form}.`,
);
export const tagServiceTypeInvalid = entry(
  "InvalidParameterValue.ServiceTypeInvalid",
  (service: string, form: string) =>
    `The service \`${service}\` is not served here; the emulator tags CVM images only (${form}).`,
);
export const tagResourcePrefixInvalid = entry(
  "InvalidParameterValue.ResourcePrefixInvalid",
  (prefix: string, form: string) =>
    `The resource prefix \`${prefix}\` is not served here; the emulator tags CVM images only (${form}).`,
);
export const tagRegionInvalid = entry(
  "InvalidParameterValue.RegionInvalid",
  (region: string) => `The region \`${region}\` is not supported.`,
);
export const tagUinInvalid = entry(
  "InvalidParameterValue.UinInvalid",
  (uin: string) => `The resource names account \`${uin}\`, not the caller's; give the caller's uin or leave it empty.`,
);
export const tagResourceIdInvalid = entry(
  "InvalidParameterValue.ResourceIdInvalid",
  (id: string) => `The image id \`${id}\` is malformed.`,
);
export const tagResourceNotFound = entry(
  "ResourceNotFound",
  (id: string, region: string, actualRegion?: string) =>
    `The image \`${id}\` is not a custom image of this account in ` +
    `${region}${actualRegion ? ` (it is in ${actualRegion})` : ""}.`,
);
export const tagKeyEmpty = entry("InvalidParameterValue.TagKeyEmpty", () => "A tag key must not be empty.");
export const tagKeyTooLong = entry(
  "InvalidParameterValue.TagKeyLengthExceeded",
  (key: string, max: number) => `The tag key \`${key}\` is longer than ${max} characters.`,
);
export const tagValueTooLong = entry(
  "InvalidParameterValue.TagValueLengthExceeded",
  (key: string, max: number) => `The value of tag \`${key}\` is longer than ${max} characters.`,
);
export const tagListEmpty = entry(
  "InvalidParameter.Tag",
  (name: string) => `\`${name}\` may be omitted but must not be an empty array.`,
);
export const tagKeyDuplicate = entry(
  "InvalidParameterValue.TagKeyDuplicate",
  (key: string, name: string) => `The tag key \`${key}\` appears more than once in \`${name}\`.`,
);
export const tagKeyReplacedAndDeleted = entry(
  "InvalidParameterValue.DeleteTagsParamError",
  (key: string) => `The tag key \`${key}\` is in both \`ReplaceTags\` and \`DeleteTags\`.`,
);
export const resourceTagsExceeded = entry(
  "LimitExceeded.ResourceAttachedTags",
  (max: number, count: number) => `A resource can have at most ${max} tags; this change would leave ${count}.`,
);
export const resourceIdsExceeded = entry(
  "LimitExceeded.ResourceNumPerRequest",
  (max: number) => `At most ${max} resource ids may be given per request.`,
);
export const offsetNotMultiple = entry(
  "InvalidParameterValue.OffsetInvalid",
  () => "`Offset` must be a non-negative multiple of `Limit`.",
);
