/**
 * Instance reads: DescribeInstances, which has no image filter, paged through for the whole
 * account in a region (for the usage scan, `usage.ts`), and one instance's OS name.
 */
import type { ScannedInstance } from "./usage-rules";
import { callApi, CallOptions } from "./call";
import { pageThrough } from "./paging";
import type { Settings } from "./settings";

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
