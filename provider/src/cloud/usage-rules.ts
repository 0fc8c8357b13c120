/**
 * What a usage scan of one account and region found, and which of it uses a given image. Pure:
 * the scan itself is `cloud/usage.ts`.
 */
import { ImageUsage, InstanceUse, LaunchConfigurationUse, UsageKind, USAGE_KINDS } from "../schema/types";

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

/** A launch configuration and the image it names. */
export interface ScannedLaunchConfiguration extends LaunchConfigurationUse {
  /** The image scale-outs launch from. */
  imageId: string;
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

/** What uses `imageId`, from a scan. */
export function imageUsage(scan: UsageScan, imageId: string): ImageUsage {
  const unchecked: ImageUsage["unchecked"] = {};
  for (const kind of USAGE_KINDS) {
    const k = scan[kind];
    if ("refused" in k) unchecked[kind] = k.refused;
  }
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
    launchConfigurations: itemsOf(scan.launchConfigurations)
      .filter((c) => c.imageId === imageId)
      .map(({ launchConfigurationId, launchConfigurationName, status }) => ({
        launchConfigurationId,
        launchConfigurationName,
        status,
      })),
    unchecked,
  };
}
