/**
 * What the deletion planner says about the things that still use an image (pure): per kind
 * (instances, launch templates, launch configurations), a warning under `warn` or a reason and
 * the exact ways forward under `block`; a kind that could not be checked warns or blocks the same
 * way, with its cause and the fix.
 */
import { CommandTarget, DeleteContext, policyRoute, tccliCommand } from "../cloud/commands-rules";
import type {
  FamilyFallback,
  FamilyImage,
  ImageUsage,
  InstanceUse,
  InUsePolicy,
  LaunchConfigurationUse,
  LaunchTemplateUse,
  UsageKind,
} from "../schema/types";
import { USAGE_KIND_TEXT } from "../cloud/usage-rules";

/** Instance states that no longer count as "running from the image". */
const ENDED_INSTANCE_STATES = new Set(["LAUNCH_FAILED", "TERMINATING", "SHUTDOWN"]);

/** What the planner reports about the use of one image. */
export interface UsageFindings {
  /** Instances that still run from the image. */
  instancesInUse: InstanceUse[];
  /** Launch templates with versions that name the image. */
  launchTemplatesInUse: LaunchTemplateUse[];
  /** Launch configurations that name the image. */
  launchConfigurationsInUse: LaunchConfigurationUse[];
  /** Why the delete is refused (kinds under `block`). */
  reasons: string[];
  /** The ways forward of those refusals. */
  nextSteps: string[];
  /** What the delete leaves broken or unchecked (kinds under `warn`). */
  warnings: string[];
}

const plural = (n: number, one: string, many: string): string => (n === 1 ? one : many);

/** How one kind is described, and what fixes it. */
interface KindText<T> {
  /** The items, named (`ins-… "web-1" (RUNNING)`). */
  names(items: readonly T[]): string;
  /** The use found, as the start of a sentence. */
  found: string;
  /** What happens after the delete, for the warning. */
  consequence: string;
  /** The exact change in the cloud that ends the use. */
  fix(items: readonly T[], target: CommandTarget): string;
  /** The read permissions the scan of this kind needs. */
  permissions: string;
}

const instanceText: KindText<InstanceUse> = {
  names: (list) =>
    list.map((i) => `${i.instanceId}${i.instanceName ? ` "${i.instanceName}"` : ""} (${i.state})`).join(", "),
  found: "instances still run from the image",
  consequence: "keep running after it is deleted",
  fix: () => "terminate those instances or re-image them from another image",
  permissions: "cvm:DescribeInstances",
};

const templateText: KindText<LaunchTemplateUse> = {
  names: (list) =>
    list
      .map((t) => {
        const versions = `${plural(t.versions.length, "version", "versions")} ${t.versions.join(", ")}`;
        const defaultNote = t.includesDefaultVersion
          ? `the default version ${t.defaultVersion} among them`
          : `not the default version ${t.defaultVersion}`;
        return (
          `${t.launchTemplateId}${t.launchTemplateName ? ` "${t.launchTemplateName}"` : ""} (${versions}; ` +
          `${defaultNote})`
        );
      })
      .join(", "),
  found: "launch templates still name the image",
  consequence:
    "a launch from those versions (a launch that names no version uses the default) will fail once it is deleted",
  fix: (list, target) =>
    list
      .map((t) => {
        const id = `--LaunchTemplateId ${t.launchTemplateId}`;
        const remove = tccliCommand(
          target,
          "cvm",
          "DeleteLaunchTemplateVersions",
          `${id} --LaunchTemplateVersions '${JSON.stringify(t.versions)}'`,
        );
        if (!t.includesDefaultVersion) return `for ${t.launchTemplateId}, delete those versions with ${remove}`;
        const create = tccliCommand(
          target,
          "cvm",
          "CreateLaunchTemplateVersion",
          `${id} --LaunchTemplateVersion ${t.defaultVersion} --Placement '{"Zone":"<zone>"}' --ImageId <another image>`,
        );
        const makeDefault = tccliCommand(
          target,
          "cvm",
          "ModifyLaunchTemplateDefaultVersion",
          `${id} --DefaultVersion <the new version>`,
        );
        return (
          `for ${t.launchTemplateId}, create a version with another image (${create}), make it the default ` +
          `(${makeDefault}), then delete the versions that name this image with ${remove}`
        );
      })
      .join("; "),
  permissions: "cvm:DescribeLaunchTemplates and cvm:DescribeLaunchTemplateVersions",
};

/** A launch configuration as messages name it: id, name, status. */
const configurationLabel = (c: LaunchConfigurationUse): string =>
  `${c.launchConfigurationId}${c.launchConfigurationName ? ` "${c.launchConfigurationName}"` : ""} (${c.status})`;

const configurationArg = (c: LaunchConfigurationUse): string => `--LaunchConfigurationId ${c.launchConfigurationId}`;

/** The tccli command that points a launch configuration at another image. */
const pointAtAnotherImage = (c: LaunchConfigurationUse, target: CommandTarget): string =>
  tccliCommand(target, "as", "ModifyLaunchConfigurationAttributes", `${configurationArg(c)} --ImageId <another image>`);

const configurationText: KindText<LaunchConfigurationUse> = {
  names: (list) => list.map(configurationLabel).join(", "),
  found: "Auto Scaling launch configurations still name the image",
  consequence: "the next scale-out of their scaling groups will fail once it is deleted",
  fix: (list, target) =>
    list
      .map((c) => {
        const modify = pointAtAnotherImage(c, target);
        const remove = tccliCommand(target, "as", "DeleteLaunchConfiguration", configurationArg(c));
        return (
          `point ${c.launchConfigurationId} at another image with ${modify}` +
          ` (or, if no scaling group uses it, delete it with ${remove})`
        );
      })
      .join("; "),
  permissions: "as:DescribeLaunchConfigurations",
};

const imageText = (i: FamilyImage): string => `${i.imageId}${i.imageName ? ` "${i.imageName}"` : ""}`;

/** What the family falls back to once the image is deleted, as the end of a sentence. */
export function fallbackText(f: FamilyFallback | undefined): string {
  const ifDeprecated = (alt: FamilyImage) =>
    `if DescribeImageFromFamily counts deprecated images (not documented) the deprecated ${imageText(alt)}`;
  if (!f || f.unknown !== undefined)
    return `the image the family falls back to after the delete is unknown (its images could not be listed: ${
      f?.unknown ?? "not scanned"
    })`;
  if (f.image) {
    const alt = f.ifDeprecatedCount ? `, or ${ifDeprecated(f.ifDeprecatedCount)}` : "";
    return `after the delete the family falls back to ${imageText(f.image)}${alt}`;
  }
  const alt = f.ifDeprecatedCount ? ` (unless, ${ifDeprecated(f.ifDeprecatedCount)} is left)` : "";
  return `no other available image of the family is left after the delete, so the next scale-out will fail${alt}`;
}

const familyText: KindText<LaunchConfigurationUse> = {
  names: (list) =>
    list
      .map((c) => {
        const through = `uses the image through family "${c.imageFamily ?? ""}"`;
        return `${configurationLabel(c)} ${through}: ${fallbackText(c.fallback)}`;
      })
      .join("; "),
  found: "Auto Scaling launch configurations launch the image as their family's current image",
  consequence: "their next scale-out launches what the family falls back to once it is deleted",
  fix: (list, target) =>
    list
      .map((c) => {
        const modify = pointAtAnotherImage(c, target);
        return (
          `pin ${c.launchConfigurationId} to an image with ${modify}` +
          ` (or --ImageFamily <another family> instead of --ImageId)`
        );
      })
      .join("; "),
  permissions: "cvm:DescribeImageFromFamily",
};

/** One group of uses the policy decides on: a kind, how it reads, what was found, and what could not be checked. */
interface UseGroup {
  kind: UsageKind;
  text: KindText<unknown>;
  items: readonly unknown[];
  /** Why (some of) it could not be checked. */
  unchecked: string[];
  /** What an unchecked use may be. */
  maybe: string;
}

function useGroups(usage: ImageUsage, out: UsageFindings): UseGroup[] {
  const cause = (kind: UsageKind) => {
    const c = usage.unchecked[kind];
    return c === undefined ? [] : [`${USAGE_KIND_TEXT[kind]} could not be checked (${c})`];
  };
  const configurations = out.launchConfigurationsInUse;
  const families = (usage.uncheckedFamilies ?? []).map(
    (f) =>
      `the current image of family "${f.imageFamily}", which ${configurationText.names(f.launchConfigurations)} ` +
      `${f.launchConfigurations.length === 1 ? "launches" : "launch"}, could not be resolved (${f.cause})`,
  );
  const group = <T>(kind: UsageKind, text: KindText<T>, items: readonly T[], unchecked: string[]): UseGroup => ({
    kind,
    text: text as KindText<unknown>,
    items,
    unchecked,
    maybe: text === familyText ? "the image may be what they launch" : "some may still name the image",
  });
  return [
    group("instances", instanceText, out.instancesInUse, cause("instances")),
    group("launchTemplates", templateText, out.launchTemplatesInUse, cause("launchTemplates")),
    group(
      "launchConfigurations",
      configurationText,
      configurations.filter((c) => !c.imageFamily),
      cause("launchConfigurations"),
    ),
    group(
      "launchConfigurations",
      familyText,
      configurations.filter((c) => c.imageFamily),
      families,
    ),
  ];
}

/** Applies `deletionPolicy.inUse` to what uses the image. */
export function usageFindings(
  usage: ImageUsage,
  policy: InUsePolicy,
  target: CommandTarget,
  context: DeleteContext,
): UsageFindings {
  const out: UsageFindings = {
    instancesInUse: usage.instances.filter((i) => !ENDED_INSTANCE_STATES.has(i.state)),
    launchTemplatesInUse: usage.launchTemplates,
    launchConfigurationsInUse: usage.launchConfigurations,
    reasons: [],
    nextSteps: [],
    warnings: [],
  };
  for (const { kind, text, items, unchecked, maybe } of useGroups(usage, out)) {
    const action = policy[kind];
    const setting = `deletionPolicy.inUse.${kind}`;
    const toWarn = policyRoute(`inUse: { ${kind}: "warn" }`, context);
    for (const what of unchecked) {
      if (action === "block") {
        out.reasons.push(`${what}, and ${setting} is "block"`);
        out.nextSteps.push(
          `give the credentials ${text.permissions} (or wait until that service answers), then run the command ` +
            `again; or ${toWarn}`,
        );
      } else {
        out.warnings.push(`${what}, so ${maybe}; the delete goes on (${setting} is "warn")`);
      }
    }
    if (!items.length) continue;
    const names = text.names(items);
    if (action === "block") {
      out.reasons.push(`${text.found}: ${names}, and ${setting} is "block"`);
      out.nextSteps.push(`${text.fix(items, target)}, then run the command again; or ${toWarn}`);
    } else {
      out.warnings.push(`${text.found} and ${text.consequence}: ${names}`);
    }
  }
  return out;
}
