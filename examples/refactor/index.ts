import * as pulumi from "@pulumi/pulumi";
import { CustomImage } from "pulumi-tencentcloud-images";

const config = new pulumi.Config();
const instanceId = config.require("instanceId");
const stage = config.get("stage") ?? "before";

let app: CustomImage;
if (stage === "before") {
  app = new CustomImage("app", { fromInstance: { instanceId }, imageName: "refactor-app" });
  // old-tool exists only before the refactor: dropping it from the program deletes the image.
  new CustomImage("old-tool", { fromInstance: { instanceId }, imageName: "refactor-old-tool" });
} else {
  // The same image under a new logical name. The alias tells the engine it is the resource
  // formerly called "app", so nothing is deleted or recreated.
  app = new CustomImage(
    "app-image",
    { fromInstance: { instanceId }, imageName: "refactor-app" },
    { aliases: [{ name: "app" }] },
  );
}

export const appImageId = app.id;
