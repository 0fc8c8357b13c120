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
  imageId: string;
  region: string;
  owner: string | null;
  name: string;
  description: string;
  osName: string;
  platform: string;
  architecture: string;
  imageSize: number;
  state: ImageState;
  createdTime: string;
  source: "OFFICIAL" | "CREATE_IMAGE" | "EXTERNAL_IMPORT";
  snapshotIds: string[];
  sharedWith: SharePermission[];
  tags: Tag[];
  licenseType: string;
  family: string;
  deprecated: boolean;
  isSupportCloudinit: boolean;
  bootMode: string;
  /** Run time: the state the image moves to at `until` (epoch ms). */
  pending?: { until: number; to: ImageState };
  /** Run time: deleted; visible to its owner until this epoch ms. */
  goneAt?: number;
}

export interface SnapshotRecord {
  snapshotId: string;
  region: string;
  owner: string;
  diskUsage: "SYSTEM_DISK" | "DATA_DISK";
  diskSize: number;
  /** The disk the snapshot was taken from, if any. */
  diskId?: string;
  osName?: string;
  createdTime: string;
}

export interface DiskRecord {
  diskId: string;
  diskType: string;
  diskSize: number;
  deleteWithInstance?: boolean;
}

export interface InstanceRecord {
  instanceId: string;
  region: string;
  owner: string;
  name: string;
  zone: string;
  state: string;
  /** The image the instance was launched from. */
  imageId: string;
  instanceType: string;
  cpu: number;
  memory: number;
  osName: string;
  systemDisk: DiskRecord;
  dataDisks: DiskRecord[];
  createdTime: string;
  tags: Tag[];
  chargeType: string;
  projectId: number;
  vpcId: string;
  subnetId: string;
  privateIpAddresses: string[];
  publicIpAddresses: string[];
  securityGroupIds: string[];
  uuid: string;
}

/** A complete data set: the seed format and the body of the state file. */
export interface Dataset {
  /** Name of the account `env()` and the CLI print. Default: the first account. */
  defaultAccount: string;
  /** Region `env()` and the CLI print. Default: the first region. */
  defaultRegion: string;
  regions: string[];
  accounts: Account[];
  images: ImageRecord[];
  snapshots: SnapshotRecord[];
  instances: InstanceRecord[];
}

/** The state file: a dataset plus what is needed to continue exactly where the emulator stopped. */
export interface StateFile extends Dataset {
  format: "cvm-emulator-state/1";
  savedAt: string;
  /** Id generator state, so ids are never reused after a restart. */
  rng: number;
}

/** Tencent's time format, `YYYY-MM-DDThh:mm:ssZ`. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}
