/**
 * The property table of `CustomImage`: every property once, with its rule (type and validation),
 * default, how a change applies, where its output comes from, its API fields and its doc text.
 *
 * Derived from it: check's allowed keys and per-field validation (`provider/check-rules.ts`), diff's
 * replace and update sets and its field-level detailed diff (`provider/diff-rules.ts`), the attributes'
 * API fields (`api-fields.ts`: the create request, ModifyImageAttribute, DescribeImages to facts),
 * the `ImageAttributes` type (`table-types.ts`), the outputs (`provider/common.ts` `buildOutputs`,
 * the resource class's output list) and the README inputs table (`readme-table.ts`). The public
 * declarations written by hand for their TSDoc (`CustomImageArgs`, the class's outputs,
 * `GetImageResult`) are held to it, keys and value types, by tests/types/schema.ts.
 *
 * Hand-written elsewhere, because they are rules across properties rather than facts of one:
 * exactly one source, the region's and the auto-name's defaults (kept across updates and
 * aliases), delete-before-replace of an explicit name, adopting the resource's own image, and a
 * shared whole-machine image.
 *
 * Limits and formats below are the CVM API's documented ones (the project's API contract notes,
 * cvm-image-api.md); where it documents none (image family, OS types and versions), they follow
 * the emulator's rules, as marked.
 */
import { PROFILE_NAME_PATTERN } from "./naming";
import { MAX_IMAGE_DESCRIPTION, MAX_IMAGE_NAME } from "./naming";
import { DEFAULT_DELETION_POLICY, DEFAULT_TIMEOUTS, InUseAction, UNKNOWN } from "./types";
import { duration, Field, fileFormat, fileUrl, flag, id, list, object, oneOf, stringMap, text } from "./rules";

/**
 * Where an output comes from: `cloud` is read from DescribeImages at every create, update and
 * refresh (so drift shows); `input` is the checked input with its defaults, stored as given;
 * `shares` comes from the share listing; `provider` is worked out by the provider.
 */
export type OutputSource = "cloud" | "input" | "shares" | "provider";

/** The API fields behind a property. */
export interface ApiFields {
  /**
   * The CreateImage / ImportImage request field, when the create call sets it: for an image
   * attribute, the field `createRequestFields` sends; for a source, its fields (for the README).
   */
  readonly create?: string;
  /** The ModifyImageAttribute request field, when an update sets the property there. */
  readonly modify?: string;
  /** The DescribeImages `Image` field the output is read from (`List[].Field`: that field of each item). */
  readonly describe?: string;
  /**
   * The value's form in the API when it is not the value itself: `tags` is a list of `{ Key, Value }`
   * (in a create request, inside a `TagSpecification` of resource type `image`).
   */
  readonly form?: "tags";
  /** Other calls that set it, for the docs. */
  readonly other?: string;
}

/** An input property (every input is also an output). */
export interface InputProperty extends Field {
  readonly output: OutputSource;
  readonly api?: ApiFields;
  /** More about how a change applies, for the README's Change column. */
  readonly changeNote?: string;
}

/** A property that is an output only. */
export interface OutputProperty {
  readonly doc: string;
  readonly output: OutputSource;
  readonly api?: ApiFields;
  readonly rule?: undefined;
  /** The value when there is none (empty, false): the state leaves it out (see `stored.ts`). */
  readonly default?: { readonly value: unknown };
}

/** One row of the table. */
export type Property = InputProperty | OutputProperty;

/** What `deletionPolicy.inUse` can say per kind. */
const IN_USE_ACTIONS: readonly InUseAction[] = ["warn", "block"];

/** The image file formats ImportImage takes (cvm-image-api.md §5.7, plus ISO with `Force`). */
const IMPORT_FORMATS = ["raw", "vhd", "qcow2", "vmdk", "iso"] as const;

/**
 * OS types for ImportImage. The API lists them per account (DescribeImportImageOs); this is the
 * emulator's list joined with the Linux names of the official DescribeImportImageOs example.
 */
const IMPORT_OS_TYPES = [
  "CentOS",
  "Ubuntu",
  "Debian",
  "TencentOS",
  "OpenCloudOS",
  "Rocky Linux",
  "AlmaLinux",
  "Fedora",
  "openSUSE",
  "OpenSUSE",
  "SUSE",
  "CoreOS",
  "FreeBSD",
  "Windows",
  "Other Linux",
] as const;

const fromImportFields = {
  imageUrl: {
    rule: fileUrl(IMPORT_FORMATS, { refusal: "InvalidParameter.InvalidParameterUrlError" }),
    doc: "the COS URL of the image file",
    change: "replace",
    required: true,
  },
  architecture: {
    rule: oneOf(["x86_64", "i386", "arm_64"]),
    doc: "the architecture",
    change: "replace",
    required: true,
  },
  osType: {
    rule: oneOf(IMPORT_OS_TYPES, {
      refusal: "InvalidImageOsType.Unsupported",
      hint: "DescribeImportImageOs lists the ones your account can import",
    }),
    doc: "the operating system type, as DescribeImportImageOs lists it",
    change: "replace",
    required: true,
  },
  osVersion: {
    // The emulator's format; the API checks the version against DescribeImportImageOs.
    rule: text({
      pattern: /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,31}$/,
      patternText: "1 to 32 letters, digits, spaces, dots, underscores or hyphens, starting with a letter or digit",
      refusal: "InvalidImageOsVersion.Unsupported",
      example: "7.9",
    }),
    doc: "the operating system version, as DescribeImportImageOs lists it",
    change: "replace",
    required: true,
  },
  licenseType: {
    rule: oneOf(["TencentCloud", "BYOL"]),
    doc: "the license",
    change: "replace",
    default: { text: "`TencentCloud`", value: "TencentCloud" },
  },
  bootMode: {
    rule: oneOf(["Legacy BIOS", "UEFI"]),
    doc: "the boot mode",
    change: "replace",
    default: { text: "`Legacy BIOS`", value: "Legacy BIOS" },
  },
  dataDiskImageUrls: {
    rule: list(fileUrl(IMPORT_FORMATS, { refusal: "InvalidParameter.InvalidParameterUrlError" }), { noun: "URL" }),
    doc: "image files of data disks",
    change: "replace",
    default: { text: "`[]`", value: [] },
  },
  force: { rule: flag(), doc: "import even if the pre-check fails (needed for ISO files)", change: "creation-only" },
} satisfies Record<string, Field>;

/** ImportImage takes an ISO file only with `Force` (InvalidParameterValue.ISOMustImportByForce). */
function isoNeedsForce(
  value: Record<string, unknown>,
  path: string,
  report: (property: string, reason: string) => void,
): void {
  if (value.force === true || value.force === UNKNOWN) return;
  const urls = [value.imageUrl, ...(Array.isArray(value.dataDiskImageUrls) ? value.dataDiskImageUrls : [])];
  const iso = urls.find((u) => typeof u === "string" && fileFormat(u) === "iso") as string | undefined;
  if (iso) {
    report(
      `${path}.force`,
      `${JSON.stringify(iso)} is an ISO file, which ImportImage takes only with force ` +
        `(InvalidParameterValue.ISOMustImportByForce); set ${path}.force: true`,
    );
  }
}

/** The table. Key order is the README's row order. */
export const PROPERTIES = {
  fromInstance: {
    doc: "Source: image a CVM instance.",
    rule: object({
      instanceId: { rule: id("instance"), doc: "the instance to image", change: "replace", required: true },
      dataDiskIds: {
        rule: list(id("disk"), { unordered: true, noun: "disk" }),
        doc: "data disks of that instance to include (a whole-machine image)",
        change: "replace",
        default: { text: "`[]`", value: [] },
      },
      forcePowerOff: {
        rule: flag(),
        doc: "power the instance off if it does not shut down cleanly",
        change: "creation-only",
      },
      sysprep: { rule: flag(), doc: "run Sysprep (Windows)", change: "creation-only" },
    }),
    change: "replace",
    output: "input",
    api: { create: "CreateImage `InstanceId`, `DataDiskIds`, `ForcePoweroff`, `Sysprep`" },
  },
  fromSnapshots: {
    doc: "Source: system (and data) disk snapshots; exactly one must be a system-disk snapshot.",
    rule: object({
      snapshotIds: {
        rule: list(id("snapshot"), { unordered: true, min: 1, noun: "snapshot" }),
        doc: "the snapshots (one system-disk snapshot)",
        change: "replace",
        required: true,
      },
    }),
    change: "replace",
    output: "input",
    api: { create: "CreateImage `SnapshotIds`" },
  },
  fromImport: {
    doc: "Source: import an image file (ImportImage's fields).",
    rule: object(fromImportFields, { refine: isoNeedsForce }),
    change: "replace",
    output: "input",
    api: {
      create:
        "ImportImage `ImageUrl`, `Architecture`, `OsType`, `OsVersion`, `LicenseType`, `BootMode`, " +
        "`ImportImageDataDiskList`, `Force`",
    },
  },
  adoptImageId: {
    doc:
      "Source: adopt an existing custom image of this account by id; the stack then manages it and deletes it on " +
      "destroy.",
    rule: id("image"),
    change: "replace",
    changeNote: "set to the resource's own current image id: in place (see [Adoption](#adoption))",
    output: "input",
  },
  region: {
    doc: "The region the image lives in.",
    rule: id("region", { what: "region name", type: "region name, e.g. `ap-guangzhou`" }),
    change: "replace",
    default: {
      text:
        "stack config `tencentcloud:region`, else `TENCENTCLOUD_REGION`, else the credential profile's region " +
        "(resolved once, then kept)",
    },
    output: "input",
  },
  profile: {
    doc:
      "The credential profile whose account the image belongs to: tccli's `<profile>.credential` in " +
      "`tencentcloud:sharedCredentialsDir`, `TENCENTCLOUD_SHARED_CREDENTIALS_DIR` or `~/.tccli`. A name, never a " +
      "secret; recorded in the outputs, so refresh and delete use the same account.",
    rule: text({
      pattern: PROFILE_NAME_PATTERN,
      patternText: "a profile name: 1 to 64 letters, digits, `.`, `_` or `-`, starting with a letter or digit",
      example: "build",
    }),
    change: "update",
    changeNote:
      "only to a profile of the same account (the image must be among its own custom images): the new name is " +
      "recorded, nothing else changes; a profile of another account is refused with nothing changed, since an image " +
      "cannot move between accounts",
    default: {
      text:
        "the stack's credentials: stack config, else the environment (see [Credentials and " +
        "configuration](#credentials-and-configuration))",
    },
    output: "input",
  },
  imageName: {
    doc: "The image name, unique per region.",
    rule: text({ max: MAX_IMAGE_NAME, example: "web-base" }),
    change: "update",
    default: { text: "auto-name: `<resource name>-<7 hex>`, cut to fit 60 characters, kept across updates" },
    output: "cloud",
    api: { create: "ImageName", modify: "ImageName", describe: "ImageName" },
  },
  imageDescription: {
    doc: "The image description.",
    rule: text({ max: MAX_IMAGE_DESCRIPTION, allowEmpty: true, example: "Golden image of the web tier" }),
    change: "update",
    default: { text: '`""`', value: "" },
    output: "cloud",
    api: { create: "ImageDescription", modify: "ImageDescription", describe: "ImageDescription" },
  },
  imageFamily: {
    doc: "The image family.",
    // Not documented in cvm-image-api.md (only the InvalidImageFamily code is); the emulator's rule.
    rule: text({
      pattern: /^[A-Za-z][A-Za-z0-9-]{0,59}$/,
      patternText: "1 to 60 letters, digits and hyphens, starting with a letter",
      refusal: "InvalidParameterValue.InvalidImageFamily",
      example: "web-base",
    }),
    change: "update",
    default: { text: '`""`', value: "" },
    output: "cloud",
    api: { create: "ImageFamily", modify: "ImageFamily", describe: "ImageFamily" },
  },
  imageDeprecated: {
    doc: "Whether the image is marked deprecated.",
    rule: flag(),
    change: "update",
    default: { text: "`false`", value: false },
    output: "cloud",
    api: { modify: "ImageDeprecated", describe: "ImageDeprecated" },
  },
  tags: {
    doc: "Tags of the image.",
    rule: stringMap({
      maxEntries: 50,
      maxEntriesReason: "InvalidParameterValue.TagQuotaLimitExceeded",
      maxKey: 127,
      maxValue: 255,
      noun: "tag",
      example: '{ team: "web" }',
    }),
    change: "update",
    changeNote: "through the Tag API",
    default: { text: "`{}`", value: {} },
    output: "cloud",
    api: { create: "TagSpecification", describe: "Tags", form: "tags", other: "Tag API `ModifyResourceTags`" },
  },
  sharedWith: {
    doc: "Root account uins this stack shares the image with.",
    rule: list(id("account", { what: "account id", type: "root account uins" }), {
      unordered: true,
      max: 500,
      maxReason: "accounts per image; more gets OverQuota",
      noun: "account",
    }),
    change: "update",
    changeNote: "added accounts are shared, removed ones are cancelled",
    default: { text: "`[]`", value: [], fill: true },
    output: "shares",
    api: { other: "ModifyImageSharePermission, DescribeImageSharePermission" },
  },
  copyTo: {
    doc:
      "Other regions the image is copied to (SyncImages). Each copy is shared with `sharedWith` (sharing is per " +
      "region) and deleted with the image, under the same `deletionPolicy`.",
    rule: list(id("region", { what: "region name", type: "region names, e.g. `ap-shanghai`" }), {
      unordered: true,
      noun: "region",
    }),
    change: "update",
    changeNote:
      "added regions are copied to; a removed region's copy is deleted (under `deletionPolicy`); in the outputs, the " +
      "regions that have a copy now, so a copy deleted outside the stack is made again by `pulumi up`",
    default: { text: "`[]`", value: [], fill: true },
    output: "provider",
    api: { other: "SyncImages (`DestinationRegions`, `ImageSetRequired`)" },
  },
  deletionPolicy: {
    doc:
      "What deleting does with unmanaged shares, bound snapshots, and the instances, launch templates and launch " +
      "configurations that still use the image.",
    rule: object(
      {
        unmanagedShares: {
          rule: oneOf(["block", "unshare"]),
          doc: "shares made outside the stack: block the delete, or cancel them too",
          change: "stored",
          default: { text: "`block`", value: DEFAULT_DELETION_POLICY.unmanagedShares, fill: true },
        },
        deleteSnapshots: {
          rule: flag(),
          doc: "also delete the snapshots bound to the image",
          change: "stored",
          default: { text: "`false`", value: DEFAULT_DELETION_POLICY.deleteSnapshots, fill: true },
        },
        inUse: {
          rule: object({
            instances: {
              rule: oneOf(IN_USE_ACTIONS),
              doc: "instances still running from the image (they keep running)",
              change: "stored",
              default: { text: "`warn`", value: DEFAULT_DELETION_POLICY.inUse.instances, fill: true },
            },
            launchTemplates: {
              rule: oneOf(IN_USE_ACTIONS),
              doc: "CVM launch templates with a version that names the image (a launch from that version fails)",
              change: "stored",
              default: { text: "`warn`", value: DEFAULT_DELETION_POLICY.inUse.launchTemplates, fill: true },
            },
            launchConfigurations: {
              rule: oneOf(IN_USE_ACTIONS),
              doc: "Auto Scaling launch configurations that name the image (the next scale-out fails)",
              change: "stored",
              default: { text: "`warn`", value: DEFAULT_DELETION_POLICY.inUse.launchConfigurations, fill: true },
            },
          }),
          doc:
            "what to do, per kind, when the image is still used: `warn` (delete, and name them in a warning) or " +
            "`block` (refuse, nothing changed); a kind whose scan is refused (no permission, service unavailable) " +
            "warns, or blocks, the same way",
          change: "stored",
          default: { text: "`warn` for each kind", value: DEFAULT_DELETION_POLICY.inUse, fill: true },
        },
      },
      // 0.1's name, still accepted (check, and states written by 0.1).
      { aliases: { instancesInUse: "inUse.instances" } },
    ),
    change: "stored",
    changeNote: "`delete` reads it from the state",
    default: { fill: true },
    output: "input",
  },
  timeouts: {
    doc: "Operation timeouts (Pulumi's `customTimeouts` do not reach dynamic providers).",
    rule: object({
      create: {
        rule: duration(),
        doc: "waiting for NORMAL after the create call, and sharing",
        change: "stored",
        default: { text: "`60m`", value: DEFAULT_TIMEOUTS.create, fill: true },
      },
      update: {
        rule: duration(),
        doc: "in-place updates",
        change: "stored",
        default: { text: "`20m`", value: DEFAULT_TIMEOUTS.update, fill: true },
      },
      delete: {
        rule: duration(),
        doc: "the whole delete, including waiting out busy states",
        change: "stored",
        default: { text: "`30m`", value: DEFAULT_TIMEOUTS.delete, fill: true },
      },
    }),
    change: "stored",
    changeNote: "later operations read it from the state",
    default: { fill: true },
    output: "input",
  },
  imageId: { doc: "The image id (`img-…`); also the resource id.", output: "cloud", api: { describe: "ImageId" } },
  imageState: {
    doc: "`NORMAL`, `CREATING`, `CREATEFAILED`, `IMPORTING`, `IMPORTFAILED` or `SYNCING`.",
    output: "cloud",
    api: { describe: "ImageState" },
  },
  imageType: { doc: "`PRIVATE_IMAGE` for this account's images.", output: "cloud", api: { describe: "ImageType" } },
  snapshotIds: {
    doc: "The snapshots bound to the image.",
    output: "cloud",
    api: { describe: "SnapshotSet[].SnapshotId" },
    default: { value: [] },
  },
  createdTime: { doc: "When the image was created.", output: "cloud", api: { describe: "CreatedTime" } },
  architecture: { doc: "The image's architecture, e.g. `x86_64`.", output: "cloud", api: { describe: "Architecture" } },
  platform: { doc: "The image's OS platform, e.g. `CentOS`.", output: "cloud", api: { describe: "Platform" } },
  osName: { doc: "The image's operating system name.", output: "cloud", api: { describe: "OsName" } },
  autoNamed: { doc: "`true` when `imageName` was generated.", output: "provider", default: { value: false } },
  adopted: {
    doc: "`true` when the image was adopted rather than created.",
    output: "provider",
    default: { value: false },
  },
  unmanagedShares: {
    doc: "Shares observed that are not in `sharedWith` (made outside the stack); never cancelled by an update.",
    output: "shares",
    default: { value: [] },
  },
  copies: {
    doc:
      "The copies in other regions (`copyTo`), by region: each copy's `imageId`, its managed shares " +
      "(`sharedWith`) and the shares made outside the stack (`unmanagedShares`).",
    output: "provider",
    default: { value: {} },
  },
} as const satisfies Record<string, Property>;

/** Every property: all are outputs. */
export type PropertyKey = keyof typeof PROPERTIES;
/** The properties that are inputs. */
export type InputKey = { [K in PropertyKey]: (typeof PROPERTIES)[K] extends InputProperty ? K : never }[PropertyKey];
/** The image's own attributes the stack sets in place: ModifyImageAttribute's fields. */
export type AttributeKey = {
  [K in PropertyKey]: (typeof PROPERTIES)[K] extends { api: { modify: string } } ? K : never;
}[PropertyKey];

const entries = Object.entries(PROPERTIES) as Array<[PropertyKey, Property]>;
const isInput = (p: Property): p is InputProperty => p.rule !== undefined;

/** Every property name, in table order: the outputs. */
export const PROPERTY_KEYS: readonly PropertyKey[] = entries.map(([k]) => k);
/** The input names, in table order. */
export const INPUT_KEYS = entries.filter(([, p]) => isInput(p)).map(([k]) => k) as readonly InputKey[];
/** The input rows, in table order. */
export const INPUTS = entries.filter((e): e is [InputKey, InputProperty] => isInput(e[1]));
/** The attributes set through ModifyImageAttribute, in table order. */
export const ATTRIBUTE_KEYS = INPUTS.filter(([, p]) => p.api?.modify !== undefined).map(
  ([k]) => k,
) as readonly AttributeKey[];
/** Inputs whose change replaces the image. */
export const REPLACE_KEYS = INPUTS.filter(([, p]) => p.change === "replace").map(([k]) => k);
/** Inputs whose change is applied in place (to the image, or only to the state). */
export const UPDATE_KEYS = INPUTS.filter(([, p]) => p.change !== "replace").map(([k]) => k);

/**
 * Keys that are not properties but that check accepts: the resource name and URN the class passes
 * (the auto-name prefix; where warnings go), whether `sharedWith` is a secret (warnings then leave
 * its accounts out), `autoNamed` from earlier checked inputs, and the engine's `__provider`.
 * They never appear in a diff.
 */
export const INTERNAL_KEYS = ["resourceName", "resourceUrn", "sharedWithSecret", "autoNamed", "__provider"] as const;
