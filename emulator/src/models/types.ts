/**
 * The records the emulator keeps. They are also the fixture format (`--seed`, `POST /_emulator/fixtures`)
 * and the state-file format (`--state`), see emulator/README.md.
 */

/** An account: a root account uin with one API key pair. */
export interface Account {
  name: string;
  uin: string;
  secretId: string;
  secretKey: string;
}

export interface Tag {
  Key: string;
  Value: string;
}

export type ImageState = "CREATING" | "NORMAL" | "CREATEFAILED" | "SYNCING" | "IMPORTING" | "IMPORTFAILED" | "USING";
export const TRANSITIONAL_STATES: readonly ImageState[] = ["CREATING", "SYNCING", "IMPORTING"];

export interface SharePermission {
  accountId: string;
  createdTime: string;
}

/** An image. `owner` is the owner's uin, or null for a public image. */
export interface ImageRecord {
  /** The image id (`img-…`); generated when a fixture omits it. */
  imageId: string;
  /** The region the image lives in. */
  region: string;
  /** The owner's uin, or null for a public image. */
  owner: string | null;
  /** The image name (DescribeImages `ImageName`). */
  name: string;
  /** The image description (`ImageDescription`). */
  description: string;
  /** The operating system name (`OsName`), e.g. `TencentOS Server 3.1 (TK4)`. */
  osName: string;
  /** The OS platform (`Platform`), e.g. `TencentOS`. */
  platform: string;
  /** The architecture (`Architecture`), e.g. `x86_64`. */
  architecture: string;
  /** The image size in GB (`ImageSize`). */
  imageSize: number;
  /** The image state (`ImageState`), e.g. `NORMAL` or `CREATING`. */
  state: ImageState;
  /**
   * The creation time (`CreatedTime`), `YYYY-MM-DDThh:mm:ssZ` (a fixture may also give `±hh:mm`); the newest NORMAL
   * image of a family is its current image (DescribeImageFromFamily).
   */
  createdTime: string;
  /** How the image came to be (`ImageSource`). */
  source: "OFFICIAL" | "CREATE_IMAGE" | "EXTERNAL_IMPORT";
  /** The snapshots bound to the image (`SnapshotSet`); they must exist. */
  snapshotIds: string[];
  /** The accounts the image is shared with, and since when. */
  sharedWith: SharePermission[];
  /** The image's tags (`Tags`), in order. */
  tags: Tag[];
  /** The license type (`LicenseType`), e.g. `TencentCloud`. */
  licenseType: string;
  /** The image family (`ImageFamily`); `""` for none. A fixture may spell it `family` or `imageFamily`. */
  family: string;
  /** Whether the image is deprecated (`ImageDeprecated`). A fixture may spell it `deprecated` or `imageDeprecated`. */
  deprecated: boolean;
  /** Whether the image supports cloud-init (`IsSupportCloudinit`). */
  isSupportCloudinit: boolean;
  /** The boot mode, `Legacy BIOS` or `UEFI`. */
  bootMode: string;
  /** Run time: the state the image moves to at `until` (epoch ms). */
  pending?: {
    /** When the transition happens, epoch ms. */
    until: number;
    /** The state the image moves to. */
    to: ImageState;
  };
  /** Run time: deleted; visible to its owner until this epoch ms. */
  goneAt?: number;
}

/** A disk snapshot: a source of CreateImage from snapshots, or bound to an image. */
export interface SnapshotRecord {
  /** The snapshot id (`snap-…`); generated when a fixture omits it. */
  snapshotId: string;
  /** The region the snapshot lives in. */
  region: string;
  /** The owner's uin (a fixture may give the account name). */
  owner: string;
  /** Whether it is a system-disk or a data-disk snapshot. */
  diskUsage: "SYSTEM_DISK" | "DATA_DISK";
  /** The size of the disk, in GB. */
  diskSize: number;
  /** The disk the snapshot was taken from, if any. */
  diskId?: string;
  /** The operating system on the disk, for system-disk snapshots. */
  osName?: string;
  /** The creation time, `YYYY-MM-DDThh:mm:ssZ`. */
  createdTime: string;
}

export interface DiskRecord {
  diskId: string;
  diskType: string;
  diskSize: number;
  deleteWithInstance?: boolean;
}

/** A CVM instance: a source of CreateImage, and a user of the image it was launched from. */
export interface InstanceRecord {
  /** The instance id (`ins-…`); generated when a fixture omits it. */
  instanceId: string;
  /** The region the instance runs in. */
  region: string;
  /** The owner's uin (a fixture may give the account name). */
  owner: string;
  /** The instance name (`InstanceName`). */
  name: string;
  /** The availability zone, e.g. `ap-guangzhou-3`. */
  zone: string;
  /** The instance state (`InstanceState`), e.g. `RUNNING` or `STOPPED`. */
  state: string;
  /** The image the instance was launched from. */
  imageId: string;
  /** The instance type, e.g. `S5.MEDIUM4`. */
  instanceType: string;
  /** The number of vCPUs (`CPU`). */
  cpu: number;
  /** The memory in GB (`Memory`). */
  memory: number;
  /** The operating system name (`OsName`). */
  osName: string;
  /** The system disk. */
  systemDisk: DiskRecord;
  /** The data disks. */
  dataDisks: DiskRecord[];
  /** The creation time, `YYYY-MM-DDThh:mm:ssZ`. */
  createdTime: string;
  /** The instance's tags (`Tags`). */
  tags: Tag[];
  /** The billing mode (`InstanceChargeType`), e.g. `POSTPAID_BY_HOUR`. */
  chargeType: string;
  /** The project id (`Placement.ProjectId`). */
  projectId: number;
  /** The VPC id (`VirtualPrivateCloud.VpcId`). */
  vpcId: string;
  /** The subnet id (`VirtualPrivateCloud.SubnetId`). */
  subnetId: string;
  /** The private IP addresses. */
  privateIpAddresses: string[];
  /** The public IP addresses. */
  publicIpAddresses: string[];
  /** The security group ids. */
  securityGroupIds: string[];
  /** The instance UUID (`Uuid`). */
  uuid: string;
}

/** One version of a launch template: what an instance launched from it would get. */
export interface LaunchTemplateVersionRecord {
  /** The version number (`LaunchTemplateVersion`), 1 or more, unique in its template. */
  version: number;
  /** The image instances are launched from (`LaunchTemplateVersionData.ImageId`); it need not exist (any more). */
  imageId: string;
  /** The version's description (`LaunchTemplateVersionDescription`). */
  description: string;
  /** The instance type (`LaunchTemplateVersionData.InstanceType`), e.g. `S5.MEDIUM4`. */
  instanceType: string;
  /** The instance name (`LaunchTemplateVersionData.InstanceName`). */
  instanceName: string;
  /** The availability zone (`LaunchTemplateVersionData.Placement.Zone`). */
  zone: string;
  /** The project id (`LaunchTemplateVersionData.Placement.ProjectId`). */
  projectId: number;
  /** The billing mode (`LaunchTemplateVersionData.InstanceChargeType`), e.g. `POSTPAID_BY_HOUR`. */
  chargeType: string;
  /** The creation time (`CreationTime`), `YYYY-MM-DDThh:mm:ssZ`. */
  createdTime: string;
}

/** A CVM launch template (DescribeLaunchTemplates) with its versions (DescribeLaunchTemplateVersions). */
export interface LaunchTemplateRecord {
  /** The template id (`lt-…`); generated when a fixture omits it. */
  launchTemplateId: string;
  /** The region the template lives in. */
  region: string;
  /** The owner's uin (a fixture may give the account name). */
  owner: string;
  /** The template name (`LaunchTemplateName`). */
  name: string;
  /** The default version's number (`DefaultVersionNumber`); one of `versions`. */
  defaultVersion: number;
  /** The versions, 1 to 30 of them. */
  versions: LaunchTemplateVersionRecord[];
  /** The template's tags (matched by the `tag-key`, `tag-value` and `tag:<key>` filters). */
  tags: Tag[];
  /** The creation time (`CreationTime`), `YYYY-MM-DDThh:mm:ssZ`. */
  createdTime: string;
}

/** An Auto Scaling group using a launch configuration (`AutoScalingGroupAbstractSet`). */
export interface ScalingGroupRef {
  /** The group id (`AutoScalingGroupId`), `asg-…`. */
  autoScalingGroupId: string;
  /** The group name (`AutoScalingGroupName`). */
  autoScalingGroupName: string;
}

/** An Auto Scaling launch configuration (DescribeLaunchConfigurations). */
export interface LaunchConfigurationRecord {
  /** The configuration id (`asc-…`); generated when a fixture omits it. */
  launchConfigurationId: string;
  /** The region the configuration lives in. */
  region: string;
  /** The owner's uin (a fixture may give the account name). */
  owner: string;
  /** The configuration name (`LaunchConfigurationName`). */
  name: string;
  /**
   * The image scale-outs launch from (`ImageId`); it need not exist (any more). `""` for a configuration by family
   * (exactly one of `imageId` and `imageFamily` is set).
   */
  imageId: string;
  /**
   * The image family whose current image scale-outs launch (`ImageFamily`; see DescribeImageFromFamily); `""` for a
   * configuration by image id.
   */
  imageFamily: string;
  /** The instance type (`InstanceType`, and `InstanceTypes: [it]`). */
  instanceType: string;
  /**
   * The stored status (`LaunchConfigurationStatus`): NORMAL,
   * IMAGE_ABNORMAL, CBS_SNAP_ABNORMAL or SECURITY_GROUP_ABNORMAL.
   */
  status: string;
  /** The project id (`ProjectId`). */
  projectId: number;
  /** The billing mode (`InstanceChargeType`), e.g. `POSTPAID_BY_HOUR`. */
  chargeType: string;
  /** The system disk (`SystemDisk`). */
  systemDisk: {
    /** The disk type (`DiskType`), e.g. `CLOUD_PREMIUM`. */
    diskType: string;
    /** The size in GB (`DiskSize`). */
    diskSize: number;
  };
  /** The scaling groups using the configuration. */
  autoScalingGroups: ScalingGroupRef[];
  /** The configuration's own tags (`Tags`). */
  tags: Tag[];
  /** The creation time (`CreatedTime`), `YYYY-MM-DDThh:mm:ssZ`. */
  createdTime: string;
}

/** A complete data set: the seed format and the body of the state file. */
export interface Dataset {
  /** Name of the account `env()` and the CLI print. Default: the first account. */
  defaultAccount: string;
  /** Region `env()` and the CLI print. Default: the first region. */
  defaultRegion: string;
  /** The regions the emulator serves; every record's region must be one of them. */
  regions: string[];
  /** The accounts, each a root account uin with one API key pair. */
  accounts: Account[];
  /** The images: public ones and every account's custom images. */
  images: ImageRecord[];
  /** The disk snapshots (sources of CreateImage from snapshots, and bound to images). */
  snapshots: SnapshotRecord[];
  /** The CVM instances (sources of CreateImage, and users of images). */
  instances: InstanceRecord[];
  /** The CVM launch templates (users of the images their versions name). */
  launchTemplates: LaunchTemplateRecord[];
  /** The Auto Scaling launch configurations (users of the images they name). */
  launchConfigurations: LaunchConfigurationRecord[];
}

/** The state file: a dataset plus what is needed to continue exactly where the emulator stopped. */
export interface StateFile extends Dataset {
  /** The state-file format marker. */
  format: "cvm-emulator-state/1";
  /** When the file was written, `YYYY-MM-DDThh:mm:ssZ`. */
  savedAt: string;
  /** Id generator state, so ids are never reused after a restart. */
  rng: number;
}

/** Tencent's time format, `YYYY-MM-DDThh:mm:ssZ`. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}
