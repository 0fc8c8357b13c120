import * as pulumi from "@pulumi/pulumi";
import { CustomImage } from "pulumi-tencentcloud-images";

const config = new pulumi.Config();
const partner = config.get("partnerAccount");

const image = new CustomImage("app", {
  fromInstance: { instanceId: config.require("instanceId") },
  sharedWith: partner ? [partner] : [],
});

export const imageId = image.id;
export const imageName = image.imageName;
