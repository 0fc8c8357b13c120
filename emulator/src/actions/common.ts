/**
 * What every action handler gets, and the helpers several image actions share:
 * image lookup with visibility rules, the API view of an image, name/description checks,
 * tags and DryRun. Filters and paging are in listing.ts.
 */
import {
  dryRunOperation,
  imageFamilyInvalid,
  imageMalformed,
  imageNameDuplicate,
  imageNotFound,
  imageQuotaExceeded,
  imageTagQuotaExceeded,
  tagSpecificationKeyEmpty,
  tooLarge,
  valueEmpty,
  valueNotAllowed,
} from "../errors";
import { ID_PATTERNS, IMAGE_FAMILY_PATTERN } from "../models/fixtures";
import { Store } from "../models/store";
import { Account, ImageRecord, ImageState, Tag, TRANSITIONAL_STATES } from "../models/types";
import { Schema } from "../protocol/schema";
import { EmulatorSettings } from "../settings";

/** The context of one API call. */
export interface ActionContext {
  store: Store;
  settings: EmulatorSettings;
  account: Account;
  /** The call's `X-TC-Region`; "" for the Tag API, whose resources name their region. */
  region: string;
  now: number;
}

/** An action: its parameter schema, whether it changes state, and its handler. */
export interface ActionDefinition {
  schema: Schema;
  mutating: boolean;
  /** The image ids a call names, for fault rules with `imageId` (default: `ImageId` and `ImageIds`). */
  imageIds?: (params: Record<string, unknown>) => string[];
  handler: (ctx: ActionContext, params: Record<string, unknown>) => Record<string, unknown>;
}

/** How the calling account relates to an image. */
export type Relation = "own" | "shared" | "public";

export function relationOf(image: ImageRecord, uin: string): Relation | undefined {
  if (image.owner === null) return "public";
  if (image.owner === uin) return "own";
  if (image.sharedWith.some((s) => s.accountId === uin)) return "shared";
  return undefined;
}

export function checkImageId(id: string): void {
  if (!ID_PATTERNS.image.test(id)) throw imageMalformed(id);
}

/** A live image visible to the caller in the call's region, or `InvalidImageId.NotFound`. */
export function findImage(ctx: ActionContext, id: string): { image: ImageRecord; relation: Relation } {
  checkImageId(id);
  const image = ctx.store.image(id);
  const relation =
    image && image.region === ctx.region && image.goneAt === undefined ? relationOf(image, ctx.account.uin) : undefined;
  if (!image || !relation) throw imageNotFound(id);
  return { image, relation };
}

export const isTransitional = (state: ImageState) => TRANSITIONAL_STATES.includes(state);

/** Whole-instance images carry data-disk snapshots. */
export function isWholeInstanceImage(ctx: ActionContext, image: ImageRecord): boolean {
  return image.snapshotIds.some((id) => ctx.store.snapshots.get(id)?.diskUsage === "DATA_DISK");
}

const IMAGE_TYPE: Record<Relation, string> = { own: "PRIVATE_IMAGE", shared: "SHARED_IMAGE", public: "PUBLIC_IMAGE" };

/** The API's Image structure, as the caller sees it. */
export function imageView(ctx: ActionContext, image: ImageRecord, relation: Relation): Record<string, unknown> {
  return {
    ImageId: image.imageId,
    OsName: image.osName,
    ImageType: IMAGE_TYPE[relation],
    CreatedTime: image.createdTime,
    ImageName: image.name,
    ImageDescription: image.description,
    ImageSize: image.imageSize,
    Architecture: image.architecture,
    ImageState: image.state,
    Platform: image.platform,
    ImageCreator: image.owner ?? "tencent",
    ImageSource: image.source,
    SyncPercent: image.state === "SYNCING" ? 50 : image.owner === null ? null : 100,
    IsSupportCloudinit: image.isSupportCloudinit,
    SnapshotSet:
      relation === "public"
        ? []
        : image.snapshotIds.flatMap((id) => {
            const s = ctx.store.snapshots.get(id);
            return s ? [{ SnapshotId: s.snapshotId, DiskUsage: s.diskUsage, DiskSize: s.diskSize }] : [];
          }),
    Tags: image.tags.map((t) => ({ ...t })),
    LicenseType: image.licenseType,
    ImageFamily: image.family,
    ImageDeprecated: image.deprecated,
  };
}

export const MAX_NAME = 60;
export const MAX_DESCRIPTION = 256;

export function checkImageName(name: string, field = "ImageName"): void {
  if (name.trim() === "") throw valueEmpty(field);
  if ([...name].length > MAX_NAME) throw tooLarge(field, MAX_NAME);
}

export function checkDescription(description: string | undefined): void {
  if (description !== undefined && [...description].length > MAX_DESCRIPTION)
    throw tooLarge("ImageDescription", MAX_DESCRIPTION);
}

/** Image families: letters, digits and hyphens, starting with a letter, at most 60 characters (an emulator choice). */
export function checkImageFamily(family: string | undefined): void {
  if (family !== undefined && family !== "" && !IMAGE_FAMILY_PATTERN.test(family)) {
    throw imageFamilyInvalid(family);
  }
}

/** A live custom image of the caller's with this name in the region, other than `except`. */
export function checkNameUnique(ctx: ActionContext, name: string, region = ctx.region, except?: string): void {
  if (ctx.store.ownedImages(ctx.account.uin, region).some((i) => i.name === name && i.imageId !== except)) {
    throw imageNameDuplicate(name, region);
  }
}

export function checkQuota(ctx: ActionContext, region = ctx.region, adding = 1): void {
  const quota = ctx.settings.limits.imageQuota;
  if (ctx.store.ownedImages(ctx.account.uin, region).length + adding > quota) {
    throw imageQuotaExceeded(quota, region);
  }
}

const TAG_RESOURCE_TYPES = ["image", "instance", "host", "keypair", "ps", "hpc"];
export const MAX_IMAGE_TAGS = 50;

/** Tags for ResourceType `image` from a TagSpecification list. */
export function imageTags(spec: { ResourceType: string; Tags: Tag[] }[] | undefined): Tag[] {
  const tags: Tag[] = [];
  for (const s of spec ?? []) {
    if (!TAG_RESOURCE_TYPES.includes(s.ResourceType))
      throw valueNotAllowed("TagSpecification.ResourceType", s.ResourceType, TAG_RESOURCE_TYPES.join(", "));
    if (s.ResourceType !== "image") continue;
    for (const t of s.Tags) {
      if (t.Key.trim() === "") throw tagSpecificationKeyEmpty();
      tags.push({ Key: t.Key, Value: t.Value });
    }
  }
  if (tags.length > MAX_IMAGE_TAGS) throw imageTagQuotaExceeded(MAX_IMAGE_TAGS);
  return tags;
}

/** The answer to a DryRun that would pass. */
export function dryRunAnswer(ctx: ActionContext): Record<string, unknown> {
  if (ctx.settings.behaviour.dryRunResult !== "success") throw dryRunOperation();
  return {};
}

/** Move an image into a transitional state that ends in `to` after `ms`. */
export function startTransition(
  ctx: ActionContext,
  image: ImageRecord,
  state: ImageState,
  to: ImageState,
  ms: number,
): void {
  image.state = state;
  image.pending = { until: ctx.now + ms, to };
  ctx.store.track(image);
}

/** Whether an image of this name is set to fail (setting `failImageNamesContaining`). */
export function nameFails(ctx: ActionContext, name: string): boolean {
  return ctx.settings.failImageNamesContaining.some((s) => s !== "" && name.includes(s));
}

/** Remove duplicates, keeping the first occurrence. */
export const unique = <T>(xs: T[]): T[] => [...new Set(xs)];
