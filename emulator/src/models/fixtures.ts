/**
 * Reading fixtures: turns the loose fixture format (optional fields, owners given by account
 * name or uin) into complete records, with errors that name the offending entry.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import {
  Account,
  Dataset,
  DiskRecord,
  ImageRecord,
  ImageState,
  InstanceRecord,
  isoTime,
  LaunchConfigurationRecord,
  LaunchTemplateRecord,
  LaunchTemplateVersionRecord,
  SnapshotRecord,
  Tag,
} from "./types";

export const ID_PATTERNS = {
  image: /^img-[a-z0-9]{8,9}$/,
  snapshot: /^snap-[a-z0-9]{8}$/,
  instance: /^ins-[a-z0-9]{8}$/,
  disk: /^disk-[a-z0-9]{8}$/,
  launchTemplate: /^lt-[a-z0-9]{8}$/,
  launchConfiguration: /^asc-[a-z0-9]{8}$/,
  scalingGroup: /^asg-[a-z0-9]{8}$/,
  uin: /^[0-9]{5,20}$/,
};

/**
 * Image families: letters, digits and hyphens, starting with a letter, at most 60 characters (an emulator choice; the
 * contract gives no rule). Checked in CreateImage, ImportImage, ModifyImageAttribute and fixtures.
 */
export const IMAGE_FAMILY_PATTERN = /^[A-Za-z][A-Za-z0-9-]{0,59}$/;

/** Times in fixtures: `YYYY-MM-DDThh:mm:ssZ`, or with fractional seconds or a `±hh:mm` offset (contract §6). */
const TIME_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** The most versions a launch template has (the CVM quota; also DescribeLaunchTemplateVersions' default MaxVersion). */
export const MAX_LAUNCH_TEMPLATE_VERSIONS = 30;

/** The values of a launch configuration's `LaunchConfigurationStatus`. */
export const LAUNCH_CONFIGURATION_STATUSES = [
  "NORMAL",
  "IMAGE_ABNORMAL",
  "CBS_SNAP_ABNORMAL",
  "SECURITY_GROUP_ABNORMAL",
];

/** Path of the default fixture set shipped with the package. */
export const DEFAULT_FIXTURES_PATH = path.join(__dirname, "..", "..", "fixtures", "default.json");

/** Fixture entries to add to an existing dataset (`POST /_emulator/fixtures`); every list optional. */
export interface FixtureAdditions {
  accounts?: unknown[];
  regions?: string[];
  images?: unknown[];
  snapshots?: unknown[];
  instances?: unknown[];
  launchTemplates?: unknown[];
  launchConfigurations?: unknown[];
}

type Obj = Record<string, unknown>;

class Reader {
  constructor(
    readonly o: Obj,
    readonly where: string,
  ) {
    if (!o || typeof o !== "object" || Array.isArray(o)) throw new Error(`${where}: must be an object`);
  }
  private fail(key: string, what: string): never {
    throw new Error(`${this.where}: \`${key}\` ${what}`);
  }
  str(key: string, def?: string, pattern?: RegExp): string {
    const v = this.o[key];
    if (v === undefined || v === null) {
      if (def === undefined) this.fail(key, "is required");
      return def;
    }
    if (typeof v !== "string") this.fail(key, "must be a string");
    if (pattern && !pattern.test(v)) this.fail(key, `must match ${pattern}`);
    return v;
  }
  num(key: string, def: number): number {
    const v = this.o[key] ?? def;
    if (typeof v !== "number" || !Number.isFinite(v)) this.fail(key, "must be a number");
    return v;
  }
  /** A whole number of at least `min`. */
  int(key: string, def: number, min: number): number {
    const v = this.num(key, def);
    if (!Number.isInteger(v) || v < min) this.fail(key, `must be a whole number of at least ${min}`);
    return v;
  }
  oneOf(key: string, def: string, allowed: readonly string[]): string {
    const v = this.str(key, def);
    if (!allowed.includes(v)) this.fail(key, `must be one of ${allowed.join(", ")}`);
    return v;
  }
  /** Whether the entry gives `key` (not undefined, null or ""). */
  has(key: string): boolean {
    const v = this.o[key];
    return v !== undefined && v !== null && v !== "";
  }
  /** Which of two spellings of one field the entry uses (`key` when neither); both is an error. */
  spelling(key: string, alias: string): string {
    if (this.has(key) && this.has(alias)) this.fail(alias, `and \`${key}\` are the same field; give only one`);
    return this.has(alias) ? alias : key;
  }
  /** An ISO 8601 time (`YYYY-MM-DDThh:mm:ssZ`, or with an offset), or `def`. */
  time(key: string, def: string): string {
    const v = this.str(key, def);
    if (!TIME_PATTERN.test(v) || Number.isNaN(Date.parse(v)))
      this.fail(key, "must be an ISO 8601 time such as 2025-03-01T08:10:00Z");
    return v;
  }
  bool(key: string, def: boolean): boolean {
    const v = this.o[key] ?? def;
    if (typeof v !== "boolean") this.fail(key, "must be a boolean");
    return v;
  }
  list<T>(key: string, item: (v: unknown, i: number) => T): T[] {
    const v = this.o[key] ?? [];
    if (!Array.isArray(v)) this.fail(key, "must be a list");
    return v.map(item);
  }
  tags(): Tag[] {
    return this.list("tags", (t, i) => {
      const r = new Reader(t as Obj, `${this.where}.tags[${i}]`);
      return { Key: r.str("Key"), Value: r.str("Value", "") };
    });
  }
}

/** Resolves owners given by name or uin against the known accounts. */
export type OwnerResolver = (owner: string, where: string) => string;

function time(r: Reader, now: number): string {
  return r.time("createdTime", isoTime(now));
}

function readAccount(o: unknown, i: number): Account {
  const r = new Reader(o as Obj, `accounts[${i}]`);
  return {
    name: r.str("name"),
    uin: r.str("uin", undefined, ID_PATTERNS.uin),
    secretId: r.str("secretId", undefined, /^[A-Za-z0-9]{16,64}$/),
    secretKey: r.str("secretKey", undefined, /^[A-Za-z0-9]{16,64}$/),
  };
}

const IMAGE_STATES: ImageState[] = [
  "CREATING",
  "NORMAL",
  "CREATEFAILED",
  "SYNCING",
  "IMPORTING",
  "IMPORTFAILED",
  "USING",
];

function readImage(o: unknown, where: string, owner: OwnerResolver, newId: () => string, now: number): ImageRecord {
  const r = new Reader(o as Obj, where);
  const rawOwner = r.o.owner;
  const ownerUin =
    rawOwner === undefined || rawOwner === null || rawOwner === "public" ? null : owner(r.str("owner"), where);
  const state = r.str("state", "NORMAL") as ImageState;
  if (!IMAGE_STATES.includes(state)) throw new Error(`${where}: unknown state ${state}`);
  const osName = r.str("osName", "TencentOS Server 3.1 (TK4)");
  const image: ImageRecord = {
    imageId: r.str("imageId", newId(), ID_PATTERNS.image),
    region: r.str("region"),
    owner: ownerUin,
    name: r.str("name"),
    description: r.str("description", ""),
    osName,
    platform: r.str("platform", osName.split(" ")[0] ?? "Linux"),
    architecture: r.str("architecture", "x86_64"),
    imageSize: r.num("imageSize", 50),
    state,
    createdTime: time(r, now),
    source: r.str("source", ownerUin === null ? "OFFICIAL" : "CREATE_IMAGE") as ImageRecord["source"],
    snapshotIds: r.list("snapshotIds", (s) => String(s)),
    sharedWith: r.list("sharedWith", (s, i) => {
      if (typeof s === "string") return { accountId: owner(s, `${where}.sharedWith[${i}]`), createdTime: isoTime(now) };
      const sr = new Reader(s as Obj, `${where}.sharedWith[${i}]`);
      return { accountId: owner(sr.str("accountId"), sr.where), createdTime: sr.str("createdTime", isoTime(now)) };
    }),
    tags: r.tags(),
    licenseType: r.str("licenseType", "TencentCloud"),
    family: r.str(r.spelling("family", "imageFamily"), ""),
    deprecated: r.bool(r.spelling("deprecated", "imageDeprecated"), false),
    isSupportCloudinit: r.bool("isSupportCloudinit", true),
    bootMode: r.str("bootMode", "Legacy BIOS"),
  };
  if (image.family !== "" && !IMAGE_FAMILY_PATTERN.test(image.family))
    throw new Error(`${where}: \`${r.spelling("family", "imageFamily")}\` must match ${IMAGE_FAMILY_PATTERN}`);
  const pending = r.o.pending as { until?: unknown; to?: unknown } | undefined;
  if (pending && typeof pending.until === "number" && IMAGE_STATES.includes(pending.to as ImageState)) {
    image.pending = { until: pending.until, to: pending.to as ImageState };
  }
  if (typeof r.o.goneAt === "number") image.goneAt = r.o.goneAt;
  return image;
}

function readSnapshot(
  o: unknown,
  where: string,
  owner: OwnerResolver,
  newId: () => string,
  now: number,
): SnapshotRecord {
  const r = new Reader(o as Obj, where);
  const diskUsage = r.str("diskUsage", "SYSTEM_DISK");
  if (diskUsage !== "SYSTEM_DISK" && diskUsage !== "DATA_DISK")
    throw new Error(`${where}: diskUsage must be SYSTEM_DISK or DATA_DISK`);
  const snapshot: SnapshotRecord = {
    snapshotId: r.str("snapshotId", newId(), ID_PATTERNS.snapshot),
    region: r.str("region"),
    owner: owner(r.str("owner"), where),
    diskUsage,
    diskSize: r.num("diskSize", 50),
    createdTime: time(r, now),
  };
  if (r.o.diskId !== undefined) snapshot.diskId = r.str("diskId", undefined, ID_PATTERNS.disk);
  if (r.o.osName !== undefined) snapshot.osName = r.str("osName");
  return snapshot;
}

function readDisk(o: unknown, where: string, newId: () => string, defType: string): DiskRecord {
  const r = new Reader(o as Obj, where);
  return {
    diskId: r.str("diskId", newId(), ID_PATTERNS.disk),
    diskType: r.str("diskType", defType),
    diskSize: r.num("diskSize", 50),
    deleteWithInstance: r.bool("deleteWithInstance", true),
  };
}

function readInstance(
  o: unknown,
  where: string,
  owner: OwnerResolver,
  newId: ReadContext["newId"],
  now: number,
): InstanceRecord {
  const r = new Reader(o as Obj, where);
  const instanceId = r.str("instanceId", newId("ins"), ID_PATTERNS.instance);
  const region = r.str("region");
  return {
    instanceId,
    region,
    owner: owner(r.str("owner"), where),
    name: r.str("name", instanceId),
    zone: r.str("zone", `${region}-3`),
    state: r.str("state", "RUNNING"),
    imageId: r.str("imageId", undefined, ID_PATTERNS.image),
    instanceType: r.str("instanceType", "S5.MEDIUM4"),
    cpu: r.num("cpu", 2),
    memory: r.num("memory", 4),
    osName: r.str("osName", "TencentOS Server 3.1 (TK4)"),
    systemDisk: readDisk(r.o.systemDisk ?? {}, `${where}.systemDisk`, () => newId("disk"), "CLOUD_PREMIUM"),
    dataDisks: r.list("dataDisks", (d, i) =>
      readDisk(d, `${where}.dataDisks[${i}]`, () => newId("disk"), "CLOUD_PREMIUM"),
    ),
    createdTime: time(r, now),
    tags: r.tags(),
    chargeType: r.str("chargeType", "POSTPAID_BY_HOUR"),
    projectId: r.num("projectId", 0),
    vpcId: r.str("vpcId", "vpc-emu00001"),
    subnetId: r.str("subnetId", "subnet-emu00001"),
    privateIpAddresses: r.list("privateIpAddresses", String),
    publicIpAddresses: r.list("publicIpAddresses", String),
    securityGroupIds: r.list("securityGroupIds", String),
    uuid: r.str("uuid", `00000000-0000-4000-8000-${instanceId.slice(4).padStart(12, "0")}`),
  };
}

function readTemplateVersion(
  o: unknown,
  where: string,
  region: string,
  index: number,
  now: number,
): LaunchTemplateVersionRecord {
  const r = new Reader(o as Obj, where);
  return {
    version: r.int("version", index + 1, 1),
    imageId: r.str("imageId", undefined, ID_PATTERNS.image),
    description: r.str("description", ""),
    instanceType: r.str("instanceType", "S5.MEDIUM4"),
    instanceName: r.str("instanceName", ""),
    zone: r.str("zone", `${region}-3`),
    projectId: r.num("projectId", 0),
    chargeType: r.str("chargeType", "POSTPAID_BY_HOUR"),
    createdTime: time(r, now),
  };
}

function readLaunchTemplate(
  o: unknown,
  where: string,
  owner: OwnerResolver,
  newId: () => string,
  now: number,
): LaunchTemplateRecord {
  const r = new Reader(o as Obj, where);
  const region = r.str("region");
  const versions = r.list("versions", (v, i) => readTemplateVersion(v, `${where}.versions[${i}]`, region, i, now));
  if (versions.length < 1 || versions.length > MAX_LAUNCH_TEMPLATE_VERSIONS) {
    throw new Error(`${where}: \`versions\` must list 1 to ${MAX_LAUNCH_TEMPLATE_VERSIONS} versions`);
  }
  const numbers = versions.map((v) => v.version);
  if (new Set(numbers).size !== numbers.length) throw new Error(`${where}: version numbers must be unique`);
  const defaultVersion = r.int("defaultVersion", numbers[0]!, 1);
  if (!numbers.includes(defaultVersion))
    throw new Error(`${where}: defaultVersion ${defaultVersion} is not one of its versions`);
  return {
    launchTemplateId: r.str("launchTemplateId", newId(), ID_PATTERNS.launchTemplate),
    region,
    owner: owner(r.str("owner"), where),
    name: r.str("name"),
    defaultVersion,
    versions: versions.sort((a, b) => a.version - b.version),
    tags: r.tags(),
    createdTime: time(r, now),
  };
}

function readLaunchConfiguration(
  o: unknown,
  where: string,
  owner: OwnerResolver,
  newId: () => string,
  now: number,
): LaunchConfigurationRecord {
  const r = new Reader(o as Obj, where);
  const disk = new Reader((r.o.systemDisk ?? {}) as Obj, `${where}.systemDisk`);
  const byId = r.has("imageId");
  if (byId === r.has("imageFamily")) {
    const given = byId ? "both are given" : "neither is given";
    throw new Error(`${where}: give exactly one of \`imageId\` and \`imageFamily\` (${given})`);
  }
  return {
    launchConfigurationId: r.str("launchConfigurationId", newId(), ID_PATTERNS.launchConfiguration),
    region: r.str("region"),
    owner: owner(r.str("owner"), where),
    name: r.str("name"),
    imageId: byId ? r.str("imageId", undefined, ID_PATTERNS.image) : "",
    imageFamily: byId ? "" : r.str("imageFamily", undefined, IMAGE_FAMILY_PATTERN),
    instanceType: r.str("instanceType", "S5.MEDIUM4"),
    status: r.oneOf("status", "NORMAL", LAUNCH_CONFIGURATION_STATUSES),
    projectId: r.num("projectId", 0),
    chargeType: r.str("chargeType", "POSTPAID_BY_HOUR"),
    systemDisk: { diskType: disk.str("diskType", "CLOUD_PREMIUM"), diskSize: disk.num("diskSize", 50) },
    autoScalingGroups: r.list("autoScalingGroups", (g, i) => {
      const gr = new Reader(g as Obj, `${where}.autoScalingGroups[${i}]`);
      return {
        autoScalingGroupId: gr.str("autoScalingGroupId", undefined, ID_PATTERNS.scalingGroup),
        autoScalingGroupName: gr.str("autoScalingGroupName", ""),
      };
    }),
    tags: r.tags(),
    createdTime: time(r, now),
  };
}

/** Context for reading entries: owner resolution, id generation and the clock. */
export interface ReadContext {
  owner: OwnerResolver;
  newId: (prefix: "img" | "snap" | "ins" | "disk" | "lt" | "asc") => string;
  now: number;
}

/** Read additions (every list optional). */
export function readAdditions(
  input: FixtureAdditions,
  ctx: ReadContext,
): Omit<Dataset, "defaultAccount" | "defaultRegion"> {
  if (!input || typeof input !== "object") throw new Error("fixtures must be an object");
  const regions = input.regions ?? [];
  if (!Array.isArray(regions) || regions.some((x) => typeof x !== "string"))
    throw new Error("`regions` must be a list of strings");
  const list = (v: unknown, key: string): unknown[] => {
    if (v === undefined) return [];
    if (!Array.isArray(v)) throw new Error(`\`${key}\` must be a list`);
    return v;
  };
  return {
    regions,
    accounts: list(input.accounts, "accounts").map(readAccount),
    images: list(input.images, "images").map((o, i) =>
      readImage(o, `images[${i}]`, ctx.owner, () => ctx.newId("img"), ctx.now),
    ),
    snapshots: list(input.snapshots, "snapshots").map((o, i) =>
      readSnapshot(o, `snapshots[${i}]`, ctx.owner, () => ctx.newId("snap"), ctx.now),
    ),
    instances: list(input.instances, "instances").map((o, i) =>
      readInstance(o, `instances[${i}]`, ctx.owner, ctx.newId, ctx.now),
    ),
    launchTemplates: list(input.launchTemplates, "launchTemplates").map((o, i) =>
      readLaunchTemplate(o, `launchTemplates[${i}]`, ctx.owner, () => ctx.newId("lt"), ctx.now),
    ),
    launchConfigurations: list(input.launchConfigurations, "launchConfigurations").map((o, i) =>
      readLaunchConfiguration(o, `launchConfigurations[${i}]`, ctx.owner, () => ctx.newId("asc"), ctx.now),
    ),
  };
}

/** Read a JSON file (fixture set or state file). */
export function readJsonFile(file: string): Record<string, unknown> {
  const text = readFileSync(file, "utf8");
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`${file}: not valid JSON (${(e as Error).message})`);
  }
}
