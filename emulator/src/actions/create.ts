/** CreateImage (from an instance, with data disks, or from snapshots) and ImportImage. */
import {
  bootModeInvalid,
  dataDiskIsSystemDisk,
  dataDiskNotOfInstance,
  ErrorEntry,
  imageUrlInvalid,
  instanceNotFound,
  instanceNotSupported,
  instanceStateEnterRescueMode,
  instanceStateEnterServiceLiveMigrate,
  instanceStateExitRescueMode,
  instanceStateFreezing,
  instanceStateRebooting,
  instanceStateRescueMode,
  instanceStateServiceLiveMigrate,
  instanceStateStarting,
  instanceStateStopping,
  instanceStateTerminating,
  invalidDependence,
  isoNeedsForce,
  licenseTypeInvalid,
  localDataDiskRefused,
  osTypeUnsupported,
  osVersionUnsupported,
  parametersConflict,
  snapshotNotFound,
  specifyOneParameter,
  systemSnapshotMissing,
  systemSnapshotsDuplicate,
  valueNotAllowed,
} from "../errors";
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

/** Instance states that refuse CreateImage, and the error each gives. */
const STATE_ERRORS: Record<string, ErrorEntry<[string]>> = {
  STARTING: instanceStateStarting,
  STOPPING: instanceStateStopping,
  REBOOTING: instanceStateRebooting,
  TERMINATING: instanceStateTerminating,
  FREEZING: instanceStateFreezing,
  ENTER_RESCUE_MODE: instanceStateEnterRescueMode,
  RESCUE_MODE: instanceStateRescueMode,
  EXIT_RESCUE_MODE: instanceStateExitRescueMode,
  ENTER_SERVICE_LIVE_MIGRATE: instanceStateEnterServiceLiveMigrate,
  SERVICE_LIVE_MIGRATE: instanceStateServiceLiveMigrate,
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
  if (v !== undefined && v !== "true" && v !== "false") throw valueNotAllowed(name, v, `"true", "false"`);
}

/** Checks shared by CreateImage and ImportImage: name, description, family, tags, uniqueness, quota. */
function checkNewImage(
  ctx: ActionContext,
  p: { ImageName: string; ImageDescription?: string; ImageFamily?: string; TagSpecification?: TagSpec },
): Tag[] {
  checkImageName(p.ImageName);
  checkDescription(p.ImageDescription);
  checkImageFamily(p.ImageFamily);
  const tags = imageTags(p.TagSpecification);
  checkNameUnique(ctx, p.ImageName);
  checkQuota(ctx);
  return tags;
}

/** A new custom image record owned by the caller. */
function newImage(
  ctx: ActionContext,
  fields: Partial<ImageRecord> & Pick<ImageRecord, "name" | "source" | "osName" | "platform" | "imageSize">,
): ImageRecord {
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

function newSnapshot(
  ctx: ActionContext,
  diskUsage: SnapshotRecord["diskUsage"],
  diskSize: number,
  extra: Partial<SnapshotRecord> = {},
): SnapshotRecord {
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
  if (p.InstanceId !== undefined && snapshotIds !== undefined) throw parametersConflict("InstanceId", "SnapshotIds");
  if (p.InstanceId === undefined && snapshotIds === undefined) throw specifyOneParameter("InstanceId", "SnapshotIds");
  if (p.DataDiskIds !== undefined && p.InstanceId === undefined) throw invalidDependence("DataDiskIds", "InstanceId");
  checkStringBool("ForcePoweroff", p.ForcePoweroff);
  checkStringBool("Sysprep", p.Sysprep);
  const tags = checkNewImage(ctx, p);
  let build: () => Pick<ImageRecord, "osName" | "platform" | "imageSize" | "architecture" | "snapshotIds">;

  if (p.InstanceId !== undefined) {
    const instance = ctx.store.instances.get(p.InstanceId);
    if (!instance || instance.owner !== ctx.account.uin || instance.region !== ctx.region)
      throw instanceNotFound(p.InstanceId);
    if (Object.hasOwn(STATE_ERRORS, instance.state)) throw STATE_ERRORS[instance.state]!(instance.instanceId);
    if (instance.state !== "RUNNING" && instance.state !== "STOPPED")
      throw instanceNotSupported(instance.instanceId, instance.state);
    const dataDisks = unique(p.DataDiskIds ?? []).map((diskId) => {
      if (diskId === instance.systemDisk.diskId) throw dataDiskIsSystemDisk(diskId);
      const disk = instance.dataDisks.find((d) => d.diskId === diskId);
      if (!disk) throw dataDiskNotOfInstance(diskId, instance.instanceId);
      if (disk.diskType.startsWith("LOCAL_")) throw localDataDiskRefused(diskId);
      return disk;
    });
    build = () => {
      const source = ctx.store.image(instance.imageId);
      const system = newSnapshot(ctx, "SYSTEM_DISK", instance.systemDisk.diskSize, {
        diskId: instance.systemDisk.diskId,
        osName: instance.osName,
      });
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
      if (!s || s.owner !== ctx.account.uin || s.region !== ctx.region) throw snapshotNotFound(id);
      return s;
    });
    const systems = snapshots.filter((s) => s.diskUsage === "SYSTEM_DISK");
    if (systems.length === 0) throw systemSnapshotMissing();
    if (systems.length > 1) throw systemSnapshotsDuplicate();
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
  startTransition(
    ctx,
    image,
    "CREATING",
    nameFails(ctx, p.ImageName) ? "CREATEFAILED" : "NORMAL",
    ctx.settings.timing.creatingMs,
  );
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
export const IMPORT_OS_TYPES = [
  "CentOS",
  "Ubuntu",
  "Debian",
  "TencentOS",
  "OpenCloudOS",
  "Rocky Linux",
  "AlmaLinux",
  "Fedora",
  "openSUSE",
  "FreeBSD",
  "Windows",
  "Other Linux",
];
const IMAGE_FORMATS = ["raw", "vhd", "qcow2", "vmdk", "iso"];
/** ImportImage's `Architecture` values and the image architecture each gives. */
const IMPORT_ARCHITECTURES: Record<string, string> = { x86_64: "x86_64", i386: "i386", arm_64: "arm" };

/** Check an image URL: http(s), an image-file format; returns the format. */
function checkImageUrl(url: string, force: boolean): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw imageUrlInvalid(url);
  }
  const format = parsed.pathname.split(".").pop()?.toLowerCase() ?? "";
  if (!/^https?:$/.test(parsed.protocol) || !IMAGE_FORMATS.includes(format)) throw imageUrlInvalid(url);
  if (format === "iso" && !force) throw isoNeedsForce();
  return format;
}

function importImage(ctx: ActionContext, p: ImportImageParams): Record<string, unknown> {
  const arch = Object.hasOwn(IMPORT_ARCHITECTURES, p.Architecture) ? IMPORT_ARCHITECTURES[p.Architecture] : undefined;
  if (!arch) throw valueNotAllowed("Architecture", p.Architecture, Object.keys(IMPORT_ARCHITECTURES).join(", "));
  if (!IMPORT_OS_TYPES.includes(p.OsType)) throw osTypeUnsupported(p.OsType);
  if (!/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,31}$/.test(p.OsVersion)) throw osVersionUnsupported(p.OsVersion);
  checkImageUrl(p.ImageUrl, p.Force === true);
  for (const d of p.ImportImageDataDiskList ?? []) checkImageUrl(d.ImageUrl, p.Force === true);
  const licenseType = p.LicenseType ?? "TencentCloud";
  if (licenseType !== "TencentCloud" && licenseType !== "BYOL") throw licenseTypeInvalid(licenseType);
  const bootMode = p.BootMode ?? "Legacy BIOS";
  if (bootMode !== "Legacy BIOS" && bootMode !== "UEFI") throw bootModeInvalid(bootMode);
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
  startTransition(
    ctx,
    image,
    "IMPORTING",
    nameFails(ctx, p.ImageName) ? "IMPORTFAILED" : "NORMAL",
    ctx.settings.timing.importingMs,
  );
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
