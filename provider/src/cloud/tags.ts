/**
 * Image tags after creation, through the Tag API (tag.tencentcloudapi.com, 2018-08-13,
 * ModifyResourceTags), as the Terraform provider does. CreateImage/ImportImage set the initial
 * tags themselves (TagSpecification). See `serviceEndpoint` for where the calls go.
 */
import { callApi, CallOptions } from "./call";
import { Env, processEnv, serviceEndpoint, Settings } from "./settings";

export const TAG_API_VERSION = "2018-08-13";

/**
 * The six-segment resource name of an image:
 * `qcs::cvm:<region>:uin/:image/<imageId>` (uin left empty, as the Tag API accepts).
 */
export function imageResourceName(region: string, imageId: string): string {
  return `qcs::cvm:${region}:uin/:image/${imageId}`;
}

export async function applyTags(
  s: Settings,
  imageId: string,
  set: Record<string, string>,
  remove: string[],
  opts?: CallOptions,
  env: Env = processEnv(),
): Promise<void> {
  const req: Record<string, unknown> = { Resource: imageResourceName(s.region, imageId) };
  const replace = Object.entries(set).map(([TagKey, TagValue]) => ({ TagKey, TagValue }));
  if (replace.length) req.ReplaceTags = replace;
  if (remove.length) req.DeleteTags = remove.map((TagKey) => ({ TagKey }));
  await callApi(s, "ModifyResourceTags", req, {
    ...opts,
    service: { ...serviceEndpoint("tag", env), version: TAG_API_VERSION },
  });
}
