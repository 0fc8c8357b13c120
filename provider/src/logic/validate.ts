/**
 * Input validation and defaulting for `check`. Pure: no cloud calls, no environment reads
 * (the caller passes the default region and a random source).
 *
 * Values the engine does not know yet at preview time arrive as {@link UNKNOWN}; they are passed
 * through without validation.
 */
import { parseDuration } from "./durations";
import { autoName, ID_EXAMPLES, ID_PATTERNS, MAX_IMAGE_DESCRIPTION, MAX_IMAGE_NAME } from "./naming";
import {
  CheckedInputs,
  DEFAULT_DELETION_POLICY,
  DEFAULT_TIMEOUTS,
  DeletionPolicy,
  SOURCE_FIELDS,
  Timeouts,
  UNKNOWN,
} from "./types";

/** One rejected field, as Pulumi's CheckFailure. */
export interface CheckFailure {
  property: string;
  reason: string;
}

export interface CheckContext {
  /** Region from TENCENTCLOUD_REGION or the `tencentcloud:region` stack config, if any. */
  defaultRegion?: string;
  /** Returns random hex characters (at least 7) for auto-names. */
  randomHex: () => string;
}

const TOP_LEVEL_FIELDS = [
  "region",
  "imageName",
  "autoNamed",
  "resourceName",
  "imageDescription",
  "imageFamily",
  "tags",
  "sharedWith",
  ...SOURCE_FIELDS,
  "deletionPolicy",
  "timeouts",
  "__provider",
];
const MAX_TAG_KEY = 127;
const MAX_TAG_VALUE = 255;
const ARCHITECTURES = ["x86_64", "i386", "arm_64"];
const LICENSE_TYPES = ["TencentCloud", "BYOL"];
const BOOT_MODES = ["Legacy BIOS", "UEFI"];

export function isUnknown(v: unknown): boolean {
  return v === UNKNOWN;
}

type Rec = Record<string, unknown>;

function isRecord(v: unknown): v is Rec {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function quoteList(values: readonly string[]): string {
  return values.map((v) => JSON.stringify(v)).join(", ");
}

/** Collects failures; each helper returns the value when usable. */
class Checker {
  readonly failures: CheckFailure[] = [];

  fail(property: string, reason: string): void {
    this.failures.push({ property, reason });
  }

  unknownKeys(obj: Rec, property: string, allowed: readonly string[]): void {
    for (const k of Object.keys(obj)) {
      if (!allowed.includes(k)) {
        const where = property ? `${property}.${k}` : k;
        this.fail(where, `unknown property "${k}"; the allowed properties are ${quoteList(allowed.filter((a) => !a.startsWith("__") && a !== "autoNamed" && a !== "resourceName"))}`);
      }
    }
  }

  string(v: unknown, property: string, opts: { max?: number; allowEmpty?: boolean } = {}): string | undefined {
    if (v === undefined || v === null) return undefined;
    if (isUnknown(v)) return UNKNOWN;
    if (typeof v !== "string") {
      this.fail(property, `must be a string, got ${typeof v}`);
      return undefined;
    }
    if (!opts.allowEmpty && v.trim() === "") {
      this.fail(property, "must not be empty; remove the property or give it a value");
      return undefined;
    }
    if (opts.max !== undefined && [...v].length > opts.max) {
      this.fail(property, `is ${[...v].length} characters long; the limit is ${opts.max}. Shorten it`);
      return undefined;
    }
    return v;
  }

  id(v: unknown, property: string, kind: keyof typeof ID_PATTERNS): string | undefined {
    const s = this.string(v, property);
    if (s === undefined || s === UNKNOWN) return s;
    if (!ID_PATTERNS[kind].test(s)) {
      this.fail(property, `${JSON.stringify(s)} is not a valid ${kind} id; expected something like ${ID_EXAMPLES[kind]}`);
      return undefined;
    }
    return s;
  }

  oneOf(v: unknown, property: string, allowed: readonly string[]): string | undefined {
    const s = this.string(v, property);
    if (s === undefined || s === UNKNOWN) return s;
    if (!allowed.includes(s)) {
      this.fail(property, `${JSON.stringify(s)} is not allowed; use one of ${quoteList(allowed)}`);
      return undefined;
    }
    return s;
  }

  bool(v: unknown, property: string): boolean | undefined {
    if (v === undefined || v === null) return undefined;
    if (isUnknown(v)) return UNKNOWN as unknown as boolean;
    if (typeof v !== "boolean") {
      this.fail(property, `must be true or false, got ${JSON.stringify(v)}`);
      return undefined;
    }
    return v;
  }

  url(v: unknown, property: string): string | undefined {
    const s = this.string(v, property);
    if (s === undefined || s === UNKNOWN) return s;
    let ok = false;
    try {
      const u = new URL(s);
      ok = u.protocol === "http:" || u.protocol === "https:";
    } catch {
      ok = false;
    }
    if (!ok) {
      this.fail(property, `${JSON.stringify(s)} is not an http(s) URL; give the COS URL of the image file`);
      return undefined;
    }
    return s;
  }

  /** A list of ids, all valid and distinct. */
  idList(v: unknown, property: string, kind: keyof typeof ID_PATTERNS, opts: { nonEmpty?: boolean } = {}): string[] | undefined {
    if (v === undefined || v === null) return undefined;
    if (isUnknown(v)) return UNKNOWN as unknown as string[];
    if (!Array.isArray(v)) {
      this.fail(property, `must be a list of ${kind} ids`);
      return undefined;
    }
    if (opts.nonEmpty && v.length === 0) {
      this.fail(property, `must list at least one ${kind} id`);
      return undefined;
    }
    const seen = new Set<string>();
    const dups = new Set<string>();
    v.forEach((item, i) => {
      const s = this.id(item, `${property}[${i}]`, kind);
      if (s && s !== UNKNOWN) {
        if (seen.has(s)) dups.add(s);
        seen.add(s);
      }
    });
    if (dups.size) this.fail(property, `lists ${quoteList([...dups])} more than once; list each ${kind} once`);
    return v as string[];
  }

  object(v: unknown, property: string): Rec | undefined {
    if (v === undefined || v === null) return undefined;
    if (isUnknown(v)) return undefined;
    if (!isRecord(v)) {
      this.fail(property, "must be an object");
      return undefined;
    }
    return v;
  }
}

function checkSource(c: Checker, news: Rec): Partial<CheckedInputs> {
  const out: Partial<CheckedInputs> = {};
  const present = SOURCE_FIELDS.filter((f) => news[f] !== undefined && news[f] !== null);
  if (present.length === 0) {
    c.fail("fromInstance", `no image source given; set exactly one of ${SOURCE_FIELDS.join(", ")}`);
  } else if (present.length > 1) {
    c.fail(present[1], `${present.join(" and ")} are both set; set exactly one image source (${SOURCE_FIELDS.join(", ")})`);
  }
  if (news.fromInstance !== undefined && isUnknown(news.fromInstance)) out.fromInstance = UNKNOWN as never;
  const fi = c.object(news.fromInstance, "fromInstance");
  if (fi) {
    c.unknownKeys(fi, "fromInstance", ["instanceId", "dataDiskIds", "forcePowerOff", "sysprep"]);
    if (fi.instanceId === undefined) c.fail("fromInstance.instanceId", "is required; give the id of the instance to image");
    const instanceId = c.id(fi.instanceId, "fromInstance.instanceId", "instance");
    out.fromInstance = { instanceId: instanceId ?? "" };
    const dataDiskIds = c.idList(fi.dataDiskIds, "fromInstance.dataDiskIds", "disk");
    if (dataDiskIds !== undefined) out.fromInstance.dataDiskIds = dataDiskIds;
    const forcePowerOff = c.bool(fi.forcePowerOff, "fromInstance.forcePowerOff");
    if (forcePowerOff !== undefined) out.fromInstance.forcePowerOff = forcePowerOff;
    const sysprep = c.bool(fi.sysprep, "fromInstance.sysprep");
    if (sysprep !== undefined) out.fromInstance.sysprep = sysprep;
  }
  if (news.fromSnapshots !== undefined && isUnknown(news.fromSnapshots)) out.fromSnapshots = UNKNOWN as never;
  const fs = c.object(news.fromSnapshots, "fromSnapshots");
  if (fs) {
    c.unknownKeys(fs, "fromSnapshots", ["snapshotIds"]);
    if (fs.snapshotIds === undefined) c.fail("fromSnapshots.snapshotIds", "is required; list the snapshots (one system-disk snapshot)");
    const snapshotIds = c.idList(fs.snapshotIds, "fromSnapshots.snapshotIds", "snapshot", { nonEmpty: true });
    out.fromSnapshots = { snapshotIds: snapshotIds ?? [] };
  }
  if (news.fromImport !== undefined && isUnknown(news.fromImport)) out.fromImport = UNKNOWN as never;
  const fm = c.object(news.fromImport, "fromImport");
  if (fm) {
    c.unknownKeys(fm, "fromImport", ["imageUrl", "architecture", "osType", "osVersion", "licenseType", "bootMode", "dataDiskImageUrls", "force"]);
    for (const req of ["imageUrl", "architecture", "osType", "osVersion"]) {
      if (fm[req] === undefined) c.fail(`fromImport.${req}`, "is required for an import");
    }
    const imp: Rec = {
      imageUrl: c.url(fm.imageUrl, "fromImport.imageUrl"),
      architecture: c.oneOf(fm.architecture, "fromImport.architecture", ARCHITECTURES),
      osType: c.string(fm.osType, "fromImport.osType"),
      osVersion: c.string(fm.osVersion, "fromImport.osVersion"),
      licenseType: c.oneOf(fm.licenseType, "fromImport.licenseType", LICENSE_TYPES),
      bootMode: c.oneOf(fm.bootMode, "fromImport.bootMode", BOOT_MODES),
      force: c.bool(fm.force, "fromImport.force"),
    };
    if (fm.dataDiskImageUrls !== undefined && !isUnknown(fm.dataDiskImageUrls)) {
      if (!Array.isArray(fm.dataDiskImageUrls)) c.fail("fromImport.dataDiskImageUrls", "must be a list of URLs");
      else imp.dataDiskImageUrls = fm.dataDiskImageUrls.map((u, i) => c.url(u, `fromImport.dataDiskImageUrls[${i}]`));
    } else if (fm.dataDiskImageUrls !== undefined) imp.dataDiskImageUrls = fm.dataDiskImageUrls;
    for (const k of Object.keys(imp)) if (imp[k] === undefined) delete imp[k];
    out.fromImport = imp as never;
  }
  const adopt = c.id(news.adoptImageId, "adoptImageId", "image");
  if (adopt !== undefined) out.adoptImageId = adopt;
  return out;
}

function checkPolicy(c: Checker, v: unknown): DeletionPolicy {
  // A wholly unknown policy stays unknown, so that diff reports a change instead of the defaults.
  if (isUnknown(v)) return UNKNOWN as never;
  const policy: DeletionPolicy = { ...DEFAULT_DELETION_POLICY };
  const o = c.object(v, "deletionPolicy");
  if (!o) return policy;
  c.unknownKeys(o, "deletionPolicy", ["unmanagedShares", "deleteSnapshots", "instancesInUse"]);
  const u = c.oneOf(o.unmanagedShares, "deletionPolicy.unmanagedShares", ["block", "unshare"]);
  if (u !== undefined) policy.unmanagedShares = u as DeletionPolicy["unmanagedShares"];
  const d = c.bool(o.deleteSnapshots, "deletionPolicy.deleteSnapshots");
  if (d !== undefined) policy.deleteSnapshots = d;
  const i = c.oneOf(o.instancesInUse, "deletionPolicy.instancesInUse", ["warn", "block"]);
  if (i !== undefined) policy.instancesInUse = i as DeletionPolicy["instancesInUse"];
  return policy;
}

function checkTimeouts(c: Checker, v: unknown): Timeouts {
  if (isUnknown(v)) return UNKNOWN as never;
  const t: Timeouts = { ...DEFAULT_TIMEOUTS };
  const o = c.object(v, "timeouts");
  if (!o) return t;
  c.unknownKeys(o, "timeouts", ["create", "update", "delete"]);
  for (const k of ["create", "update", "delete"] as const) {
    const s = c.string(o[k], `timeouts.${k}`);
    if (s === undefined) continue;
    if (s !== UNKNOWN && parseDuration(s) === undefined) {
      c.fail(`timeouts.${k}`, `${JSON.stringify(s)} is not a duration; write it like "90s", "10m" or "1h30m"`);
      continue;
    }
    t[k] = s;
  }
  return t;
}

function checkTags(c: Checker, v: unknown): Record<string, string> | undefined {
  if (v === undefined || v === null) return undefined;
  if (isUnknown(v)) return UNKNOWN as never;
  const o = c.object(v, "tags");
  if (!o) return undefined;
  const tags: Record<string, string> = {};
  for (const [k, val] of Object.entries(o)) {
    if (k.trim() === "" || [...k].length > MAX_TAG_KEY) {
      c.fail(`tags`, `tag key ${JSON.stringify(k)} must be 1 to ${MAX_TAG_KEY} characters`);
      continue;
    }
    if (isUnknown(val)) {
      tags[k] = UNKNOWN;
      continue;
    }
    if (typeof val !== "string") {
      c.fail(`tags.${k}`, `tag values must be strings, got ${typeof val}`);
      continue;
    }
    if ([...val].length > MAX_TAG_VALUE) {
      c.fail(`tags.${k}`, `tag value is longer than ${MAX_TAG_VALUE} characters; shorten it`);
      continue;
    }
    tags[k] = val;
  }
  return tags;
}

/**
 * Validates and defaults the inputs. `olds` are the previously checked inputs. They are empty on
 * create, and also for a replacement: once diff says replace, the engine checks again without olds
 * (`prov.Check(urn, nil, goal.Properties, ...)` in the step generator; a targeted `--replace` is
 * checked without olds from the start), so a replacement always draws a fresh auto-name.
 */
export function checkInputs(olds: Rec, news: Rec, ctx: CheckContext): { inputs: CheckedInputs & Rec; failures: CheckFailure[] } {
  const c = new Checker();
  c.unknownKeys(news, "", TOP_LEVEL_FIELDS);
  const source = checkSource(c, news);

  let region = c.string(news.region, "region");
  if (region !== undefined && region !== UNKNOWN && !ID_PATTERNS.region.test(region)) {
    c.fail("region", `${JSON.stringify(region)} is not a region name; expected something like ${ID_EXAMPLES.region}`);
  }
  if (region === undefined) region = typeof olds.region === "string" && olds.region ? olds.region : ctx.defaultRegion;
  if (region === undefined) {
    c.fail("region", "no region given; set `region` on the resource, the TENCENTCLOUD_REGION environment variable, or the stack config `tencentcloud:region`");
  }

  const resourceName = typeof news.resourceName === "string" ? news.resourceName : undefined;
  let imageName = c.string(news.imageName, "imageName", { max: MAX_IMAGE_NAME });
  let autoNamed = false;
  if (news.imageName === undefined || news.imageName === null) {
    if (source.adoptImageId === undefined) {
      // Kept across updates, including a rename of the resource with `aliases` (resourceName changes).
      const oldAuto = olds.autoNamed === true && typeof olds.imageName === "string" && olds.imageName !== UNKNOWN;
      imageName = oldAuto ? (olds.imageName as string) : autoName(resourceName ?? "image", ctx.randomHex());
      autoNamed = true;
    }
  }
  const imageDescription = c.string(news.imageDescription, "imageDescription", { max: MAX_IMAGE_DESCRIPTION, allowEmpty: true });
  const imageFamily = c.string(news.imageFamily, "imageFamily");
  const tags = checkTags(c, news.tags);

  let sharedWith: string[] = [];
  if (news.sharedWith !== undefined && news.sharedWith !== null) {
    sharedWith = c.idList(news.sharedWith, "sharedWith", "account") ?? [];
  }

  const disks = source.fromInstance?.dataDiskIds;
  if (Array.isArray(disks) && disks.length > 0 && Array.isArray(sharedWith) && sharedWith.length > 0) {
    c.fail("sharedWith", "a whole-machine image (fromInstance.dataDiskIds) cannot be shared (InvalidParameter.InstanceImageNotSupport); drop sharedWith or the data disks");
  }

  const inputs: CheckedInputs & Rec = {
    region: region ?? "",
    sharedWith,
    deletionPolicy: checkPolicy(c, news.deletionPolicy),
    timeouts: checkTimeouts(c, news.timeouts),
    ...source,
  };
  if (imageName !== undefined) inputs.imageName = imageName;
  if (autoNamed) inputs.autoNamed = true;
  if (resourceName !== undefined) inputs.resourceName = resourceName;
  if (imageDescription !== undefined) inputs.imageDescription = imageDescription;
  if (imageFamily !== undefined) inputs.imageFamily = imageFamily;
  if (tags !== undefined) inputs.tags = tags;
  return { inputs, failures: c.failures };
}
