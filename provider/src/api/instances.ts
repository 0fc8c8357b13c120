/**
 * DescribeInstances, which has no image filter: the whole account's instances in a region are
 * paged through once and the result is shared by every delete of the operation (one scan per
 * account and region per `CVM_IMAGE_INSTANCE_SCAN_TTL_MS`, concurrent callers wait for the same scan).
 */
import type { InstanceUse } from "../logic/types";
import { callApi, CallOptions } from "./call";
import type { Settings } from "./settings";

export interface InstanceInfo extends InstanceUse {
  imageId: string;
}

/** Pages through every instance of the account in the settings' region. */
export async function listInstances(s: Settings, opts?: CallOptions): Promise<InstanceInfo[]> {
  const out: InstanceInfo[] = [];
  for (let offset = 0; ; offset += 100) {
    const r = await callApi<{ TotalCount?: number; InstanceSet?: Array<Record<string, unknown>> }>(s, "DescribeInstances", { Offset: offset, Limit: 100 }, opts);
    const set = r.InstanceSet ?? [];
    for (const i of set) {
      out.push({
        instanceId: String(i.InstanceId ?? ""),
        instanceName: String(i.InstanceName ?? ""),
        state: String(i.InstanceState ?? ""),
        imageId: String(i.ImageId ?? ""),
      });
    }
    if (set.length < 100 || offset + 100 >= (r.TotalCount ?? 0)) return out;
  }
}

const scans = new Map<string, { at: number; result: Promise<InstanceInfo[]> }>();

function scanKey(s: Settings): string {
  return `${s.protocol}${s.endpoint}|${s.secretId}|${s.region}`;
}

/** The shared scan for the settings' account and region. */
export function sharedInstanceScan(s: Settings, opts?: CallOptions): Promise<InstanceInfo[]> {
  const key = scanKey(s);
  const hit = scans.get(key);
  if (hit && Date.now() - hit.at <= s.tuning.scanTtlMs) return hit.result;
  const result = listInstances(s, opts);
  const entry = { at: Date.now(), result };
  scans.set(key, entry);
  result.catch(() => {
    if (scans.get(key) === entry) scans.delete(key);
  });
  return result;
}

/** Forgets the shared scans (a new operation starts). */
export function resetInstanceScans(): void {
  scans.clear();
}

/** The instances that run from `imageId`, from a list of scanned instances. */
export function instancesUsing(all: InstanceInfo[], imageId: string): InstanceUse[] {
  return all.filter((i) => i.imageId === imageId).map(({ instanceId, instanceName, state }) => ({ instanceId, instanceName, state }));
}

/** The OS name of one instance (DescribeInstances by id), or undefined when the instance is not found. */
export async function instanceOsName(s: Settings, instanceId: string, opts?: CallOptions): Promise<string | undefined> {
  const r = await callApi<{ InstanceSet?: Array<Record<string, unknown>> }>(s, "DescribeInstances", { InstanceIds: [instanceId] }, opts);
  const found = (r.InstanceSet ?? []).find((i) => i.InstanceId === instanceId);
  return found ? String(found.OsName ?? "") : undefined;
}
