/**
 * Image families: DescribeImageFromFamily (CVM 2017-03-12, since 2024-09), and the rule it shares with Auto Scaling
 * launch configurations by family: a family's current image is the newest (by `CreatedTime`) NORMAL custom image of
 * the account in the region whose `ImageFamily` is the family. Whether a deprecated image can be it is not documented:
 * setting `behaviour.familySkipsDeprecated` (default true, as GCP and Alibaba families).
 */
import { missingParameter } from "../errors";
import { Store } from "../models/store";
import { ImageRecord } from "../models/types";
import { str } from "../protocol/schema";
import { ActionContext, ActionDefinition, imageView } from "./common";

/**
 * The current image of `family` for the account `uin` in `region`: its newest live NORMAL image of that family (exact,
 * case-sensitive match), skipping deprecated ones when `skipDeprecated`; of images with the same `CreatedTime`, the one
 * made (or added) last. Undefined when the family has no available image.
 */
export function familyImage(
  store: Store,
  uin: string,
  region: string,
  family: string,
  skipDeprecated: boolean,
): ImageRecord | undefined {
  let current: ImageRecord | undefined;
  let currentTime = -Infinity;
  for (const image of store.imagesIn(region)) {
    if (image.owner !== uin || image.goneAt !== undefined || image.state !== "NORMAL") continue;
    if (image.family !== family || (skipDeprecated && image.deprecated)) continue;
    const parsed = Date.parse(image.createdTime);
    const time = Number.isNaN(parsed) ? -Infinity : parsed;
    if (time >= currentTime) {
      current = image;
      currentTime = time;
    }
  }
  return current;
}

interface DescribeImageFromFamilyParams {
  ImageFamily?: string;
}

/** `{Image}`: the family's current image as DescribeImages shows it, or `null` when it has none. */
function describeImageFromFamily(ctx: ActionContext, p: DescribeImageFromFamilyParams): Record<string, unknown> {
  // Optional in the schema, but there is nothing to look up without it.
  if (p.ImageFamily === undefined || p.ImageFamily.trim() === "") throw missingParameter("ImageFamily");
  const skip = ctx.settings.behaviour.familySkipsDeprecated;
  const image = familyImage(ctx.store, ctx.account.uin, ctx.region, p.ImageFamily, skip);
  return { Image: image ? imageView(ctx, image, "own") : null };
}

export const familyActions: Record<string, ActionDefinition> = {
  DescribeImageFromFamily: {
    schema: { ImageFamily: str() },
    mutating: false,
    handler: (ctx, p) => describeImageFromFamily(ctx, p as DescribeImageFromFamilyParams),
  },
};
