/** The `CustomImage` resource: a Tencent Cloud CVM custom image managed by a Pulumi dynamic provider. */
import * as pulumi from "@pulumi/pulumi";
import { resourceUrn } from "../cloud/diagnostics";
import type {
  CustomImageState,
  DeletionPolicy,
  FromImport,
  FromInstance,
  FromSnapshots,
  InUseAction,
  Timeouts,
} from "../schema/types";
import type { ImageCopy } from "../schema/types";
import { optionWarnings } from "../provider/errors";
import { PROPERTY_KEYS, REPLACE_KEYS } from "../schema/properties";
import { DEFAULTED_OUTPUT_KEYS, outputDefault } from "../schema/stored";
// The provider object is this module's exports, so an installed
// package serializes it as a require (see provider-module.ts).
import serializedProvider = require("./provider-module");
import { registerManagedImage } from "./managed";

/** {@link FromInstance} with Pulumi inputs. */
export interface FromInstanceArgs {
  /** The instance to image, e.g. `ins-abcd1234`. */
  instanceId: pulumi.Input<string>;
  /** Data disks of that instance to include (makes a whole-machine image). */
  dataDiskIds?: pulumi.Input<pulumi.Input<string>[]>;
  /** Force a power-off if the instance does not shut down cleanly. Creation-only: changing it later does nothing. */
  forcePowerOff?: pulumi.Input<boolean>;
  /** Run Sysprep (Windows). Creation-only. */
  sysprep?: pulumi.Input<boolean>;
}

/** {@link FromSnapshots} with Pulumi inputs. */
export interface FromSnapshotsArgs {
  /** Snapshot ids; exactly one must be a system-disk snapshot. */
  snapshotIds: pulumi.Input<pulumi.Input<string>[]>;
}

/** {@link FromImport} with Pulumi inputs (ImportImage's fields). */
export interface FromImportArgs {
  /** COS URL of a RAW, VHD, QCOW2 or VMDK image file. */
  imageUrl: pulumi.Input<string>;
  /** `x86_64`, `i386` or `arm_64`. */
  architecture: pulumi.Input<string>;
  /** Operating system type, as DescribeImportImageOs lists (e.g. `CentOS`). */
  osType: pulumi.Input<string>;
  /** Operating system version, as DescribeImportImageOs lists (e.g. `7`). */
  osVersion: pulumi.Input<string>;
  /** `TencentCloud` (default) or `BYOL`. */
  licenseType?: pulumi.Input<string>;
  /** `Legacy BIOS` (default) or `UEFI`. */
  bootMode?: pulumi.Input<string>;
  /** Image files of data disks. */
  dataDiskImageUrls?: pulumi.Input<pulumi.Input<string>[]>;
  /** Import even if the pre-check fails. Creation-only. */
  force?: pulumi.Input<boolean>;
}

/** Deletion behaviour, stored in the outputs (the only thing `delete` sees). */
export interface DeletionPolicyArgs {
  /**
   * Shares made outside the stack: `"block"` (default) refuses the delete and lists them; `"unshare"` cancels them too.
   */
  unmanagedShares?: pulumi.Input<"block" | "unshare">;
  /** Also delete the snapshots bound to the image (DeleteImages `DeleteBindedSnap`). Default false. */
  deleteSnapshots?: pulumi.Input<boolean>;
  /**
   * What to do, per kind, when the image is still used: `"warn"` (default)
   * deletes and names them; `"block"` refuses with nothing changed.
   */
  inUse?: pulumi.Input<InUsePolicyArgs>;
  /**
   * Instances still running from the image: `"warn"` (default) deletes and names them; `"block"` refuses.
   * @deprecated Use `inUse: { instances }`; setting both to different values fails the check.
   */
  instancesInUse?: pulumi.Input<InUseAction>;
}

/**
 * Per kind of user of the image, `"warn"` (default: delete, and name them in a warning) or `"block"` (refuse). A kind
 * whose scan is refused warns or blocks the same way.
 */
export interface InUsePolicyArgs {
  /** Instances still running from the image (they keep running after the delete). */
  instances?: pulumi.Input<InUseAction>;
  /** CVM launch templates with a version whose `ImageId` is the image (a launch from that version fails). */
  launchTemplates?: pulumi.Input<InUseAction>;
  /** Auto Scaling launch configurations whose `ImageId` is the image (the next scale-out fails). */
  launchConfigurations?: pulumi.Input<InUseAction>;
}

/**
 * Operation timeouts as duration strings (`"90s"`, `"10m"`, `"1h30m"`).
 * Pulumi's `customTimeouts` do not reach dynamic providers; use these.
 */
export interface TimeoutsArgs {
  /** Waiting for NORMAL after CreateImage/ImportImage, and sharing. Default `"60m"`. */
  create?: pulumi.Input<string>;
  /** In-place updates. Default `"20m"`. */
  update?: pulumi.Input<string>;
  /** The whole delete sequence, including waiting out busy states. Default `"30m"`. */
  delete?: pulumi.Input<string>;
}

// Written by hand for its per-property TSDoc; tests/types/schema.ts holds it (and the nested …Args)
// to the property table (schema/properties.ts), keys and value types both ways: a row without its
// input here fails `npm test`.
/**
 * Inputs of {@link CustomImage}. Exactly one source: `fromInstance`, `fromSnapshots`, `fromImport` or `adoptImageId`.
 */
export interface CustomImageArgs {
  /**
   * Region, e.g. `ap-guangzhou`. Default: stack config `tencentcloud:region`, else
   * TENCENTCLOUD_REGION (resolved once, then kept). Changing it replaces the image.
   */
  region?: pulumi.Input<string>;
  /**
   * The credential profile whose account the image belongs to (tccli's `<profile>.credential` in
   * `~/.tccli`, or the folder `tencentcloud:sharedCredentialsDir` / TENCENTCLOUD_SHARED_CREDENTIALS_DIR names).
   * A name, never a secret; recorded in the outputs, so refresh and delete use the same account.
   * Default: the stack's credentials (stack config, else the environment). It can later change only
   * to another profile of the same account; another account is refused, nothing changed.
   */
  profile?: pulumi.Input<string>;
  /**
   * Image name (at most 60 characters, unique per region). Default:
   * the resource name plus a random suffix, kept across updates.
   */
  imageName?: pulumi.Input<string>;
  /** Description, at most 256 characters. */
  imageDescription?: pulumi.Input<string>;
  /** Image family: 1 to 60 letters, digits and hyphens, starting with a letter. */
  imageFamily?: pulumi.Input<string>;
  /** Mark the image deprecated (ModifyImageAttribute `ImageDeprecated`), in place. Default false. */
  imageDeprecated?: pulumi.Input<boolean>;
  /** Tags (at most 50), set at creation (TagSpecification) and through the Tag API afterwards. */
  tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /**
   * Root account uins (at most 500) this stack shares the image
   * with. Added accounts are shared, removed ones cancelled.
   */
  sharedWith?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Other regions to copy the image to (SyncImages). Each copy is shared with `sharedWith` and
   * deleted with the image under the same `deletionPolicy`; removing a region deletes its copy.
   */
  copyTo?: pulumi.Input<pulumi.Input<string>[]>;
  /** Source: image a CVM instance. */
  fromInstance?: pulumi.Input<FromInstanceArgs>;
  /** Source: system (and data) disk snapshots. */
  fromSnapshots?: pulumi.Input<FromSnapshotsArgs>;
  /** Source: import an image file (ImportImage). */
  fromImport?: pulumi.Input<FromImportArgs>;
  /**
   * Source: adopt an existing custom image of this account by id (the stand-in for `pulumi import`,
   * which dynamic resources cannot use). From then on the stack manages it, and deletes it on destroy
   * unless the resource has `retainOnDelete: true`. Keep this input in the program.
   */
  adoptImageId?: pulumi.Input<string>;
  /** What deleting does with unmanaged shares, bound snapshots and instances in use. */
  deletionPolicy?: pulumi.Input<DeletionPolicyArgs>;
  /** Timeouts for waiting on states. */
  timeouts?: pulumi.Input<TimeoutsArgs>;
}

/**
 * The outputs of {@link CustomImage}: every input resolved with defaults, plus what the cloud reports (the state leaves
 * default values out; the outputs read them back).
 */
export type CustomImageOutputs = CustomImageState;

/**
 * A Tencent Cloud CVM custom image. Created from an instance, snapshots or an image file, or
 * adopted by id; renamed, re-described, tagged and shared in place; on delete, shares are cancelled
 * by policy before DeleteImages. Type token `pulumi-nodejs:dynamic/tencentcloud-images:CustomImage`.
 * The resource id is the image id.
 */
export class CustomImage extends pulumi.dynamic.Resource {
  // The outputs: every row of the property table, held to it (and to CustomImageState's value types)
  // by tests/types/schema.ts; written by hand for their TSDoc.
  /**
   * The region the image lives in, e.g. `ap-guangzhou`: the `region` input, or
   * the stack config / TENCENTCLOUD_REGION value resolved once at creation.
   */
  declare public readonly region: pulumi.Output<string>;
  /**
   * The credential profile the image's account is reached through
   * (the `profile` input), or undefined for the stack's credentials.
   */
  declare public readonly profile: pulumi.Output<string | undefined>;
  /**
   * The image name as DescribeImages reports it: the `imageName`
   * input, the generated auto-name, or an adopted image's own name.
   */
  declare public readonly imageName: pulumi.Output<string>;
  /** True when `imageName` was generated (`<resource name>-<7 hex>`) rather than set in the program. */
  declare public readonly autoNamed: pulumi.Output<boolean>;
  /** The image description as DescribeImages reports it (`""` when none). */
  declare public readonly imageDescription: pulumi.Output<string>;
  /** The image family as DescribeImages reports it (`""` when none). */
  declare public readonly imageFamily: pulumi.Output<string>;
  /** Whether the image is deprecated, as DescribeImages reports it (`ImageDeprecated`). */
  declare public readonly imageDeprecated: pulumi.Output<boolean>;
  /** The image's tags as DescribeImages reports them (`{}` when none). */
  declare public readonly tags: pulumi.Output<Record<string, string>>;
  /** The accounts of the `sharedWith` input that the image is shared with now (the managed shares). */
  declare public readonly sharedWith: pulumi.Output<string[]>;
  /** The `fromInstance` source input, as given (undefined for other sources). */
  declare public readonly fromInstance: pulumi.Output<FromInstance | undefined>;
  /** The `fromSnapshots` source input, as given (undefined for other sources). */
  declare public readonly fromSnapshots: pulumi.Output<FromSnapshots | undefined>;
  /** The `fromImport` source input, as given (undefined for other sources). */
  declare public readonly fromImport: pulumi.Output<FromImport | undefined>;
  /** The `adoptImageId` source input, as given (undefined for other sources). */
  declare public readonly adoptImageId: pulumi.Output<string | undefined>;
  /** The deletion policy with its defaults filled in, stored for `delete` (which sees only the outputs). */
  declare public readonly deletionPolicy: pulumi.Output<DeletionPolicy>;
  /** The operation timeouts with their defaults filled in (`60m` / `20m` / `30m`), stored so `delete` can use them. */
  declare public readonly timeouts: pulumi.Output<Timeouts>;
  /** The image id (`img-…`) assigned by CVM; also the resource id. */
  declare public readonly imageId: pulumi.Output<string>;
  /**
   * The image state DescribeImages reports: `NORMAL`, `CREATING`,
   * `CREATEFAILED`, `IMPORTING`, `IMPORTFAILED` or `SYNCING`.
   */
  declare public readonly imageState: pulumi.Output<string>;
  /** The image type DescribeImages reports: `PRIVATE_IMAGE` for this account's custom images. */
  declare public readonly imageType: pulumi.Output<string>;
  /** The ids of the snapshots bound to the image, as DescribeImages reports them. */
  declare public readonly snapshotIds: pulumi.Output<string[]>;
  /** The image's creation time, as DescribeImages reports it (`CreatedTime`). */
  declare public readonly createdTime: pulumi.Output<string>;
  /** The image's architecture (e.g. `x86_64`), as DescribeImages reports it. */
  declare public readonly architecture: pulumi.Output<string>;
  /** The image's OS platform (e.g. `CentOS`), as DescribeImages reports it. */
  declare public readonly platform: pulumi.Output<string>;
  /** The image's operating system name, as DescribeImages reports it. */
  declare public readonly osName: pulumi.Output<string>;
  /** True when the image was adopted with `adoptImageId` rather than created by this resource. */
  declare public readonly adopted: pulumi.Output<boolean>;
  /**
   * Accounts the image is shared with that are not in `sharedWith`
   * (shares made outside the stack); never cancelled by an update.
   */
  declare public readonly unmanagedShares: pulumi.Output<string[]>;
  /** The regions that have a copy of the image now. */
  declare public readonly copyTo: pulumi.Output<string[]>;
  /** The copies in other regions, by region: each copy's id, managed shares and shares made outside the stack. */
  declare public readonly copies: pulumi.Output<Record<string, ImageCopy>>;

  constructor(name: string, args: CustomImageArgs, opts?: pulumi.CustomResourceOptions) {
    // Every property of the table is an output; listing them unset makes the engine return them all.
    const outputs = Object.fromEntries(PROPERTY_KEYS.map((k) => [k, undefined]));
    const resourceUrn = urnFor(name, opts?.parent);
    // Stack traces are off while the resource registers: @pulumi/pulumi wraps every output in four
    // promises that each record `new Error().stack` for its leak report, and with ts-node's source
    // maps (which format every frame) that made a constructor of these ~30 outputs cost 15 ms (a
    // program declaring 1,000 images took 15.7 s before the engine saw the first, 1.5 s without the
    // records). The resource's own source position is unaffected (Pulumi takes it with its own
    // limit), and the limit is restored before the constructor returns or throws.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      // The engine sends a secret sharedWith to the provider as a plain
      // value: say it is secret, so warnings leave its accounts out.
      const sharedWithSecret =
        args.sharedWith === undefined
          ? undefined
          : pulumi.isSecret(pulumi.output(args.sharedWith)).then((secret) => secret || undefined);
      super(
        serializedProvider,
        name,
        { ...outputs, ...args, resourceName: name, resourceUrn, sharedWithSecret },
        opts,
        "tencentcloud-images",
        "CustomImage",
      );
      // The state leaves default-valued outputs out (empty lists and maps, default policies): put them back.
      const self = this as unknown as Record<string, pulumi.Output<unknown>>;
      for (const key of DEFAULTED_OUTPUT_KEYS)
        self[key] = self[key]!.apply((v) => (v === undefined || v === null ? outputDefault(key) : v));
      registerManagedImage(this.imageId);
    } catch (e) {
      // An error raised meanwhile has no frames: give it the frames of the program's call.
      Error.stackTraceLimit = stackTraceLimit;
      if (e instanceof Error) Error.captureStackTrace(e, CustomImage);
      throw e;
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
    }
    // Options that never reach a dynamic provider: say so, and name the input to use instead.
    for (const warning of optionWarnings(opts, REPLACE_KEYS)) void pulumi.log.warn(warning, this);
  }

  /**
   * Reads an existing image into the program without managing it: the stack records what
   * DescribeImages shows (every output above, `sharedWith` empty and the image's shares in
   * `unmanagedShares`), refreshes it at each `pulumi up`, and never changes or deletes it. Any image
   * the account can see works: its own, one shared with it, or a public one. The read uses the
   * region and profile given in `opts` (default: the stack's). To take an image under management,
   * use `adoptImageId` instead.
   */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts: CustomImageGetOptions = {}): CustomImage {
    const { region, profile, ...options } = opts;
    const where: CustomImageArgs = {};
    if (region !== undefined) where.region = region;
    if (profile !== undefined) where.profile = profile;
    return new CustomImage(name, where, { ...options, id });
  }
}

/** Options of {@link CustomImage.get}: resource options, and where to read the image. */
export interface CustomImageGetOptions extends pulumi.CustomResourceOptions {
  /**
   * The region of the image. Default: the stack config `tencentcloud:region`,
   * else TENCENTCLOUD_REGION, else the profile's region.
   */
  region?: pulumi.Input<string>;
  /** The credential profile to read with (see {@link CustomImageArgs.profile}). Default: the stack's credentials. */
  profile?: pulumi.Input<string>;
}

/** The type token of CustomImage, as the engine records it. */
const TYPE = "pulumi-nodejs:dynamic/tencentcloud-images:CustomImage";

/**
 * The URN the engine will give the resource, passed to the provider so its warnings show on the
 * resource (the dynamic-provider host does not tell the provider which resource it is serving).
 * Under a parent it waits for the parent's URN, which is registered first.
 */
function urnFor(name: string, parent: pulumi.Resource | undefined): pulumi.Input<string> {
  const stack = pulumi.getStack();
  const project = pulumi.getProject();
  if (!parent) return resourceUrn(undefined, stack, project, TYPE, name);
  return parent.urn.apply((p) => resourceUrn(p, stack, project, TYPE, name));
}
