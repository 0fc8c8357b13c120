/**
 * Image actions: DescribeImages, DescribeImageFromFamily, CreateImage, ImportImage, ModifyImageAttribute,
 * DeleteImages.
 */
import type { FromImport, ImageFacts } from "../schema/types";
import {
  createRequestFields,
  factsFromApiImage,
  modifyRequestFields,
  type Attributes,
  type CreateAttributes,
} from "../schema/api-fields";
import { ApiError, callApi, CallOptions } from "./call";
import { batchConfig, submitDelete } from "./delete-batcher";
import type { Settings } from "./settings";

/** The fields of a DescribeImages entry read here by name; the rest are mapped by the property table. */
interface RawImage {
  ImageId?: string;
  ImageName?: string;
}

/** Normalises a DescribeImages entry (by the property table: `factsFromApiImage`). */
export function toFacts(raw: RawImage): ImageFacts {
  return factsFromApiImage(raw as Record<string, unknown>);
}

const DESCRIBE_BATCH = 100;

/** Describes images by id; absent ids (unknown or deleted) are simply missing from the map. */
export async function describeImages(
  s: Settings,
  imageIds: string[],
  opts?: CallOptions,
): Promise<Map<string, ImageFacts>> {
  const found = new Map<string, ImageFacts>();
  for (let i = 0; i < imageIds.length; i += DESCRIBE_BATCH) {
    const ids = imageIds.slice(i, i + DESCRIBE_BATCH);
    try {
      const r = await callApi<{ ImageSet?: RawImage[] }>(
        s,
        "DescribeImages",
        { ImageIds: ids, Limit: DESCRIBE_BATCH },
        opts,
      );
      for (const raw of r.ImageSet ?? [])
        if (raw.ImageId && ids.includes(raw.ImageId)) found.set(raw.ImageId, toFacts(raw));
    } catch (e) {
      if (e instanceof ApiError && e.code === "InvalidImageId.NotFound") continue;
      throw e;
    }
  }
  return found;
}

/** Describes one image; null when it does not exist (any more). */
export async function describeImage(s: Settings, imageId: string, opts?: CallOptions): Promise<ImageFacts | null> {
  return (await describeImages(s, [imageId], opts)).get(imageId) ?? null;
}

/**
 * DescribeImageFromFamily: the current image of this account's family `family` in the settings'
 * region (the newest available image of the family), as DescribeImages shows it; null when the family
 * has none (the API answers `Image: null` or no image).
 */
export async function describeImageFromFamily(
  s: Settings,
  family: string,
  opts?: CallOptions,
): Promise<ImageFacts | null> {
  const r = await callApi<{ Image?: RawImage | null }>(s, "DescribeImageFromFamily", { ImageFamily: family }, opts);
  return r.Image?.ImageId ? toFacts(r.Image) : null;
}

/** This account's custom images whose name is exactly `name` (the API filter is fuzzy). */
export async function findPrivateImagesByName(s: Settings, name: string, opts?: CallOptions): Promise<ImageFacts[]> {
  const out: ImageFacts[] = [];
  for (let offset = 0; ; offset += 100) {
    const r = await callApi<{ ImageSet?: RawImage[]; TotalCount?: number }>(
      s,
      "DescribeImages",
      {
        Filters: [
          { Name: "image-type", Values: ["PRIVATE_IMAGE"] },
          { Name: "image-name", Values: [name] },
        ],
        Offset: offset,
        Limit: 100,
      },
      opts,
    );
    const set = r.ImageSet ?? [];
    for (const raw of set) if (raw.ImageName === name) out.push(toFacts(raw));
    if (set.length < 100 || offset + 100 >= (r.TotalCount ?? 0)) return out;
  }
}

/** CreateImage's parameters: the attributes the property table sets at creation, and the source. */
export type CreateImageParams = CreateAttributes & {
  instanceId?: string;
  dataDiskIds?: string[];
  forcePowerOff?: boolean;
  sysprep?: boolean;
  snapshotIds?: string[];
};

/**
 * CreateImage (from an instance or from snapshots). Not retried on ambiguous failures: see CallOptions.nonIdempotent.
 */
export async function createImage(s: Settings, p: CreateImageParams, opts?: CallOptions): Promise<string> {
  const req = createRequestFields(p);
  if (p.instanceId) {
    req.InstanceId = p.instanceId;
    if (p.dataDiskIds?.length) req.DataDiskIds = p.dataDiskIds;
    if (p.forcePowerOff !== undefined) req.ForcePoweroff = p.forcePowerOff ? "true" : "false";
    if (p.sysprep !== undefined) req.Sysprep = p.sysprep ? "true" : "false";
  }
  if (p.snapshotIds) req.SnapshotIds = p.snapshotIds;
  const r = await callApi<{ ImageId?: string }>(s, "CreateImage", req, { ...opts, nonIdempotent: true });
  if (!r.ImageId) throw new Error("CreateImage returned no ImageId");
  return r.ImageId;
}

/** ImportImage. Not retried on ambiguous failures. */
export async function importImage(
  s: Settings,
  p: CreateAttributes & { source: FromImport },
  opts?: CallOptions,
): Promise<string> {
  const src = p.source;
  const req: Record<string, unknown> = {
    ...createRequestFields(p),
    ImageUrl: src.imageUrl,
    Architecture: src.architecture,
    OsType: src.osType,
    OsVersion: src.osVersion,
  };
  if (src.licenseType) req.LicenseType = src.licenseType;
  if (src.bootMode) req.BootMode = src.bootMode;
  if (src.force !== undefined) req.Force = src.force;
  if (src.dataDiskImageUrls?.length)
    req.ImportImageDataDiskList = src.dataDiskImageUrls.map((ImageUrl) => ({ ImageUrl }));
  const r = await callApi<{ ImageId?: string }>(s, "ImportImage", req, { ...opts, nonIdempotent: true });
  if (!r.ImageId) throw new Error("ImportImage returned no ImageId");
  return r.ImageId;
}

/** ModifyImageAttribute with only the given fields. */
export async function modifyImageAttribute(
  s: Settings,
  imageId: string,
  change: Partial<Attributes>,
  opts?: CallOptions,
): Promise<void> {
  const req: Record<string, unknown> = { ImageId: imageId, ...modifyRequestFields(change) };
  await callApi(s, "ModifyImageAttribute", req, opts);
}

/**
 * DeleteImages for one image. Every delete of the process goes through here. Real deletes are
 * handed to the per-process batcher (`delete-batcher.ts`), which coalesces concurrent deletes of
 * the same account, region, endpoint and DeleteBindedSnap into one call and gives each caller the
 * outcome of its own image; `CVM_IMAGE_DELETE_BATCH_WINDOW_MS=0` sends each alone. DryRun calls
 * (the preflight) are never batched.
 */
export async function deleteImage(
  s: Settings,
  imageId: string,
  o: { deleteSnapshots: boolean; dryRun?: boolean },
  opts?: CallOptions,
): Promise<void> {
  const config = batchConfig();
  if (!o.dryRun && config.windowMs > 0) return submitDelete(s, imageId, o.deleteSnapshots, opts, config);
  const req: Record<string, unknown> = { ImageIds: [imageId] };
  if (o.deleteSnapshots) req.DeleteBindedSnap = true;
  if (o.dryRun) req.DryRun = true;
  await callApi(s, "DeleteImages", req, opts);
}
