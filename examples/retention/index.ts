import * as pulumi from "@pulumi/pulumi";
import { CustomImage, ImageRetention } from "pulumi-tencentcloud-images";

const config = new pulumi.Config();

// The golden image everyone launches from today: adopted, so the stack manages it, and kept when
// the stack is destroyed (retainOnDelete). A retention never retires an image a CustomImage of the
// same stack manages; excluding it by id as well says why in the decisions, and keeps it should
// the CustomImage ever leave the program.
const pinned = new CustomImage("pinned", { adoptImageId: config.require("pinnedImageId") }, { retainOnDelete: true });

// Keep the 5 newest images of the family and everything younger than 14 days; retire the rest in
// stages: deprecated for 7 days (no new launches pick it), then its shares cancelled for 3 days
// (recorded in tags, restored if the image comes back into the keep set), then deleted with its
// snapshots. Images in use (instances, launch templates, launch configurations, by id or as their
// family's current image) are never retired. Destroying this resource deletes no image.
const retention = new ImageRetention("family-images", {
  family: config.get("family") ?? "web",
  keepNewest: config.getNumber("keepNewest") ?? 5,
  keepYoungerThan: config.get("keepYoungerThan") ?? "14d",
  exclude: { imageIds: [pinned.imageId], tags: { keep: "true" } },
  retire: { deprecate: config.get("deprecateFor") ?? "7d", unshare: config.get("unshareFor") ?? "3d" },
  deletionPolicy: { unmanagedShares: "unshare", deleteSnapshots: true },
  dryRun: config.getBoolean("dryRun") ?? true,
});

export const pinnedImageId = pinned.imageId;
/** Each image of the family, newest first: what this `up` did (or, in a dry run, would do) and why. */
export const decisions = retention.images;
/** One line per image, for reading in `pulumi stack output`. */
export const plan = retention.images.apply((images) =>
  images.map(
    (i) =>
      `${i.imageId} ${i.imageName} ${i.action}: ${i.reason}${i.nextStageDue ? ` (next stage ${i.nextStageDue})` : ""}`,
  ),
);
export const summary = retention.summary;
