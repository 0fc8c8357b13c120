/**
 * The usage scan: what in an account and region can still use an image. Instances
 * (DescribeInstances), CVM launch templates (every version's image) and Auto Scaling launch
 * configurations are listed once and the result is shared by every delete of the operation (one
 * scan per account and region per `CVM_IMAGE_INSTANCE_SCAN_TTL_MS`; concurrent callers wait for
 * the same scan). A kind whose listing is refused (no permission, the service unavailable) is
 * recorded as refused, with why, so the policy can decide; other failures fail the scan.
 *
 * The listings, each paged through by `Offset` and `Limit` until `TotalCount` is reached
 * ({@link pageThrough}):
 * - instances: DescribeInstances, which has no image filter, for the whole account in a region
 *   (and one instance's OS name, {@link instanceOsName});
 * - CVM launch templates (2017-03-12): DescribeLaunchTemplates for the whole account in a region,
 *   then DescribeLaunchTemplateVersions for every version of each template. The versions are asked
 *   for by range up to the template's latest version number: without a range the API answers
 *   versions 0 to 30 only, and numbers keep growing as versions are deleted and made;
 * - Auto Scaling launch configurations (`as`, 2018-04-19): DescribeLaunchConfigurations for the
 *   whole account in a region, each configuration with the image it launches. The calls go through
 *   the same call layer to the Auto Scaling endpoint (see `serviceEndpoint`);
 * - the families those configurations name (a configuration by `ImageFamily` launches the family's
 *   current image): DescribeImageFromFamily once per family, and the account's private images
 *   (DescribeImages, listed once, grouped by family on the client: the API has no family filter),
 *   from which the image a family falls back to after a delete is known. A failed resolution is
 *   recorded with why, as a refused kind is (see `imageUsage`).
 */
import type {
  FamilyMember,
  FamilyResolution,
  KindScan,
  ScannedInstance,
  ScannedLaunchConfiguration,
  ScannedFamilies,
  ScannedLaunchTemplate,
  UsageScan,
} from "./usage-rules";
import { describeImageFromFamily, toFacts } from "./images";
import type { ImageFacts } from "../schema/types";
import { ApiError, callApi, CallOptions } from "./call";
import { processEnv, serviceEndpoint, type Env, type Settings } from "./settings";
import { processState } from "./process";

// Paging.

/** The page size the listing actions the provider pages through allow at most. */
export const PAGE_LIMIT = 100;

/** One page of a listing: the total and the items under the action's set key. */
export type ListingPage<K extends string> = { TotalCount?: number } & Partial<
  Record<K, Array<Record<string, unknown>>>
>;

/** Every item of a listing: `call(offset, limit)` answers one page, whose items are under `set`. */
export async function pageThrough<K extends string>(
  set: K,
  call: (offset: number, limit: number) => Promise<ListingPage<K>>,
): Promise<Array<Record<string, unknown>>> {
  return pageThroughAs(set, call, (item) => item);
}

/**
 * Every item of a listing as `keep` makes it (undefined: left out), page by page: a long listing
 * holds only what is kept, never all its raw pages at once.
 */
export async function pageThroughAs<K extends string, T>(
  set: K,
  call: (offset: number, limit: number) => Promise<ListingPage<K>>,
  keep: (item: Record<string, unknown>) => T | undefined,
): Promise<T[]> {
  const out: T[] = [];
  for (let offset = 0; ; offset += PAGE_LIMIT) {
    const r = await call(offset, PAGE_LIMIT);
    const items = r[set] ?? [];
    for (const item of items) {
      const kept = keep(item);
      if (kept !== undefined) out.push(kept);
    }
    if (items.length < PAGE_LIMIT || offset + PAGE_LIMIT >= (r.TotalCount ?? 0)) return out;
  }
}

// Instances.

/** Pages through every instance of the account in the settings' region. */
export async function listInstances(s: Settings, opts?: CallOptions): Promise<ScannedInstance[]> {
  const set = await pageThrough("InstanceSet", (Offset, Limit) =>
    callApi(s, "DescribeInstances", { Offset, Limit }, opts),
  );
  return set.map((i) => ({
    instanceId: String(i.InstanceId ?? ""),
    instanceName: String(i.InstanceName ?? ""),
    state: String(i.InstanceState ?? ""),
    imageId: String(i.ImageId ?? ""),
  }));
}

/** The OS name of one instance (DescribeInstances by id), or undefined when the instance is not found. */
export async function instanceOsName(s: Settings, instanceId: string, opts?: CallOptions): Promise<string | undefined> {
  const r = await callApi<{ InstanceSet?: Array<Record<string, unknown>> }>(
    s,
    "DescribeInstances",
    { InstanceIds: [instanceId] },
    opts,
  );
  const found = (r.InstanceSet ?? []).find((i) => i.InstanceId === instanceId);
  return found ? String(found.OsName ?? "") : undefined;
}

// CVM launch templates.

/** DescribeLaunchTemplateVersions' answer for a template that no longer exists. */
const TEMPLATE_GONE = "InvalidParameterValue.LaunchTemplateNotFound";

/** Every version of one template, with the image it names. */
async function templateVersions(
  s: Settings,
  launchTemplateId: string,
  latest: number,
  opts?: CallOptions,
): Promise<ScannedLaunchTemplate["versions"]> {
  const set = await pageThrough("LaunchTemplateVersionSet", (Offset, Limit) =>
    callApi(
      s,
      "DescribeLaunchTemplateVersions",
      { LaunchTemplateId: launchTemplateId, MinVersion: 0, MaxVersion: Math.max(latest, 0), Offset, Limit },
      opts,
    ),
  );
  return set.map((v) => ({
    version: Number(v.LaunchTemplateVersion ?? 0),
    imageId: String((v.LaunchTemplateVersionData as Record<string, unknown> | undefined)?.ImageId ?? ""),
  }));
}

/** Every launch template of the account in the settings' region, with every version's image. */
export async function listLaunchTemplates(s: Settings, opts?: CallOptions): Promise<ScannedLaunchTemplate[]> {
  const templates = await pageThrough("LaunchTemplateSet", (Offset, Limit) =>
    callApi(s, "DescribeLaunchTemplates", { Offset, Limit }, opts),
  );
  const out: ScannedLaunchTemplate[] = [];
  // One template after another: the scan runs once per operation, and its calls stay in one order.
  for (const t of templates) {
    const launchTemplateId = String(t.LaunchTemplateId ?? "");
    let versions: ScannedLaunchTemplate["versions"];
    try {
      versions = await templateVersions(s, launchTemplateId, Number(t.LatestVersionNumber ?? 0), opts);
    } catch (e) {
      if (e instanceof ApiError && e.code === TEMPLATE_GONE) continue; // deleted since it was listed
      throw e;
    }
    out.push({
      launchTemplateId,
      launchTemplateName: String(t.LaunchTemplateName ?? ""),
      defaultVersion: Number(t.DefaultVersionNumber ?? 0),
      versions,
    });
  }
  return out;
}

// Auto Scaling launch configurations.

/** The Auto Scaling API version. */
export const AS_API_VERSION = "2018-04-19";

/** Every launch configuration of the account in the settings' region. */
export async function listLaunchConfigurations(
  s: Settings,
  opts: CallOptions = {},
  env: Env = processEnv(),
): Promise<ScannedLaunchConfiguration[]> {
  const service = { ...serviceEndpoint("as", env), version: AS_API_VERSION };
  const set = await pageThrough("LaunchConfigurationSet", (Offset, Limit) =>
    callApi(s, "DescribeLaunchConfigurations", { Offset, Limit }, { ...opts, service }),
  );
  return set.map((c) => ({
    launchConfigurationId: String(c.LaunchConfigurationId ?? ""),
    launchConfigurationName: String(c.LaunchConfigurationName ?? ""),
    status: String(c.LaunchConfigurationStatus ?? ""),
    imageId: String(c.ImageId ?? ""),
    imageFamily: String(c.ImageFamily ?? ""),
  }));
}

// Families.

const asMember = (i: ImageFacts): FamilyMember => ({
  imageId: i.imageId,
  imageName: i.imageName,
  createdTime: i.createdTime,
  deprecated: i.imageDeprecated,
});

/** The account's NORMAL private images with a family in the settings' region, by family. */
export async function listFamilyMembers(s: Settings, opts?: CallOptions): Promise<Map<string, FamilyMember[]>> {
  const set = await pageThrough("ImageSet", (Offset, Limit) =>
    callApi(s, "DescribeImages", { Filters: [{ Name: "image-type", Values: ["PRIVATE_IMAGE"] }], Offset, Limit }, opts),
  );
  const byFamily = new Map<string, FamilyMember[]>();
  for (const image of set.map((raw) => toFacts(raw))) {
    if (!image.imageFamily || image.imageState !== "NORMAL" || image.imageType !== "PRIVATE_IMAGE") continue;
    byFamily.set(image.imageFamily, [...(byFamily.get(image.imageFamily) ?? []), asMember(image)]);
  }
  return byFamily;
}

/** Any failed call of a family's resolution is recorded with why (it warns or blocks by policy); other errors throw. */
async function recorded<T>(run: () => Promise<T>): Promise<T | { refused: string }> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof ApiError) return { refused: e.message };
    throw e;
  }
}

/** Resolves every family the configurations name, once each, and lists the families' images once. */
export async function scanFamilies(
  s: Settings,
  configurations: readonly ScannedLaunchConfiguration[],
  opts?: CallOptions,
): Promise<ScannedFamilies | undefined> {
  const families = [...new Set(configurations.map((c) => c.imageFamily ?? "").filter(Boolean))];
  if (!families.length) return undefined;
  const resolved = new Map<string, FamilyResolution>();
  for (const family of families) {
    const current = await recorded(() => describeImageFromFamily(s, family, opts));
    resolved.set(family, current && "refused" in current ? current : { current: current && asMember(current) });
  }
  const members = await recorded(() => listFamilyMembers(s, opts));
  return { resolved, members: members instanceof Map ? { byFamily: members } : members };
}

// The scan.

/** Permission refusals: the credentials are valid, but may not call the action. */
const PERMISSION_REFUSAL = /^(UnauthorizedOperation|AuthFailure\.UnauthorizedOperation)(\.|$)/;

/**
 * Whether a failed listing is a refusal the policy decides about: a permission refusal, or the
 * service unavailable (its endpoint unreachable, network or server errors after the call layer's
 * retries, or not activated).
 */
export function isRefusedScan(e: unknown): e is ApiError {
  if (!(e instanceof ApiError)) return false;
  return (
    (e.code !== undefined && PERMISSION_REFUSAL.test(e.code)) ||
    e.kind === "network" ||
    e.kind === "unreachable" ||
    e.kind === "server" ||
    e.code === "ResourceUnavailable.ServiceNotActivated"
  );
}

async function scanKind<T>(list: () => Promise<T[]>): Promise<KindScan<T>> {
  try {
    return { items: await list() };
  } catch (e) {
    if (isRefusedScan(e)) return { refused: e.message };
    throw e;
  }
}

/** Lists every kind, one after another (so the calls of a scan keep one order). */
export async function scanUsage(s: Settings, opts: CallOptions = {}, env: Env = processEnv()): Promise<UsageScan> {
  const instances = await scanKind(() => listInstances(s, opts));
  const launchTemplates = await scanKind(() => listLaunchTemplates(s, opts));
  const launchConfigurations = await scanKind(() => listLaunchConfigurations(s, opts, env));
  const families =
    "items" in launchConfigurations ? await scanFamilies(s, launchConfigurations.items, opts) : undefined;
  return { instances, launchTemplates, launchConfigurations, ...(families ? { families } : {}) };
}

function scanKey(s: Settings): string {
  return `${s.protocol}${s.endpoint}|${s.secretId}|${s.region}`;
}

/** The shared scan for the settings' account and region (kept in `processState.usageScans`). */
export function sharedUsageScan(s: Settings, opts?: CallOptions): Promise<UsageScan> {
  const scans = processState.usageScans;
  const key = scanKey(s);
  const hit = scans.get(key);
  if (hit && Date.now() - hit.at <= s.tuning.scanTtlMs) return hit.result;
  const result = scanUsage(s, opts);
  const entry = { at: Date.now(), result };
  scans.set(key, entry);
  result.catch(() => {
    if (scans.get(key) === entry) scans.delete(key);
  });
  return result;
}
