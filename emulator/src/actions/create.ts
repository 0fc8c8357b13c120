/** CreateImage (from an instance, with data disks, or from snapshots) and ImportImage. */
import { ApiError, invalidParameterValue } from "../errors";
import { ImageRecord, isoTime, SnapshotRecord, Tag } from "../models/types";
import { bool, list, obj, str, TAG_SPECIFICATION } from "../protocol/schema";
import {
  ActionContext,
  ActionDefinition,
  checkDescription,
  checkImageFamily,
  checkImageName,
  checkNameUnique,
  checkQuota,
  dryRunAnswer,
  imageTags,
  nameFails,
  startTransition,
  unique,
} from "./common";

/** Instance states that refuse CreateImage, and the code each gives. */
const STATE_ERRORS: Record<string, string> = {
  STARTING: "UnsupportedOperation.InstanceStateStarting",
  STOPPING: "UnsupportedOperation.InstanceStateStopping",
  REBOOTING: "UnsupportedOperation.InstanceStateRebooting",
  TERMINATING: "UnsupportedOperation.InstanceStateTerminating",
  FREEZING: "UnsupportedOperation.InstanceStateFreezing",
  ENTER_RESCUE_MODE: "UnsupportedOperation.InstanceStateEnterRescueMode",
  RESCUE_MODE: "UnsupportedOperation.InstanceStateRescueMode",
  EXIT_RESCUE_MODE: "UnsupportedOperation.InstanceStateExitRescueMode",
  ENTER_SERVICE_LIVE_MIGRATE: "UnsupportedOperation.InstanceStateEnterServiceLiveMigrate",
  SERVICE_LIVE_MIGRATE: "UnsupportedOperation.InstanceStateServiceLiveMigrate",
};

type TagSpec = { ResourceType: string; Tags: Tag[] }[];

interface CreateImageParams {
  ImageName: string;
  InstanceId?: string;
  ImageDescription?: string;
  ForcePoweroff?: string;
  Sysprep?: string;
  DataDiskIds?: string[];
  SnapshotIds?: string[];
  DryRun?: boolean;
  TagSpecification?: TagSpec;
  ImageFamily?: string;
}

function checkStringBool(name: string, v: string | undefined): void {
  if (v !== undefined && v !== "true" && v !== "false") throw invalidParameterValue(`\`${name}\` must be "true" or "false".`);
}

/** Checks shared by CreateImage and ImportImage: name, description, family, tags, uniqueness, quota. */
function checkNewImage(ctx: ActionContext, p: { ImageName: string; ImageDescription?: string; ImageFamily?: string; TagSpecification?: TagSpec }): Tag[] {
  checkImageName(p.ImageName);
  checkDescription(p.ImageDescription);
  checkImageFamily(p.ImageFamily);
  const tags = imageTags(p.TagSpecification);
  checkNameUnique(ctx, p.ImageName);
  checkQuota(ctx);
  return tags;
}

/** A new custom image record owned by the caller. */
function newImage(ctx: ActionContext, fields: Partial<ImageRecord> & Pick<ImageRecord, "name" | "source" | "osName" | "platform" | "imageSize">): ImageRecord {
  return {
    imageId: ctx.store.newId("img"),
    region: ctx.region,
    owner: ctx.account.uin,
    description: "",
    architecture: "x86_64",
    state: "NORMAL",
    createdTime: isoTime(ctx.now),
    snapshotIds: [],
    sharedWith: [],
    tags: [],
    licenseType: "TencentCloud",
    family: "",
    deprecated: false,
    isSupportCloudinit: true,
    bootMode: "Legacy BIOS",
    ...fields,
  };
}

function newSnapshot(ctx: ActionContext, diskUsage: SnapshotRecord["diskUsage"], diskSize: number, extra: Partial<SnapshotRecord> = {}): SnapshotRecord {
  const snapshot: SnapshotRecord = {
    snapshotId: ctx.store.newId("snap"),
    region: ctx.region,
    owner: ctx.account.uin,
    diskUsage,
    diskSize,
    createdTime: isoTime(ctx.now),
    ...extra,
  };
  ctx.store.snapshots.set(snapshot.snapshotId, snapshot);
  return snapshot;
}

function createImage(ctx: ActionContext, p: CreateImageParams): Record<string, unknown> {
  const snapshotIds = p.SnapshotIds ? unique(p.SnapshotIds) : undefined;
  if (p.InstanceId !== undefined && snapshotIds !== undefined) {
    throw new ApiError("InvalidParameterConflict", "InstanceId and SnapshotIds cannot be specified at the same time.");
  }
  if (p.InstanceId === undefined && snapshotIds === undefined) {
    throw new ApiError("InvalidParameter.SpecifyOneParameter", "Specify exactly one of InstanceId and SnapshotIds.");
  }
  if (p.DataDiskIds !== undefined && p.InstanceId === undefined) {
    throw new ApiError("InvalidParameter.InvalidDependence", "DataDiskIds can only be used together with InstanceId.");
  }
  checkStringBool("ForcePoweroff", p.ForcePoweroff);
  checkStringBool("Sysprep", p.Sysprep);
  const tags = checkNewImage(ctx, p);
  let build: () => Pick<ImageRecord, "osName" | "platform" | "imageSize" | "architecture" | "snapshotIds">;

  if (p.InstanceId !== undefined) {
    const instance = ctx.store.instances.get(p.InstanceId);
    if (!instance || instance.owner !== ctx.account.uin || instance.region !== ctx.region) {
      throw new ApiError("InvalidInstanceId.NotFound", `The instance \`${p.InstanceId}\` is not found.`);
    }
    const stateError = STATE_ERRORS[instance.state];
    if (stateError) throw new ApiError(stateError, `The instance \`${instance.instanceId}\` is in state ${instance.state}.`);
    if (instance.state !== "RUNNING" && instance.state !== "STOPPED") {
      throw new ApiError("InvalidInstance.NotSupported", `The instance \`${instance.instanceId}\` in state ${instance.state} does not support creating an image.`);
    }
    const dataDisks = unique(p.DataDiskIds ?? []).map((diskId) => {
      if (diskId === instance.systemDisk.diskId) {
        throw new ApiError("InvalidParameter.DataDiskIdContainsRootDisk", `\`${diskId}\` is the system disk; DataDiskIds may only name data disks.`);
      }
      const disk = instance.dataDisks.find((d) => d.diskId === diskId);
      if (!disk) throw new ApiError("InvalidParameter.DataDiskNotBelongSpecifiedInstance", `The disk \`${diskId}\` does not belong to ${instance.instanceId}.`);
      if (disk.diskType.startsWith("LOCAL_")) throw new ApiError("InvalidParameter.LocalDataDiskNotSupport", `The local disk \`${diskId}\` cannot be imaged.`);
      return disk;
    });
    build = () => {
      const source = ctx.store.image(instance.imageId);
      const system = newSnapshot(ctx, "SYSTEM_DISK", instance.systemDisk.diskSize, { diskId: instance.systemDisk.diskId, osName: instance.osName });
      const data = dataDisks.map((d) => newSnapshot(ctx, "DATA_DISK", d.diskSize, { diskId: d.diskId }));
      return {
        osName: instance.osName,
        platform: source?.platform ?? instance.osName.split(" ")[0] ?? "Linux",
        architecture: source?.architecture ?? "x86_64",
        imageSize: instance.systemDisk.diskSize,
        snapshotIds: [system.snapshotId, ...data.map((s) => s.snapshotId)],
      };
    };
  } else {
    const snapshots = snapshotIds!.map((id) => {
      const s = ctx.store.snapshots.get(id);
      if (!s || s.owner !== ctx.account.uin || s.region !== ctx.region) {
        throw new ApiError("InvalidParameter.SnapshotNotFound", `The snapshot \`${id}\` is not found.`);
      }
      return s;
    });
    const systems = snapshots.filter((s) => s.diskUsage === "SYSTEM_DISK");
    if (systems.length === 0) throw new ApiError("InvalidParameter.SystemSnapshotNotFound", "SnapshotIds must include one system-disk snapshot.");
    if (systems.length > 1) throw new ApiError("InvalidParameter.DuplicateSystemSnapshots", "SnapshotIds may include only one system-disk snapshot.");
    const system = systems[0]!;
    const osName = system.osName ?? "Linux";
    build = () => ({
      osName,
      platform: osName.split(" ")[0] ?? "Linux",
      architecture: "x86_64",
      imageSize: system.diskSize,
      snapshotIds: [system, ...snapshots.filter((s) => s !== system)].map((s) => s.snapshotId),
    });
  }

  if (p.DryRun) return dryRunAnswer(ctx);
  const image = newImage(ctx, {
    ...build(),
    name: p.ImageName,
    description: p.ImageDescription ?? "",
    source: "CREATE_IMAGE",
    tags,
    family: p.ImageFamily ?? "",
  });
  ctx.store.putImage(image);
  startTransition(ctx, image, "CREATING", nameFails(ctx, p.ImageName) ? "CREATEFAILED" : "NORMAL", ctx.settings.timing.creatingMs);
  return { ImageId: image.imageId };
}

interface ImportImageParams {
  Architecture: string;
  OsType: string;
  OsVersion: string;
  ImageUrl: string;
  ImageName: string;
  ImageDescription?: string;
  DryRun?: boolean;
  Force?: boolean;
  TagSpecification?: TagSpec;
  LicenseType?: string;
  BootMode?: string;
  ImageFamily?: string;
  ImportImageDataDiskList?: { ImageUrl: string }[];
}

/** OS types ImportImage accepts (the emulator's stand-in for DescribeImportImageOs). */
export const IMPORT_OS_TYPES = ["CentOS", "Ubuntu", "Debian", "TencentOS", "OpenCloudOS", "Rocky Linux", "AlmaLinux", "Fedora", "openSUSE", "FreeBSD", "Windows", "Other Linux"];
const IMAGE_FORMATS = ["raw", "vhd", "qcow2", "vmdk", "iso"];

/** Check an image URL: http(s), an image-file format; returns the format. */
function checkImageUrl(url: string, force: boolean): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ApiError("InvalidParameter.InvalidParameterUrlError", `The image URL \`${url}\` is invalid.`);
  }
  const format = parsed.pathname.split(".").pop()?.toLowerCase() ?? "";
  if (!/^https?:$/.test(parsed.protocol) || !IMAGE_FORMATS.includes(format)) {
    throw new ApiError("InvalidParameter.InvalidParameterUrlError", `The image URL \`${url}\` must be an http(s) COS URL of a RAW, VHD, QCOW2, VMDK or ISO file.`);
  }
  if (format === "iso" && !force) throw new ApiError("InvalidParameterValue.ISOMustImportByForce", "ISO images must be imported with Force.");
  return format;
}

function importImage(ctx: ActionContext, p: ImportImageParams): Record<string, unknown> {
  const arch = { x86_64: "x86_64", i386: "i386", arm_64: "arm" }[p.Architecture];
  if (!arch) throw invalidParameterValue(`Architecture \`${p.Architecture}\` must be x86_64, i386 or arm_64.`);
  if (!IMPORT_OS_TYPES.includes(p.OsType)) throw new ApiError("InvalidImageOsType.Unsupported", `The OS type \`${p.OsType}\` is not supported.`);
  if (!/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,31}$/.test(p.OsVersion)) {
    throw new ApiError("InvalidImageOsVersion.Unsupported", `The OS version \`${p.OsVersion}\` is not supported.`);
  }
  checkImageUrl(p.ImageUrl, p.Force === true);
  for (const d of p.ImportImageDataDiskList ?? []) checkImageUrl(d.ImageUrl, p.Force === true);
  const licenseType = p.LicenseType ?? "TencentCloud";
  if (licenseType !== "TencentCloud" && licenseType !== "BYOL") {
    throw new ApiError("InvalidParameterValue.InvalidLicenseType", `LicenseType \`${licenseType}\` must be TencentCloud or BYOL.`);
  }
  const bootMode = p.BootMode ?? "Legacy BIOS";
  if (bootMode !== "Legacy BIOS" && bootMode !== "UEFI") throw new ApiError("InvalidParameterValue.InvalidBootMode", `BootMode \`${bootMode}\` must be "Legacy BIOS" or "UEFI".`);
  const tags = checkNewImage(ctx, p);
  if (p.DryRun) return dryRunAnswer(ctx);

  const osName = `${p.OsType} ${p.OsVersion}`;
  const system = newSnapshot(ctx, "SYSTEM_DISK", 50, { osName });
  const data = (p.ImportImageDataDiskList ?? []).map(() => newSnapshot(ctx, "DATA_DISK", 50));
  const image = newImage(ctx, {
    name: p.ImageName,
    description: p.ImageDescription ?? "",
    source: "EXTERNAL_IMPORT",
    osName,
    platform: p.OsType,
    architecture: arch,
    imageSize: 50,
    snapshotIds: [system.snapshotId, ...data.map((s) => s.snapshotId)],
    tags,
    licenseType,
    bootMode,
    family: p.ImageFamily ?? "",
  });
  ctx.store.putImage(image);
  startTransition(ctx, image, "IMPORTING", nameFails(ctx, p.ImageName) ? "IMPORTFAILED" : "NORMAL", ctx.settings.timing.importingMs);
  return { ImageId: image.imageId };
}

export const createActions: Record<string, ActionDefinition> = {
  CreateImage: {
    schema: {
      ImageName: str(true),
      InstanceId: str(),
      ImageDescription: str(),
      ForcePoweroff: str(),
      Sysprep: str(),
      DataDiskIds: list(str()),
      SnapshotIds: list(str()),
      DryRun: bool(),
      TagSpecification: TAG_SPECIFICATION,
      ImageFamily: str(),
    },
    mutating: true,
    handler: (ctx, p) => createImage(ctx, p as unknown as CreateImageParams),
  },
  ImportImage: {
    schema: {
      Architecture: str(true),
      OsType: str(true),
      OsVersion: str(true),
      ImageUrl: str(true),
      ImageName: str(true),
      ImageDescription: str(),
      DryRun: bool(),
      Force: bool(),
      TagSpecification: TAG_SPECIFICATION,
      LicenseType: str(),
      BootMode: str(),
      ImageFamily: str(),
      ImportImageDataDiskList: list(obj({ ImageUrl: str(true) })),
    },
    mutating: true,
    handler: (ctx, p) => importImage(ctx, p as unknown as ImportImageParams),
  },
};
