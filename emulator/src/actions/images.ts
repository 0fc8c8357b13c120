/** DescribeImages, ModifyImageAttribute and DeleteImages. */
import {
  ApiError,
  imageIdsWithFilters,
  imageInShared,
  imageIncorrectState,
  imageInUseByInstances,
  imageNotFound,
  instanceTypeMalformed,
  limitExceeded,
  missingParameter,
  publicImageRefused,
  sharedImageDeleteRefused,
  sharedImageModifyRefused,
} from "../errors";
import { ImageRecord } from "../models/types";
import { bool, FILTERS, int, list, str } from "../protocol/schema";
import {
  ActionContext,
  ActionDefinition,
  checkDescription,
  checkImageFamily,
  checkImageId,
  checkImageName,
  checkNameUnique,
  dryRunAnswer,
  findImage,
  imageView,
  isTransitional,
  Relation,
  relationOf,
  unique,
} from "./common";
import { checkFilters, CVM_FILTER_ERRORS, Filter, matchTagFilter, page } from "./listing";

const IMAGE_FILTERS = [
  "image-id",
  "image-type",
  "image-name",
  "platform",
  "tag-key",
  "tag-value",
  "dedicated-cluster-id",
  "cdc-cache-status",
] as const;
const TYPE_OF: Record<Relation, string> = { own: "PRIVATE_IMAGE", shared: "SHARED_IMAGE", public: "PUBLIC_IMAGE" };

function matchImage(filter: Filter, image: ImageRecord, relation: Relation): boolean {
  const fuzzy = (field: string) => filter.Values.some((v) => field.toLowerCase().includes(v.toLowerCase()));
  switch (filter.Name) {
    case "image-id":
      return filter.Values.includes(image.imageId);
    case "image-type":
      return filter.Values.includes(TYPE_OF[relation]);
    case "image-name":
      return fuzzy(image.name);
    case "platform":
      return fuzzy(image.platform);
    case "dedicated-cluster-id":
    case "cdc-cache-status":
      return false; // no image is in a CDC here
    default:
      return matchTagFilter(filter, image.tags) ?? false;
  }
}

interface DescribeImagesParams {
  ImageIds?: string[];
  Filters?: Filter[];
  Offset?: number;
  Limit?: number;
  InstanceType?: string;
}

function describeImages(ctx: ActionContext, p: DescribeImagesParams): Record<string, unknown> {
  const ids = p.ImageIds ?? [];
  const filters = p.Filters ?? [];
  if (ids.length > 0 && filters.length > 0) {
    throw imageIdsWithFilters();
  }
  if (p.InstanceType !== undefined && !/^[A-Za-z0-9]+\.[A-Za-z0-9]+$/.test(p.InstanceType)) {
    throw instanceTypeMalformed(p.InstanceType);
  }
  const uin = ctx.account.uin;
  const visible = (image: ImageRecord): Relation | undefined => {
    const relation = relationOf(image, uin);
    if (image.goneAt !== undefined && relation !== "own") return undefined;
    return relation;
  };
  let found: Record<string, unknown>[];
  if (ids.length > 0) {
    if (ids.length > ctx.settings.limits.maxDescribeImageIds)
      throw limitExceeded("ImageIds", ctx.settings.limits.maxDescribeImageIds);
    ids.forEach(checkImageId);
    found = unique(ids).flatMap((id) => {
      const image = ctx.store.image(id);
      const relation = image && image.region === ctx.region ? visible(image) : undefined;
      return image && relation ? [imageView(ctx, image, relation)] : [];
    });
  } else {
    checkFilters(filters, IMAGE_FILTERS, CVM_FILTER_ERRORS);
    for (const f of filters) if (f.Name === "image-id") f.Values.forEach(checkImageId);
    const matches: [ImageRecord, Relation][] = [];
    for (const image of ctx.store.imagesIn(ctx.region)) {
      const relation = visible(image);
      if (relation && filters.every((f) => matchImage(f, image, relation))) matches.push([image, relation]);
    }
    matches.reverse(); // newest first
    found = page(matches, p.Offset, p.Limit).map(([image, relation]) => imageView(ctx, image, relation));
    return { ImageSet: found, TotalCount: matches.length };
  }
  return { ImageSet: page(found, p.Offset, p.Limit), TotalCount: found.length };
}

interface ModifyImageAttributeParams {
  ImageId: string;
  ImageName?: string;
  ImageDescription?: string;
  ImageFamily?: string;
  ImageDeprecated?: boolean;
}

function modifyImageAttribute(ctx: ActionContext, p: ModifyImageAttributeParams): Record<string, unknown> {
  const { image, relation } = findImage(ctx, p.ImageId);
  if (relation === "shared") throw sharedImageModifyRefused(p.ImageId);
  if (relation === "public") throw imageNotFound(p.ImageId);
  if (isTransitional(image.state)) throw imageIncorrectState(image.imageId, image.state);
  if (p.ImageName !== undefined) {
    checkImageName(p.ImageName);
    checkNameUnique(ctx, p.ImageName, ctx.region, image.imageId);
  }
  checkDescription(p.ImageDescription);
  checkImageFamily(p.ImageFamily);
  if (p.ImageName !== undefined) image.name = p.ImageName;
  if (p.ImageDescription !== undefined) image.description = p.ImageDescription;
  if (p.ImageFamily !== undefined) image.family = p.ImageFamily;
  if (p.ImageDeprecated !== undefined) image.deprecated = p.ImageDeprecated;
  return {};
}

interface DeleteImagesParams {
  ImageIds: string[];
  DeleteBindedSnap?: boolean;
  DryRun?: boolean;
}

/** Why an image cannot be deleted by the caller, or undefined when it can. */
function deleteRefusal(ctx: ActionContext, id: string): ApiError | undefined {
  let found;
  try {
    found = findImage(ctx, id);
  } catch (e) {
    return e as ApiError;
  }
  const { image, relation } = found;
  if (relation === "public") return publicImageRefused(id, "deleted");
  if (relation === "shared") return sharedImageDeleteRefused(id);
  const b = ctx.settings.behaviour;
  if (isTransitional(image.state)) return imageIncorrectState(id, image.state);
  if (!b.deleteFailedImages && (image.state === "CREATEFAILED" || image.state === "IMPORTFAILED"))
    return imageIncorrectState(id, image.state);
  if (image.sharedWith.length > 0) return imageInShared(id, image.sharedWith.length);
  if (b.instancesBlockDelete && [...ctx.store.instances.values()].some((i) => i.imageId === id))
    return imageInUseByInstances(id);
  return undefined;
}

function deleteImage(ctx: ActionContext, image: ImageRecord, withSnapshots: boolean): void {
  if (withSnapshots) {
    for (const snapId of image.snapshotIds) {
      const usedElsewhere = [...ctx.store.imagesIn(image.region)].some(
        (other) => other !== image && other.goneAt === undefined && other.snapshotIds.includes(snapId),
      );
      if (!usedElsewhere) ctx.store.snapshots.delete(snapId);
    }
  }
  const lag = ctx.settings.timing.deleteLagMs;
  if (lag <= 0) {
    ctx.store.dropImage(image.imageId);
  } else {
    image.goneAt = ctx.now + lag;
    ctx.store.track(image);
  }
}

function deleteImages(ctx: ActionContext, p: DeleteImagesParams): Record<string, unknown> {
  const ids = unique(p.ImageIds);
  if (ids.length === 0) throw missingParameter("ImageIds");
  const max = ctx.settings.limits.maxDeleteBatch;
  if (ids.length > max) throw limitExceeded("ImageIds", max);
  ids.forEach(checkImageId);
  const refusals = ids.map((id) => deleteRefusal(ctx, id));
  const firstError = refusals.find((r) => r !== undefined);
  if (firstError && ctx.settings.behaviour.deleteBatchAtomic) throw firstError;
  if (p.DryRun) {
    if (firstError) throw firstError;
    return dryRunAnswer(ctx);
  }
  ids.forEach((id, i) => {
    if (!refusals[i]) deleteImage(ctx, ctx.store.image(id)!, p.DeleteBindedSnap === true);
  });
  if (firstError) throw firstError;
  return {};
}

export const imageActions: Record<string, ActionDefinition> = {
  DescribeImages: {
    schema: { ImageIds: list(str()), Filters: FILTERS, Offset: int(), Limit: int(), InstanceType: str() },
    mutating: false,
    handler: (ctx, p) => describeImages(ctx, p as DescribeImagesParams),
  },
  ModifyImageAttribute: {
    schema: {
      ImageId: str(true),
      ImageName: str(),
      ImageDescription: str(),
      ImageFamily: str(),
      ImageDeprecated: bool(),
    },
    mutating: true,
    handler: (ctx, p) => modifyImageAttribute(ctx, p as unknown as ModifyImageAttributeParams),
  },
  DeleteImages: {
    schema: { ImageIds: list(str(), true), DeleteBindedSnap: bool(), DryRun: bool() },
    mutating: true,
    handler: (ctx, p) => deleteImages(ctx, p as unknown as DeleteImagesParams),
  },
};
