// Declares the CustomImages listed in the stack config `e2e-images:images`, so each end-to-end
// test can shape its stack (and change it between runs) by writing configuration only.
import * as pulumi from "@pulumi/pulumi";
import { CustomImage, CustomImageArgs } from "pulumi-tencentcloud-images";

interface DeclaredImage {
  name: string;
  args: CustomImageArgs;
  retainOnDelete?: boolean;
  protect?: boolean;
  /** Earlier logical names of this resource (aliases), so a rename is not a delete. */
  formerNames?: string[];
}

const config = new pulumi.Config();
const declared = config.getObject<DeclaredImage[]>("images") ?? [];

const resources = declared.map(
  (d) =>
    new CustomImage(d.name, d.args, {
      retainOnDelete: d.retainOnDelete,
      protect: d.protect,
      aliases: d.formerNames?.map((name) => ({ name })),
    }),
);

export const imageIds = Object.fromEntries(resources.map((r, i) => [declared[i].name, r.id]));
export const imageNames = Object.fromEntries(resources.map((r, i) => [declared[i].name, r.imageName]));
