/**
 * What a usage scan of one account and region found, and which of it uses a given image. Pure:
 * the scan itself is `cloud/usage.ts`.
 */
import {
  FamilyFallback,
  FamilyImage,
  ImageUsage,
  InstanceUse,
  LaunchConfigurationUse,
  UncheckedFamily,
  UsageKind,
  USAGE_KINDS,
} from "../schema/types";

/** An instance and the image it was launched from. */
export interface ScannedInstance extends InstanceUse {
  /** The image the instance runs from. */
  imageId: string;
}

/** A launch template and the image each of its versions names. */
export interface ScannedLaunchTemplate {
  /** The template id (`lt-…`). */
  launchTemplateId: string;
  /** The template name. */
  launchTemplateName: string;
  /** The default version number. */
  defaultVersion: number;
  /** Every version, with its `LaunchTemplateVersionData.ImageId`. */
  versions: Array<{ version: number; imageId: string }>;
}

/** A launch configuration and the image (or the image family) it names. */
export interface ScannedLaunchConfiguration extends LaunchConfigurationUse {
  /** The image scale-outs launch from (`""` for a configuration by family). */
  imageId: string;
  /** The family whose current image scale-outs launch from (`""` or absent for a configuration by image id). */
  imageFamily?: string;
}

/** An available (NORMAL) private image of a family. */
export interface FamilyMember extends FamilyImage {
  /** `CreatedTime`, as listed. */
  createdTime: string;
  /** `ImageDeprecated`. */
  deprecated: boolean;
}

/** One family's current image (null: none), or why it could not be resolved (DescribeImageFromFamily). */
export type FamilyResolution = { current: FamilyMember | null } | { refused: string };

/** The families launch configurations name, resolved once per scan. */
export interface ScannedFamilies {
  /** Each family named by a configuration, with its current image or why it could not be resolved. */
  resolved: Map<string, FamilyResolution>;
  /** The account's available private images with a family, by family; or why they could not be listed. */
  members: { byFamily: Map<string, FamilyMember[]> } | { refused: string };
}

/** One kind's scan: what it listed, or why it could not be listed (the refused call, never a credential). */
export type KindScan<T> = { items: T[] } | { refused: string };

/** Everything a usage scan listed in one account and region. */
export interface UsageScan {
  /** Every instance, with its image. */
  instances: KindScan<ScannedInstance>;
  /** Every launch template, with every version's image. */
  launchTemplates: KindScan<ScannedLaunchTemplate>;
  /** Every launch configuration, with its image. */
  launchConfigurations: KindScan<ScannedLaunchConfiguration>;
  /** The families the configurations name (absent: none, or the configurations were not listed). */
  families?: ScannedFamilies;
}

/** How each kind reads in messages. */
export const USAGE_KIND_TEXT: Record<UsageKind, string> = {
  instances: "instances",
  launchTemplates: "launch templates",
  launchConfigurations: "Auto Scaling launch configurations",
};

function itemsOf<T>(scan: KindScan<T>): T[] {
  return "items" in scan ? scan.items : [];
}

// Families.

const instant = (m: FamilyMember): number => Date.parse(m.createdTime) || 0;

/** The newest of `list` (the first listed on a tie), or undefined when it is empty. */
function newest(list: readonly FamilyMember[]): FamilyMember | undefined {
  return list.reduce<FamilyMember | undefined>(
    (a, m) => (a === undefined || instant(m) > instant(a) ? m : a),
    undefined,
  );
}

const named = ({ imageId, imageName }: FamilyImage): FamilyImage => ({ imageId, imageName });

/**
 * Whether DescribeImageFromFamily skips deprecated images, as far as what it answered tells: a
 * deprecated current image says no; a deprecated member newer than the (not deprecated) current
 * image says yes; otherwise it is unknown (the API does not document it).
 */
export function skipsDeprecated(members: readonly FamilyMember[], current: FamilyMember): boolean | undefined {
  if (current.deprecated) return false;
  if (members.some((m) => m.deprecated && m.imageId !== current.imageId && instant(m) > instant(current))) return true;
  return undefined;
}

/**
 * The image a family falls back to once its current image `current` is deleted: the newest other
 * available member, deprecated ones counted as DescribeImageFromFamily counts them; when that is
 * unknown and a deprecated member would be chosen if they count, both are named.
 */
export function familyFallback(members: readonly FamilyMember[], current: FamilyMember): FamilyFallback {
  const others = members.filter((m) => m.imageId !== current.imageId);
  const kept = newest(others.filter((m) => !m.deprecated));
  const deprecated = newest(others.filter((m) => m.deprecated));
  const skips = skipsDeprecated(members, current);
  const out = (image?: FamilyMember, alt?: FamilyMember): FamilyFallback => ({
    ...(image ? { image: named(image) } : {}),
    ...(alt ? { ifDeprecatedCount: named(alt) } : {}),
  });
  if (!deprecated || skips === true) return out(kept);
  if (!kept || instant(deprecated) > instant(kept)) return skips === false ? out(deprecated) : out(kept, deprecated);
  return out(kept);
}

/** What the scan says about configurations by family and `imageId`: the uses, and the families not resolved. */
function familyUsage(
  configurations: readonly ScannedLaunchConfiguration[],
  families: ScannedFamilies | undefined,
  imageId: string,
): { uses: LaunchConfigurationUse[]; unchecked: UncheckedFamily[] } {
  const uses: LaunchConfigurationUse[] = [];
  const unchecked = new Map<string, UncheckedFamily>();
  const members = families?.members;
  for (const c of configurations) {
    const f = c.imageFamily;
    const resolution = f && families?.resolved.get(f);
    if (!f || !resolution) continue;
    const use: LaunchConfigurationUse = {
      launchConfigurationId: c.launchConfigurationId,
      launchConfigurationName: c.launchConfigurationName,
      status: c.status,
      imageFamily: f,
    };
    if ("refused" in resolution) {
      // Only a member of the family (or any image, when the members are unknown) can be its current image.
      const member = !members || "refused" in members || members.byFamily.get(f)?.some((m) => m.imageId === imageId);
      if (!member) continue;
      const entry: UncheckedFamily = unchecked.get(f) ?? {
        imageFamily: f,
        launchConfigurations: [],
        cause: resolution.refused,
      };
      entry.launchConfigurations.push(use);
      unchecked.set(f, entry);
    } else if (resolution.current?.imageId === imageId) {
      const fallback: FamilyFallback =
        !members || "refused" in members
          ? { unknown: members ? members.refused : "the family's images were not listed" }
          : familyFallback(members.byFamily.get(f) ?? [resolution.current], resolution.current);
      uses.push({ ...use, fallback });
    }
  }
  return { uses, unchecked: [...unchecked.values()] };
}

/** What uses `imageId`, from a scan. */
export function imageUsage(scan: UsageScan, imageId: string): ImageUsage {
  const unchecked: ImageUsage["unchecked"] = {};
  for (const kind of USAGE_KINDS) {
    const k = scan[kind];
    if ("refused" in k) unchecked[kind] = k.refused;
  }
  const configurations = itemsOf(scan.launchConfigurations);
  const byFamily = familyUsage(configurations, scan.families, imageId);
  return {
    instances: itemsOf(scan.instances)
      .filter((i) => i.imageId === imageId)
      .map(({ instanceId, instanceName, state }) => ({ instanceId, instanceName, state })),
    launchTemplates: itemsOf(scan.launchTemplates).flatMap((t) => {
      const versions = t.versions.filter((v) => v.imageId === imageId).map((v) => v.version);
      if (!versions.length) return [];
      const { launchTemplateId, launchTemplateName, defaultVersion } = t;
      return [
        {
          launchTemplateId,
          launchTemplateName,
          versions,
          defaultVersion,
          includesDefaultVersion: versions.includes(defaultVersion),
        },
      ];
    }),
    launchConfigurations: [
      ...configurations
        .filter((c) => !c.imageFamily && c.imageId === imageId)
        .map(({ launchConfigurationId, launchConfigurationName, status }) => ({
          launchConfigurationId,
          launchConfigurationName,
          status,
        })),
      ...byFamily.uses,
    ],
    unchecked,
    ...(byFamily.unchecked.length ? { uncheckedFamilies: byFamily.unchecked } : {}),
  };
}
