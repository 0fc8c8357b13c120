/**
 * Image tags after creation, through the Tag API (tag.tencentcloudapi.com, 2018-08-13,
 * ModifyResourceTags), as the Terraform provider does. CreateImage/ImportImage set the initial
 * tags themselves (TagSpecification). TENCENTCLOUD_TAG_ENDPOINT points the Tag API elsewhere.
 */
import { callApi, CallOptions } from "./call";
import { parseEndpoint, Settings } from "./settings";

export const TAG_ENDPOINT_ENV = "TENCENTCLOUD_TAG_ENDPOINT";

/** The six-segment resource name of an image (uin left empty, as the Tag API accepts). */
export function imageResourceName(region: string, imageId: string): string {
  return `qcs::cvm:${region}:uin/:image/${imageId}`;
}

export async function applyTags(
  s: Settings,
  imageId: string,
  set: Record<string, string>,
  remove: string[],
  opts?: CallOptions,
  env: Record<string, string | undefined> = process.env,
): Promise<void> {
  const target = parseEndpoint(env[TAG_ENDPOINT_ENV] || "https://tag.tencentcloudapi.com");
  const req: Record<string, unknown> = { Resource: imageResourceName(s.region, imageId) };
  const replace = Object.entries(set).map(([TagKey, TagValue]) => ({ TagKey, TagValue }));
  if (replace.length) req.ReplaceTags = replace;
  if (remove.length) req.DeleteTags = remove.map((TagKey) => ({ TagKey }));
  await callApi(s, "ModifyResourceTags", req, { ...opts, service: { ...target, version: "2018-08-13" } });
}
