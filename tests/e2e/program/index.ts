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
  /** Inputs passed as secrets (`pulumi.secret`), e.g. `["sharedWith"]`. */
  secretArgs?: Array<keyof CustomImageArgs>;
  /** Resource options that do not reach a dynamic provider (the resource warns about them). */
  customTimeouts?: pulumi.CustomTimeouts;
  replaceOnChanges?: string[];
}

const config = new pulumi.Config();
const declared = config.getObject<DeclaredImage[]>("images") ?? [];

const withSecrets = (d: DeclaredImage): CustomImageArgs => {
  const args: Record<string, unknown> = { ...d.args };
  for (const key of d.secretArgs ?? []) if (args[key] !== undefined) args[key] = pulumi.secret(args[key]);
  return args as CustomImageArgs;
};

const resources = declared.map(
  (d) =>
    new CustomImage(d.name, withSecrets(d), {
      retainOnDelete: d.retainOnDelete,
      protect: d.protect,
      aliases: d.formerNames?.map((name) => ({ name })),
      customTimeouts: d.customTimeouts,
      replaceOnChanges: d.replaceOnChanges,
    }),
);

export const imageIds = Object.fromEntries(resources.map((r, i) => [declared[i].name, r.id]));
export const imageNames = Object.fromEntries(resources.map((r, i) => [declared[i].name, r.imageName]));
