import * as pulumi from "@pulumi/pulumi";
import { CustomImage } from "pulumi-tencentcloud-images";

const config = new pulumi.Config();

// Adoption checks that the image is this account's own custom image (PRIVATE_IMAGE) and then
// manages it like any other: renames, shares and, on destroy, unshares and deletes it.
// Add `retainOnDelete: true` to the options to keep the image when the stack lets it go.
const adopted = new CustomImage("golden", {
  adoptImageId: config.require("imageId"),
  imageDescription: "Adopted by Pulumi",
  sharedWith: config.getObject<string[]>("shareWith") ?? [],
});

export const imageId = adopted.id;
export const imageName = adopted.imageName;
export const snapshotIds = adopted.snapshotIds;
