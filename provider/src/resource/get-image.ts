/**
 * `getImage`: looks up one image by name, name pattern, tags and type, or by family (the family's
 * current image, DescribeImageFromFamily), like `aws.ec2.getAmi`. It
 * runs in the program's process (not the provider's), through the same API layer and with the
 * same credential precedence, reading the stack config the program sees.
 */
import * as pulumi from "@pulumi/pulumi";
import { lookupCandidates } from "../provider/lookup";
import { CONFIG_KEYS, resolveSettings, type StackConfig } from "../cloud/settings";
import { sourceText } from "../cloud/credentials-rules";
import { type ImageQuery, type ImageType, LookupError, pickImage, queryProblems } from "../provider/lookup-rules";
import type { ImageFacts } from "../schema/types";
import { causeOf } from "../provider/common";

/** Arguments of {@link getImage}: the criteria (all must hold) and where to look. */
export interface GetImageArgs {
  /** The exact image name. */
  name?: string;
  /** A regular expression (JavaScript syntax) the image name must match, e.g. `"^web-base-"`. */
  nameRegex?: string;
  /** Tags the image must carry, with these values. */
  tags?: Record<string, string>;
  /**
   * `PRIVATE_IMAGE` (default: this account's own custom images),
   * `SHARED_IMAGE` (shared with this account by another) or `PUBLIC_IMAGE`.
   */
  imageType?: ImageType;
  /**
   * The region. Default: the stack config `tencentcloud:region`, else TENCENTCLOUD_REGION, else the profile's region.
   */
  region?: string;
  /** The credential profile to look with (see `CustomImageArgs.profile`). Default: the stack's credentials. */
  profile?: string;
  /** With several matches, take the newest instead of failing. Default false. */
  mostRecent?: boolean;
  /**
   * An image family of this account: the family's current image (the newest available image of the
   * family, as DescribeImageFromFamily answers it). Not combinable with `name`, `nameRegex` or `tags`;
   * `imageType` may only be `PRIVATE_IMAGE`.
   */
  family?: string;
}

/** {@link GetImageArgs} with Pulumi inputs, for {@link getImageOutput}. */
export type GetImageOutputArgs = { [K in keyof GetImageArgs]?: pulumi.Input<GetImageArgs[K]> };

// Written by hand for its TSDoc; tests/types/schema.ts holds it to ImageFacts (the table's `cloud`
// rows and the facts that are not properties, but `imageSource`), keys and value types both ways.
/** The image {@link getImage} found: what DescribeImages reports, with the region and profile it was looked up with. */
export interface GetImageResult {
  /** The image id (`img-…`). */
  imageId: string;
  /** The image name. */
  imageName: string;
  /** The description (`""` when none). */
  imageDescription: string;
  /** The image family (`""` when none). */
  imageFamily: string;
  /** Whether the image is deprecated. */
  imageDeprecated: boolean;
  /** `PRIVATE_IMAGE`, `SHARED_IMAGE` or `PUBLIC_IMAGE`. */
  imageType: string;
  /** E.g. `NORMAL`. */
  imageState: string;
  /** The image's creator, as DescribeImages reports it. */
  imageCreator: string;
  /** When the image was created. */
  createdTime: string;
  /** E.g. `x86_64`. */
  architecture: string;
  /** E.g. `TencentOS`. */
  platform: string;
  /** The operating system name. */
  osName: string;
  /** The snapshots bound to the image. */
  snapshotIds: string[];
  /** The image's tags. */
  tags: Record<string, string>;
  /** The region it was found in. */
  region: string;
  /** The profile it was looked up with, when one was given. */
  profile?: string;
}

/** The `tencentcloud:*` stack config the program sees (secret values included, never logged). */
function programConfig(): StackConfig {
  const config: StackConfig = {};
  for (const key of Object.values(CONFIG_KEYS)) {
    const v = pulumi.runtime.getConfig(key);
    if (v !== undefined && v !== "") config[key] = v;
  }
  return config;
}

function result(image: ImageFacts, region: string, profile: string | undefined): GetImageResult {
  return {
    imageId: image.imageId,
    imageName: image.imageName,
    imageDescription: image.imageDescription,
    imageFamily: image.imageFamily,
    imageDeprecated: image.imageDeprecated,
    imageType: image.imageType,
    imageState: image.imageState,
    imageCreator: image.imageCreator,
    createdTime: image.createdTime,
    architecture: image.architecture,
    platform: image.platform,
    osName: image.osName,
    snapshotIds: [...image.snapshotIds],
    tags: { ...image.tags },
    region,
    ...(profile ? { profile } : {}),
  };
}

/**
 * Looks up exactly one image, for use in a program (in preview too): fails clearly when none
 * matches, or when several do and `mostRecent` is not set. It reads nothing into the state; to
 * keep an image's facts in the stack, use `CustomImage.get`.
 *
 * @example
 * const base = await getImage({ name: "web-base", imageType: "SHARED_IMAGE", profile: "workload" });
 * const web = await getImage({ family: "web" }); // the family's current image
 */
export async function getImage(args: GetImageArgs): Promise<GetImageResult> {
  const query: ImageQuery = {
    ...(args.name !== undefined ? { name: args.name } : {}),
    ...(args.nameRegex !== undefined ? { nameRegex: args.nameRegex } : {}),
    ...(args.tags !== undefined ? { tags: args.tags } : {}),
    ...(args.imageType !== undefined ? { imageType: args.imageType } : {}),
    ...(args.family !== undefined ? { family: args.family } : {}),
    ...(args.mostRecent ? { mostRecent: true } : {}),
  };
  const problems = queryProblems(query);
  if (args.profile !== undefined && (typeof args.profile !== "string" || args.profile === ""))
    problems.push("profile must be a non-empty profile name");
  if (problems.length) throw new LookupError(`getImage: ${problems.join("; ")}`);
  const s = resolveSettings({
    region: args.region,
    profile: args.profile,
    env: process.env,
    config: programConfig(),
    operation: "lookup",
  });
  const where = `in ${s.region}${s.source ? ` with ${sourceText(s.source)}` : ""}`;
  let listed: ImageFacts[];
  try {
    listed = await lookupCandidates(s, query);
  } catch (e) {
    const what =
      query.family !== undefined ? `asking the current image of family "${query.family}"` : "listing the images";
    throw new LookupError(`getImage: ${what} ${where} failed: ${causeOf(e)}`);
  }
  return result(pickImage(query, listed, where), s.region, args.profile);
}

/** {@link getImage} taking and giving Pulumi outputs. */
export function getImageOutput(args: GetImageOutputArgs): pulumi.Output<GetImageResult> {
  return pulumi.output(args).apply((a) => getImage(a as GetImageArgs));
}
