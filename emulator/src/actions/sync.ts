/** SyncImages: copy a custom image to other regions (or a shared image into the caller's account, same region). */
import {
  imageIncorrectState,
  instanceImageNotSupported,
  kmsKeyWithoutEncrypt,
  limitExceeded,
  missingParameter,
  publicImageRefused,
  syncRegionInvalid,
  syncRegionNotOwn,
  syncRegionOwn,
} from "../errors";
import { ImageRecord, isoTime } from "../models/types";
import { bool, list, str } from "../protocol/schema";
import {
  ActionContext,
  ActionDefinition,
  checkImageName,
  checkNameUnique,
  checkQuota,
  dryRunAnswer,
  findImage,
  isWholeInstanceImage,
  startTransition,
  unique,
} from "./common";

interface SyncImagesParams {
  ImageIds: string[];
  DestinationRegions: string[];
  DryRun?: boolean;
  ImageName?: string;
  ImageSetRequired?: boolean;
  Encrypt?: boolean;
  KmsKeyId?: string;
}

function syncImages(ctx: ActionContext, p: SyncImagesParams): Record<string, unknown> {
  if (p.ImageIds.length === 0) throw missingParameter("ImageIds");
  if (p.ImageIds.length > 1) throw limitExceeded("ImageIds", 1);
  const regions = unique(p.DestinationRegions);
  if (regions.length === 0) throw missingParameter("DestinationRegions");
  const { image, relation } = findImage(ctx, p.ImageIds[0]!);
  if (relation === "public") throw publicImageRefused(image.imageId, "synced");
  if (image.state !== "NORMAL") throw imageIncorrectState(image.imageId, image.state);
  if (isWholeInstanceImage(ctx, image)) throw instanceImageNotSupported(image.imageId);
  if (p.KmsKeyId !== undefined && !p.Encrypt) throw kmsKeyWithoutEncrypt();
  const sameRegionOnly = relation === "shared" || p.Encrypt === true;
  for (const region of regions) {
    if (!ctx.store.regions.includes(region)) throw syncRegionInvalid(region);
    if (sameRegionOnly && region !== ctx.region) throw syncRegionNotOwn();
    if (!sameRegionOnly && region === ctx.region) throw syncRegionOwn();
  }
  const name = p.ImageName ?? image.name;
  checkImageName(name);
  for (const region of regions) {
    checkNameUnique(ctx, name, region);
    checkQuota(ctx, region);
  }
  if (p.DryRun) return dryRunAnswer(ctx);

  const ms = ctx.settings.timing.syncingMs;
  const copies = regions.map((region) => {
    const snapshotIds = image.snapshotIds.flatMap((id) => {
      const s = ctx.store.snapshots.get(id);
      if (!s) return [];
      const copy = {
        ...s,
        snapshotId: ctx.store.newId("snap"),
        region,
        owner: ctx.account.uin,
        createdTime: isoTime(ctx.now),
      };
      ctx.store.snapshots.set(copy.snapshotId, copy);
      return [copy.snapshotId];
    });
    const copy: ImageRecord = {
      ...structuredClone(image),
      imageId: ctx.store.newId("img"),
      region,
      owner: ctx.account.uin,
      name,
      createdTime: isoTime(ctx.now),
      snapshotIds,
      sharedWith: [],
    };
    delete copy.pending;
    ctx.store.putImage(copy);
    startTransition(ctx, copy, "SYNCING", "NORMAL", ms);
    return { ImageId: copy.imageId, Region: region };
  });
  if (relation === "own") startTransition(ctx, image, "SYNCING", "NORMAL", ms);
  return p.ImageSetRequired ? { ImageSet: copies } : {};
}

export const syncActions: Record<string, ActionDefinition> = {
  SyncImages: {
    schema: {
      ImageIds: list(str(), true),
      DestinationRegions: list(str(), true),
      DryRun: bool(),
      ImageName: str(),
      ImageSetRequired: bool(),
      Encrypt: bool(),
      KmsKeyId: str(),
    },
    mutating: true,
    handler: (ctx, p) => syncImages(ctx, p as unknown as SyncImagesParams),
  },
};
