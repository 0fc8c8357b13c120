/** The `ImageRetention` resource: keeps the newest images of a scope and retires the rest, in stages. */
import * as pulumi from "@pulumi/pulumi";
import { resourceUrn } from "../cloud/diagnostics";
import type { RetentionAction } from "../schema/retention";
import type { RetentionDecision } from "../retention/plan-rules";
import { managedImageIds } from "./managed";
// The provider object is this module's exports, so an installed package serializes it as a require.
import serializedProvider = require("./retention-provider-module");

/** Inputs of {@link ImageRetention}. Give a scope and what to keep; everything else is optional. */
export interface ImageRetentionArgs {
  /** Scope: images of this family (`ImageFamily`). Any of family, namePrefix and tags; all given must hold. */
  family?: pulumi.Input<string>;
  /** Scope: images whose name starts with this. */
  namePrefix?: pulumi.Input<string>;
  /** Scope: images that carry all these tags. */
  tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Keep this many of the newest images of the scope. */
  keepNewest?: pulumi.Input<number>;
  /** Keep every image of the scope younger than this, e.g. `"14d"`. */
  keepYoungerThan?: pulumi.Input<string>;
  /** Images never retired: by id, or by any one of these tags. */
  exclude?: pulumi.Input<{
    /** Never retire these images. */
    imageIds?: pulumi.Input<pulumi.Input<string>[]>;
    /** Never retire an image that carries any one of these tags. */
    tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  }>;
  /**
   * Stages before the delete: deprecated for `deprecate`, then its shares cancelled for `unshare`
   * (recorded, to be restored), then deleted. None: an image leaving the keep set is deleted at once.
   */
  retire?: pulumi.Input<{
    /** How long an image stays deprecated before the next stage, e.g. `"7d"`. */
    deprecate?: pulumi.Input<string>;
    /** How long its shares stay cancelled before the delete, e.g. `"3d"` (under `unmanagedShares: "unshare"`). */
    unshare?: pulumi.Input<string>;
  }>;
  /**
   * `unmanagedShares`: a shared image is kept (`block`, default) or its shares are cancelled and it
   * retires (`unshare`); `deleteSnapshots`: also delete the bound snapshots (default false). An image
   * in use (instances, launch template versions, launch configurations, by id or by family) is never retired.
   */
  deletionPolicy?: pulumi.Input<{
    /** A shared image: kept (`block`, default) or its shares cancelled and retired (`unshare`). */
    unmanagedShares?: pulumi.Input<"block" | "unshare">;
    /** Also delete the snapshots bound to a deleted image (default false). */
    deleteSnapshots?: pulumi.Input<boolean>;
  }>;
  /** Decide and record the decisions in the outputs; change nothing. */
  dryRun?: pulumi.Input<boolean>;
  /** The region. Default: the stack config `tencentcloud:region`, else TENCENTCLOUD_REGION, else the profile's. */
  region?: pulumi.Input<string>;
  /** The credential profile. Default: the stack's credentials. */
  profile?: pulumi.Input<string>;
}

/** What one `up` did (or, after a refresh, would do) with one image of the scope: its decision, and any failure. */
export interface RetainedImage extends RetentionDecision {
  /** Why the change failed (then `pulumi up` again finishes it). */
  error?: string;
}

const TYPE = "pulumi-nodejs:dynamic/tencentcloud-images:ImageRetention";

/**
 * Keeps the newest images of a scope (a family, a name prefix, tags) and retires the rest through
 * the same safe delete as {@link CustomImage}, optionally in stages recorded on the image
 * (deprecate, then cancel shares, then delete). Never retires a kept, excluded, in-use or
 * `CustomImage`-managed image, nor a shared one under `unmanagedShares: "block"`. Destroying it
 * deletes no image: it only forgets.
 */
export class ImageRetention extends pulumi.dynamic.Resource {
  /** Scope: the family (as given). */
  declare public readonly family: pulumi.Output<string | undefined>;
  /** Scope: the name prefix (as given). */
  declare public readonly namePrefix: pulumi.Output<string | undefined>;
  /** How many of the newest usable images are kept (as given). */
  declare public readonly keepNewest: pulumi.Output<number | undefined>;
  /** The age under which every image is kept (as given). */
  declare public readonly keepYoungerThan: pulumi.Output<string | undefined>;
  /** Whether it only records its decisions. */
  declare public readonly dryRun: pulumi.Output<boolean | undefined>;
  /** The region it plans in (resolved). */
  declare public readonly region: pulumi.Output<string>;
  /** One entry per image of the scope, newest first. */
  declare public readonly images: pulumi.Output<RetainedImage[]>;
  /** How many images each action concerned. */
  declare public readonly summary: pulumi.Output<Partial<Record<RetentionAction, number>>>;
  /** When the plan was made (ISO). */
  declare public readonly lastPlanned: pulumi.Output<string>;

  constructor(name: string, args: ImageRetentionArgs, opts?: pulumi.CustomResourceOptions) {
    const stack = pulumi.getStack();
    const project = pulumi.getProject();
    const urn = opts?.parent
      ? opts.parent.urn.apply((p) => resourceUrn(p, stack, project, TYPE, name))
      : resourceUrn(undefined, stack, project, TYPE, name);
    super(
      serializedProvider,
      name,
      {
        // Every declared output listed (unset): the engine returns it even when not given (region: the resolved one).
        family: undefined,
        namePrefix: undefined,
        keepNewest: undefined,
        keepYoungerThan: undefined,
        dryRun: undefined,
        region: undefined,
        images: undefined,
        summary: undefined,
        lastPlanned: undefined,
        ...args,
        managedImageIds: managedImageIds(),
        resourceName: name,
        resourceUrn: urn,
      },
      opts,
      "tencentcloud-images",
      "ImageRetention",
    );
  }
}
