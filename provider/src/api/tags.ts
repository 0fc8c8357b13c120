/**
 * Image tags after creation, through the Tag API (tag.tencentcloudapi.com, 2018-08-13,
 * ModifyResourceTags), as the Terraform provider does. CreateImage/ImportImage set the initial
 * tags themselves (TagSpecification). See `tagEndpoint` for where the calls go.
 */
import { callApi, CallOptions } from "./call";
import { Env, ENV_KEYS, parseEndpoint, Settings } from "./settings";

export const TAG_API_VERSION = "2018-08-13";
const DEFAULT_TAG_ENDPOINT = "https://tag.tencentcloudapi.com";

/** The six-segment resource name of an image: `qcs::cvm:<region>:uin/:image/<imageId>` (uin left empty, as the Tag API accepts). */
export function imageResourceName(region: string, imageId: string): string {
  return `qcs::cvm:${region}:uin/:image/${imageId}`;
}

/**
 * Where Tag API calls go: TENCENTCLOUD_TAG_ENDPOINT when set. Otherwise, when TENCENTCLOUD_CVM_ENDPOINT
 * is set, that endpoint: as it is (the local emulator serves both APIs on one port), except that a
 * Tencent Cloud domain's leading `cvm.` becomes `tag.` (cvm.intl.tencentcloudapi.com →
 * tag.intl.tencentcloudapi.com). Otherwise tag.tencentcloudapi.com.
 */
export function tagEndpoint(env: Env = process.env): { endpoint: string; protocol: "https://" | "http://" } {
  if (env[ENV_KEYS.tagEndpoint]) return parseEndpoint(env[ENV_KEYS.tagEndpoint]);
  if (!env[ENV_KEYS.endpoint]) return parseEndpoint(DEFAULT_TAG_ENDPOINT);
  const cvm = parseEndpoint(env[ENV_KEYS.endpoint]);
  return { ...cvm, endpoint: cvm.endpoint.replace(/^cvm\.(?=.*tencentcloudapi\.com(:\d+)?$)/i, "tag.") };
}

export async function applyTags(
  s: Settings,
  imageId: string,
  set: Record<string, string>,
  remove: string[],
  opts?: CallOptions,
  env: Env = process.env,
): Promise<void> {
  const req: Record<string, unknown> = { Resource: imageResourceName(s.region, imageId) };
  const replace = Object.entries(set).map(([TagKey, TagValue]) => ({ TagKey, TagValue }));
  if (replace.length) req.ReplaceTags = replace;
  if (remove.length) req.DeleteTags = remove.map((TagKey) => ({ TagKey }));
  await callApi(s, "ModifyResourceTags", req, { ...opts, service: { ...tagEndpoint(env), version: TAG_API_VERSION } });
}
