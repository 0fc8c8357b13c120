/**
 * The Tag API (tag.tencentcloudapi.com, version 2018-08-13) for CVM images, served on the same
 * server as CVM: ModifyResourceTags (what the Terraform provider and ours use to change an existing
 * image's tags) and DescribeResourceTagsByResourceIds. Resources are named by the six-segment form
 * `qcs::cvm:<region>:uin/<uin or empty>:image/<imageId>`; only the caller's own live images can be
 * tagged. Tags live on the image record, so DescribeImages and its tag filters see every change.
 */
import {
  missingOneOf,
  offsetNotMultiple,
  resourceDescriptionInvalid,
  resourceIdsExceeded,
  resourceTagsExceeded,
  tagKeyDuplicate,
  tagKeyEmpty,
  tagKeyReplacedAndDeleted,
  tagKeyTooLong,
  tagListEmpty,
  tagRegionInvalid,
  tagResourceIdInvalid,
  tagResourceNotFound,
  tagResourcePrefixInvalid,
  tagServiceTypeInvalid,
  tagUinInvalid,
  tagValueTooLong,
  valueBelowMinimum,
  valueNotAllowed,
} from "../errors";
import { ID_PATTERNS } from "../models/fixtures";
import { ImageRecord, Tag } from "../models/types";
import { int, list, obj, str } from "../protocol/schema";
import { ActionContext, ActionDefinition, MAX_IMAGE_TAGS } from "./common";

/** The Tag API version the emulator serves, for the calls that tag images. */
export const TAG_API_VERSION = "2018-08-13";

export const MAX_TAG_KEY = 127;
export const MAX_TAG_VALUE = 255;
export const MAX_RESOURCE_IDS = 50;

const RESOURCE_FORM = "qcs::cvm:<region>:uin/<uin or empty>:image/<imageId>";

/** A parsed six-segment resource name of a CVM image. */
interface ImageResource {
  region: string;
  /** "" when the name leaves the account empty. */
  uin: string;
  imageId: string;
}

const describeError = (resource: string, why: string) => resourceDescriptionInvalid(resource, why, RESOURCE_FORM);

/** Parse `qcs::<service>:<region>:uin/<uin>:<prefix>/<id>`; only CVM images are served. */
function parseImageResource(resource: string): ImageResource {
  const parts = resource.split(":");
  if (parts.length !== 6) throw describeError(resource, `${parts.length} segments instead of 6`);
  const [scheme, project, service, region, account, last] = parts as [string, string, string, string, string, string];
  if (scheme !== "qcs" || project !== "") throw describeError(resource, "it must start with `qcs::`");
  const uin = /^uin\/(.*)$/.exec(account)?.[1];
  if (uin === undefined) throw describeError(resource, "the fifth segment must be `uin/<uin>`");
  const slash = last.indexOf("/");
  if (slash <= 0 || slash === last.length - 1)
    throw describeError(resource, "the last segment must be `<prefix>/<id>`");
  checkImageKind(service, last.slice(0, slash));
  return { region, uin, imageId: last.slice(slash + 1) };
}

/** The service (third segment) and resource prefix must be `cvm` and `image`. */
function checkImageKind(service: string, prefix: string): void {
  if (service !== "cvm") throw tagServiceTypeInvalid(service, RESOURCE_FORM);
  if (prefix !== "image") throw tagResourcePrefixInvalid(prefix, RESOURCE_FORM);
}

/** The image ids a Tag API call names (for fault rules with `imageId`). */
function resourceImageIds(params: Record<string, unknown>): string[] {
  if (typeof params.Resource === "string") return [params.Resource.slice(params.Resource.lastIndexOf("/") + 1)];
  return Array.isArray(params.ResourceIds) ? params.ResourceIds.filter((x): x is string => typeof x === "string") : [];
}

function checkRegion(ctx: ActionContext, region: string): void {
  if (!ctx.store.regions.includes(region)) throw tagRegionInvalid(region);
}

/** The caller's own live image named by a resource, or the Tag API's errors. */
function ownImageOf(ctx: ActionContext, resource: string): ImageRecord {
  const { region, uin, imageId } = parseImageResource(resource);
  checkRegion(ctx, region);
  if (uin !== "" && uin !== ctx.account.uin) throw tagUinInvalid(uin);
  if (!ID_PATTERNS.image.test(imageId)) throw tagResourceIdInvalid(imageId);
  const image = ctx.store.image(imageId);
  const own = image !== undefined && image.owner === ctx.account.uin && image.goneAt === undefined;
  if (!own || image.region !== region) throw tagResourceNotFound(imageId, region, own ? image.region : undefined);
  return image;
}

function checkTagKey(key: string): void {
  if (key.trim() === "") throw tagKeyEmpty();
  if ([...key].length > MAX_TAG_KEY) throw tagKeyTooLong(key, MAX_TAG_KEY);
}

/** ReplaceTags / DeleteTags may be omitted but not empty, and must not repeat a key. */
function checkKeyList(name: string, keys: string[] | undefined): void {
  if (keys === undefined) return;
  if (keys.length === 0) throw tagListEmpty(name);
  const seen = new Set<string>();
  for (const key of keys) {
    checkTagKey(key);
    if (seen.has(key)) throw tagKeyDuplicate(key, name);
    seen.add(key);
  }
}

interface ModifyResourceTagsParams {
  Resource: string;
  ReplaceTags?: { TagKey: string; TagValue: string }[];
  DeleteTags?: { TagKey: string }[];
}

function modifyResourceTags(ctx: ActionContext, p: ModifyResourceTagsParams): Record<string, unknown> {
  const image = ownImageOf(ctx, p.Resource);
  if (p.ReplaceTags === undefined && p.DeleteTags === undefined) throw missingOneOf("ReplaceTags", "DeleteTags");
  const replaceKeys = p.ReplaceTags?.map((t) => t.TagKey);
  const deleteKeys = p.DeleteTags?.map((t) => t.TagKey);
  checkKeyList("ReplaceTags", replaceKeys);
  checkKeyList("DeleteTags", deleteKeys);
  for (const t of p.ReplaceTags ?? []) {
    if ([...t.TagValue].length > MAX_TAG_VALUE) throw tagValueTooLong(t.TagKey, MAX_TAG_VALUE);
  }
  const both = deleteKeys?.find((k) => replaceKeys?.includes(k));
  if (both !== undefined) throw tagKeyReplacedAndDeleted(both);

  const removed = new Set(deleteKeys);
  const tags: Tag[] = image.tags.filter((t) => !removed.has(t.Key)).map((t) => ({ ...t }));
  for (const { TagKey, TagValue } of p.ReplaceTags ?? []) {
    const existing = tags.find((t) => t.Key === TagKey);
    if (existing) existing.Value = TagValue;
    else tags.push({ Key: TagKey, Value: TagValue });
  }
  if (tags.length > MAX_IMAGE_TAGS) throw resourceTagsExceeded(MAX_IMAGE_TAGS, tags.length);
  image.tags = tags;
  return {};
}

const TAG_CATEGORIES = ["Custom", "System", "All"];

interface DescribeByIdsParams {
  ServiceType: string;
  ResourcePrefix: string;
  ResourceIds: string[];
  ResourceRegion: string;
  Offset?: number;
  Limit?: number;
  Category?: string;
}

/** Tags of the caller's own images among the ids, in the order given; other ids have none. */
function describeResourceTagsByResourceIds(ctx: ActionContext, p: DescribeByIdsParams): Record<string, unknown> {
  checkImageKind(p.ServiceType, p.ResourcePrefix);
  checkRegion(ctx, p.ResourceRegion);
  if (p.ResourceIds.length > MAX_RESOURCE_IDS) throw resourceIdsExceeded(MAX_RESOURCE_IDS);
  if (p.Category !== undefined && !TAG_CATEGORIES.includes(p.Category))
    throw valueNotAllowed("Category", p.Category, TAG_CATEGORIES.join(", "));
  const offset = p.Offset ?? 0;
  const limit = p.Limit ?? 15;
  if (limit < 1) throw valueBelowMinimum("Limit", 1);
  if (offset < 0 || offset % limit !== 0) throw offsetNotMultiple();
  const rows: Record<string, string>[] = [];
  if (p.Category !== "System") {
    for (const id of new Set(p.ResourceIds)) {
      const image = ctx.store.image(id);
      if (!image || image.owner !== ctx.account.uin || image.region !== p.ResourceRegion || image.goneAt !== undefined)
        continue;
      for (const t of image.tags) rows.push({ TagKey: t.Key, TagValue: t.Value, ResourceId: id, Category: "Custom" });
    }
  }
  return { TotalCount: rows.length, Offset: offset, Limit: limit, Tags: rows.slice(offset, offset + limit) };
}

export const tagActions: Record<string, ActionDefinition> = {
  ModifyResourceTags: {
    schema: {
      Resource: str(true),
      ReplaceTags: list(obj({ TagKey: str(true), TagValue: str(true) })),
      DeleteTags: list(obj({ TagKey: str(true) })),
    },
    mutating: true,
    imageIds: resourceImageIds,
    handler: (ctx, p) => modifyResourceTags(ctx, p as unknown as ModifyResourceTagsParams),
  },
  DescribeResourceTagsByResourceIds: {
    schema: {
      ServiceType: str(true),
      ResourcePrefix: str(true),
      ResourceIds: list(str(), true),
      ResourceRegion: str(true),
      Offset: int(),
      Limit: int(),
      Category: str(),
    },
    mutating: false,
    imageIds: resourceImageIds,
    handler: (ctx, p) => describeResourceTagsByResourceIds(ctx, p as unknown as DescribeByIdsParams),
  },
};
