// Declares the CustomImages listed in the stack config `e2e-retention:images` and the
// ImageRetentions listed in `e2e-retention:retentions`, so the retention end-to-end test shapes its
// stack (and changes it between runs) by writing configuration only. Each retention's decisions
// are stack outputs.
import * as pulumi from "@pulumi/pulumi";
import { CustomImage, CustomImageArgs, ImageRetention, ImageRetentionArgs } from "pulumi-tencentcloud-images";

interface DeclaredImage {
  name: string;
  args: CustomImageArgs;
  retainOnDelete?: boolean;
}

interface DeclaredRetention {
  name: string;
  args: ImageRetentionArgs;
}

const config = new pulumi.Config();
const declaredImages = config.getObject<DeclaredImage[]>("images") ?? [];
const declaredRetentions = config.getObject<DeclaredRetention[]>("retentions") ?? [];

const images = Object.fromEntries(
  declaredImages.map((d) => [d.name, new CustomImage(d.name, d.args, { retainOnDelete: d.retainOnDelete })]),
);

const retentions = declaredRetentions.map((d) => new ImageRetention(d.name, d.args));

export const imageIds = Object.fromEntries(Object.entries(images).map(([name, r]) => [name, r.id]));
export const decisions = Object.fromEntries(retentions.map((r, i) => [declaredRetentions[i]!.name, r.images]));
export const summaries = Object.fromEntries(retentions.map((r, i) => [declaredRetentions[i]!.name, r.summary]));
