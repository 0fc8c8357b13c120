/**
 * Plain (resolved) shapes shared by the pure logic, the provider implementation and the resource class.
 * Nothing here does I/O.
 */
import type { ImageAttributesOf, Table } from "./table-types";

/** Create the image from a CVM instance (CreateImage with InstanceId). */
export interface FromInstance {
  /** The instance to image, e.g. `ins-abcd1234`. */
  instanceId: string;
  /** Data disks of that instance to include (a whole-machine image). */
  dataDiskIds?: string[];
  /** Power the instance off if it does not shut down cleanly (CreateImage `ForcePoweroff`). */
  forcePowerOff?: boolean;
  /** Run Sysprep (Windows only; CreateImage `Sysprep`). */
  sysprep?: boolean;
}

/** Create the image from snapshots (CreateImage with SnapshotIds; one must be a system-disk snapshot). */
export interface FromSnapshots {
  /** Snapshot ids (`snap-…`); exactly one must be a system-disk snapshot. */
  snapshotIds: string[];
}

/** Import the image from an image file URL (ImportImage). */
export interface FromImport {
  /** COS URL of a RAW, VHD, QCOW2 or VMDK file. */
  imageUrl: string;
  /** `x86_64`, `i386` or `arm_64`. */
  architecture: string;
  /** As listed by DescribeImportImageOs, e.g. `CentOS`. */
  osType: string;
  /** As listed by DescribeImportImageOs, e.g. `7`. */
  osVersion: string;
  /** `TencentCloud` (default) or `BYOL`. */
  licenseType?: string;
  /** `Legacy BIOS` (default) or `UEFI`. */
  bootMode?: string;
  /** Extra data-disk image files. */
  dataDiskImageUrls?: string[];
  /** Import even if the image fails the pre-check (ImportImage `Force`). */
  force?: boolean;
}

/** What happens to shares made outside the stack when the image is deleted. */
export type UnmanagedSharesPolicy = "block" | "unshare";
/** What happens when something still uses the image when it is deleted: `warn` and delete, or `block`. */
export type InUseAction = "warn" | "block";
/** What happens when instances still run from the image when it is deleted (deprecated name of {@link InUseAction}). */
export type InstancesInUsePolicy = InUseAction;

/** The kinds of things that can still use an image: instances, launch templates, Auto Scaling launch configurations. */
export const USAGE_KINDS = ["instances", "launchTemplates", "launchConfigurations"] as const;
/** One kind of user of an image. */
export type UsageKind = (typeof USAGE_KINDS)[number];

/** What the delete does, per kind, when the image is still used (`deletionPolicy.inUse`). */
export type InUsePolicy = Record<UsageKind, InUseAction>;

/** The deletion policy, fully resolved. */
export interface DeletionPolicy {
  /** `block` (default): refuse to delete while shares made outside the stack exist. `unshare`: cancel them too. */
  unmanagedShares: UnmanagedSharesPolicy;
  /** Also delete the snapshots bound to the image (DeleteImages `DeleteBindedSnap`). Default false. */
  deleteSnapshots: boolean;
  /**
   * Per kind of user (instances, launch templates, launch configurations): `warn`
   * (default) deletes anyway and names them in a warning; `block` refuses.
   */
  inUse: InUsePolicy;
}

/** Operation timeouts as duration strings ("10m", "90s"), fully resolved. */
export interface Timeouts {
  /** Waiting for NORMAL after CreateImage/ImportImage, and sharing (default `60m`). */
  create: string;
  /** In-place updates (default `20m`). */
  update: string;
  /** The whole delete sequence, including waiting out busy states (default `30m`). */
  delete: string;
}

/**
 * The deletion policy used for fields not set: `block` unmanaged
 * shares, keep snapshots, `warn` about every kind of use.
 */
export const DEFAULT_DELETION_POLICY: DeletionPolicy = {
  unmanagedShares: "block",
  deleteSnapshots: false,
  inUse: { instances: "warn", launchTemplates: "warn", launchConfigurations: "warn" },
};

/** The timeouts used for fields not set: create `60m`, update `20m`, delete `30m`. */
export const DEFAULT_TIMEOUTS: Timeouts = { create: "60m", update: "20m", delete: "30m" };

/** The image source inputs; exactly one is set. */
export const SOURCE_FIELDS = ["fromInstance", "fromSnapshots", "fromImport", "adoptImageId"] as const;
export type SourceField = (typeof SOURCE_FIELDS)[number];

/** Fields that inputs and outputs share. */
export interface CommonFields {
  region: string;
  /** The Pulumi resource name, passed by the resource class; the auto-name prefix. */
  resourceName?: string;
  /** The resource's URN, passed by the resource class: warnings are shown on it. */
  resourceUrn?: string;
  /** The credential profile whose account the image belongs to; absent: the stack's credentials. */
  profile?: string;
  /** Accounts the stack shares the image with. In outputs: those that are shared now. */
  sharedWith: string[];
  fromInstance?: FromInstance;
  fromSnapshots?: FromSnapshots;
  fromImport?: FromImport;
  adoptImageId?: string;
  /** Other regions the image is copied to. In outputs: the regions that have a copy now. */
  copyTo?: string[];
  deletionPolicy: DeletionPolicy;
  timeouts: Timeouts;
}

/**
 * The image's own attributes that the stack sets in place and reads back from DescribeImages (name,
 * description, family, deprecation, tags): derived from the property table (`properties.ts`, the
 * rows changed in place whose output comes from the cloud), so a new attribute is one row there.
 */
export type ImageAttributes = ImageAttributesOf<Table>;

/** The checked inputs, as `check` returns them (plus the engine's `__provider`). */
export interface CheckedInputs extends CommonFields, Partial<ImageAttributes> {
  /** True when `imageName` was generated by `check` (auto-naming). */
  autoNamed?: boolean;
  /**
   * True when the program gave `sharedWith` as a secret (the resource class tells; the engine sends the value plain):
   * warnings then count its accounts, never list them.
   */
  sharedWithSecret?: boolean;
}

/** The resource outputs stored in the state. `delete` sees only these. */
export interface CustomImageState extends CommonFields, ImageAttributes {
  /** True when `imageName` was generated. */
  autoNamed: boolean;
  imageId: string;
  /** CREATING, NORMAL, CREATEFAILED, SYNCING, IMPORTING or IMPORTFAILED. */
  imageState: string;
  /** PRIVATE_IMAGE for images this account owns. */
  imageType: string;
  snapshotIds: string[];
  createdTime: string;
  architecture: string;
  platform: string;
  osName: string;
  /** True when the image was adopted rather than created. */
  adopted: boolean;
  /** Shares observed that are not in `sharedWith` (made outside the stack). */
  unmanagedShares: string[];
  /** The copies in other regions, by region. */
  copies: Copies;
}

/** What DescribeImages tells about an image, normalised. */
export interface ImageFacts extends ImageAttributes {
  imageId: string;
  imageState: string;
  imageType: string;
  imageCreator: string;
  snapshotIds: string[];
  createdTime: string;
  architecture: string;
  platform: string;
  osName: string;
  /**
   * How the image came to be (`ImageSource`): `CREATE_IMAGE`,
   * `EXTERNAL_IMPORT` or `OFFICIAL`; absent when not reported.
   */
  imageSource?: string;
}

/** An instance that runs from an image. */
export interface InstanceUse {
  /** The instance id (`ins-…`). */
  instanceId: string;
  /** The instance name (`""` when it has none). */
  instanceName: string;
  /** The instance state DescribeInstances reports, e.g. `RUNNING` or `STOPPED`. */
  state: string;
}

/** A launch template some of whose versions launch an image. */
export interface LaunchTemplateUse {
  /** The template id (`lt-…`). */
  launchTemplateId: string;
  /** The template name. */
  launchTemplateName: string;
  /** The numbers of the versions whose `LaunchTemplateVersionData.ImageId` is the image, ascending. */
  versions: number[];
  /** The template's default version (the one a launch without a version uses). */
  defaultVersion: number;
  /** Whether the default version is among `versions`. */
  includesDefaultVersion: boolean;
}

/** An Auto Scaling launch configuration whose `ImageId` is the image. */
export interface LaunchConfigurationUse {
  /** The configuration id (`asc-…`). */
  launchConfigurationId: string;
  /** The configuration name. */
  launchConfigurationName: string;
  /** `LaunchConfigurationStatus`, e.g. `NORMAL` or `IMAGE_ABNORMAL`. */
  status: string;
  /** Set when the configuration picks its image by family (`ImageFamily`): the family whose current image this is. */
  imageFamily?: string;
  /** For a configuration by family: the image the family falls back to once this one is deleted. */
  fallback?: FamilyFallback;
}

/** An image of a family, as messages name it. */
export interface FamilyImage {
  /** The image id (`img-…`). */
  imageId: string;
  /** The image name. */
  imageName: string;
}

/**
 * The image a family's current image falls back to once it is deleted: the next newest available
 * image of the family in the account and region.
 */
export interface FamilyFallback {
  /** The next current image; absent when none is left (the next scale-out fails). */
  image?: FamilyImage;
  /**
   * A deprecated image that would be current instead if DescribeImageFromFamily counts deprecated
   * images (not documented; set only when what the scan saw does not tell).
   */
  ifDeprecatedCount?: FamilyImage;
  /** Why the family's images could not be listed (the fallback is then unknown). */
  unknown?: string;
}

/** A family named by launch configurations whose current image could not be resolved. */
export interface UncheckedFamily {
  /** The family. */
  imageFamily: string;
  /** The launch configurations that launch from it. */
  launchConfigurations: LaunchConfigurationUse[];
  /** The refused or failed call (never a credential). */
  cause: string;
}

/** Everything found that still uses one image, and the kinds whose scan was refused (with why). */
export interface ImageUsage {
  /** Instances launched from the image. */
  instances: InstanceUse[];
  /** Launch templates with versions that name the image. */
  launchTemplates: LaunchTemplateUse[];
  /** Launch configurations that name the image. */
  launchConfigurations: LaunchConfigurationUse[];
  /** The kinds that could not be checked, each with the cause (the refused call; never a credential). */
  unchecked: Partial<Record<UsageKind, string>>;
  /**
   * Families named by launch configurations whose current image could not be resolved, and that the
   * image may be the current image of (decided under `deletionPolicy.inUse.launchConfigurations`).
   */
  uncheckedFamilies?: UncheckedFamily[];
}

/** No use found and every kind checked (e.g. for an image that is not this account's own). */
export const NO_USAGE: ImageUsage = Object.freeze({
  instances: [],
  launchTemplates: [],
  launchConfigurations: [],
  unchecked: {},
});

/** The image states during which an image cannot be deleted or shared yet. */
export const TRANSITIONAL_STATES = ["CREATING", "SYNCING", "IMPORTING"] as const;
/** The image states that end a failed create or import. */
export const FAILED_STATES = ["CREATEFAILED", "IMPORTFAILED"] as const;

export function isTransitional(state: string | undefined): boolean {
  return (TRANSITIONAL_STATES as readonly string[]).includes(state ?? "");
}
export function isFailed(state: string | undefined): boolean {
  return (FAILED_STATES as readonly string[]).includes(state ?? "");
}

/** The string the engine sends for values not known at preview time (in any field, whatever its type). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Whether `v` is, or anywhere contains, a value unknown until apply. */
export function containsUnknown(v: unknown): boolean {
  if (v === UNKNOWN) return true;
  if (Array.isArray(v)) return v.some(containsUnknown);
  if (v && typeof v === "object") return Object.values(v).some(containsUnknown);
  return false;
}

/** One copy of the image in another region, as the outputs record it. */
export interface ImageCopy {
  /** The copy's image id (`img-…`) in its region. */
  imageId: string;
  /** Managed shares the copy has (the image's `sharedWith` that are shared now). */
  sharedWith: string[];
  /** Shares of the copy made outside the stack. */
  unmanagedShares: string[];
}

/** The copies, by region. */
export type Copies = Record<string, ImageCopy>;
