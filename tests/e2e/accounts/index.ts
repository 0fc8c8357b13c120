// Two accounts in one program, each through its credential profile (tccli's files): the golden
// image is made in the build account and shared into the workload account, where getImage finds
// it and CustomImage.get reads it into the stack without managing it. An image the build account
// already has is looked up by name.
import * as pulumi from "@pulumi/pulumi";
import { CustomImage, getImage } from "pulumi-tencentcloud-images";

const config = new pulumi.Config();
const instanceId = config.require("instanceId"); // an instance of the build account
const workloadUin = config.require("workloadUin"); // the workload account's root uin
const existingName = config.require("existingName"); // an image the build account already has

const golden = new CustomImage("golden", {
  profile: "build",
  fromInstance: { instanceId },
  imageDescription: "golden image of the build account",
  sharedWith: [workloadUin],
});

// In the workload account: the shared image, by name, and read into the stack (not managed).
const found = golden.imageName.apply((name) => getImage({ name, imageType: "SHARED_IMAGE", profile: "workload" }));
const seen = CustomImage.get("golden-in-workload", golden.id, { profile: "workload" });

// In the build account: an image made outside the stack, found by name.
const existing = pulumi.output(getImage({ name: existingName, profile: "build" }));

export const goldenId = golden.id;
export const goldenProfile = golden.profile;
export const goldenRegion = golden.region;
export const foundId = found.imageId;
export const foundType = found.imageType;
export const seenType = seen.imageType;
export const seenName = seen.imageName;
export const seenProfile = seen.profile;
export const existingId = existing.imageId;
