import * as pulumi from "@pulumi/pulumi";
import { CustomImage } from "pulumi-tencentcloud-images";

const config = new pulumi.Config();
const instanceId = config.require("instanceId");
const partners = config.getObject<string[]>("partnerAccounts") ?? [];
const retireLegacy = config.getBoolean("retireLegacy") ?? false;

// A whole-machine image of the web server, shared with every partner. No imageName: the
// provider names it "web-base-<random>" and keeps that name across updates.
const web = new CustomImage("web-base", {
  fromInstance: { instanceId, forcePowerOff: true },
  imageDescription: "Golden image of the web tier",
  imageFamily: "web",
  tags: { team: "platform", tier: "web" },
  sharedWith: partners,
});

// An image with an explicit name, shared with the first partner only. If one day someone
// shares it by hand from the console, `pulumi destroy` refuses (the default policy) and says why.
const batch = new CustomImage("batch-base", {
  fromInstance: { instanceId },
  imageName: `batch-base-${pulumi.getStack()}`,
  tags: { team: "data" },
  sharedWith: partners.slice(0, 1),
});

// The legacy image, shared with all partners. Setting retireLegacy drops it from the program:
// `pulumi up` then cancels its shares and deletes it; its bound snapshots go with it.
const legacy = retireLegacy
  ? undefined
  : new CustomImage("legacy", {
      fromInstance: { instanceId },
      imageDescription: "To be retired",
      sharedWith: partners,
      deletionPolicy: { deleteSnapshots: true },
    });

export const webImageId = web.id;
export const webImageName = web.imageName;
export const batchImageId = batch.id;
export const legacyImageId = legacy?.id;
