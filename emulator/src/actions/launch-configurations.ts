/**
 * DescribeLaunchConfigurations (Auto Scaling, `as.tencentcloudapi.com`, 2018-04-19): the caller's
 * launch configurations in the region, each naming the image scale-outs launch (`ImageId`) or an image
 * family whose current image they launch (`ImageFamily`, exactly one of the two).
 * Read only; configurations come from fixtures. Auto Scaling answers filter and id mistakes with
 * its own codes.
 */
import { asTooManyValues, launchConfigurationMalformed, parametersConflict } from "../errors";
import { ID_PATTERNS } from "../models/fixtures";
import { LaunchConfigurationRecord } from "../models/types";
import { FILTERS, int, list, str } from "../protocol/schema";
import { ActionContext, ActionDefinition, relationOf, unique } from "./common";
import { familyImage } from "./families";
import { AS_FILTER_ERRORS, checkFilters, Filter, matchTagFilter, page } from "./listing";

/** The Auto Scaling API version the emulator serves, for the launch configurations that name images. */
export const AS_API_VERSION = "2018-04-19";

const CONFIGURATION_FILTERS = [
  "launch-configuration-id",
  "launch-configuration-name",
  "vague-launch-configuration-name",
  "tag-key",
  "tag-value",
] as const;
const MAX_CONFIGURATION_IDS = 100;

function matchConfiguration(f: Filter, c: LaunchConfigurationRecord): boolean {
  switch (f.Name) {
    case "launch-configuration-id":
      return f.Values.includes(c.launchConfigurationId);
    case "launch-configuration-name":
      return f.Values.includes(c.name);
    case "vague-launch-configuration-name":
      return f.Values.some((v) => c.name.includes(v));
    default:
      return matchTagFilter(f, c.tags) ?? false;
  }
}

/**
 * `LaunchConfigurationStatus`: the stored status, except that a NORMAL configuration whose image the
 * owner can no longer see in the region (deleted, never there, unshared), or whose family has no current
 * image for the owner in the region, shows IMAGE_ABNORMAL.
 */
function statusOf(ctx: ActionContext, c: LaunchConfigurationRecord): string {
  if (c.status !== "NORMAL") return c.status;
  if (c.imageFamily !== "") {
    const skip = ctx.settings.behaviour.familySkipsDeprecated;
    return familyImage(ctx.store, c.owner, c.region, c.imageFamily, skip) ? "NORMAL" : "IMAGE_ABNORMAL";
  }
  const image = ctx.store.image(c.imageId);
  const usable =
    image !== undefined &&
    image.region === c.region &&
    image.goneAt === undefined &&
    relationOf(image, c.owner) !== undefined;
  return usable ? "NORMAL" : "IMAGE_ABNORMAL";
}

/** The API's LaunchConfiguration. */
function configurationView(ctx: ActionContext, c: LaunchConfigurationRecord): Record<string, unknown> {
  return {
    ProjectId: c.projectId,
    LaunchConfigurationId: c.launchConfigurationId,
    LaunchConfigurationName: c.name,
    InstanceType: c.instanceType,
    SystemDisk: { DiskType: c.systemDisk.diskType, DiskSize: c.systemDisk.diskSize },
    DataDisks: [],
    SecurityGroupIds: [],
    AutoScalingGroupAbstractSet: c.autoScalingGroups.map((g) => ({
      AutoScalingGroupId: g.autoScalingGroupId,
      AutoScalingGroupName: g.autoScalingGroupName,
    })),
    CreatedTime: c.createdTime,
    ImageId: c.imageId,
    LaunchConfigurationStatus: statusOf(ctx, c),
    InstanceChargeType: c.chargeType,
    InstanceTypes: [c.instanceType],
    InstanceTags: [],
    Tags: c.tags.map((t) => ({ Key: t.Key, Value: t.Value })),
    VersionNumber: 1,
    UpdatedTime: c.createdTime,
    ImageFamily: c.imageFamily,
  };
}

interface DescribeLaunchConfigurationsParams {
  LaunchConfigurationIds?: string[];
  Filters?: Filter[];
  Offset?: number;
  Limit?: number;
}

/** The caller's configurations in the region, in the order they were added; unknown well-formed ids give none. */
function describeLaunchConfigurations(
  ctx: ActionContext,
  p: DescribeLaunchConfigurationsParams,
): Record<string, unknown> {
  const ids = p.LaunchConfigurationIds ?? [];
  const filters = p.Filters ?? [];
  if (ids.length > 0 && filters.length > 0) throw parametersConflict("LaunchConfigurationIds", "Filters");
  if (ids.length > MAX_CONFIGURATION_IDS) throw asTooManyValues("LaunchConfigurationIds", MAX_CONFIGURATION_IDS);
  for (const id of ids) if (!ID_PATTERNS.launchConfiguration.test(id)) throw launchConfigurationMalformed(id);
  checkFilters(filters, CONFIGURATION_FILTERS, AS_FILTER_ERRORS);
  const mine = (c: LaunchConfigurationRecord | undefined): c is LaunchConfigurationRecord =>
    c !== undefined && c.owner === ctx.account.uin && c.region === ctx.region;
  const matches =
    ids.length > 0
      ? unique(ids)
          .map((id) => ctx.store.launchConfigurations.get(id))
          .filter(mine)
      : [...ctx.store.launchConfigurations.values()].filter(
          (c) => mine(c) && filters.every((f) => matchConfiguration(f, c)),
        );
  return {
    TotalCount: matches.length,
    LaunchConfigurationSet: page(matches, p.Offset, p.Limit).map((c) => configurationView(ctx, c)),
  };
}

export const launchConfigurationActions: Record<string, ActionDefinition> = {
  DescribeLaunchConfigurations: {
    schema: { LaunchConfigurationIds: list(str()), Filters: FILTERS, Limit: int(), Offset: int() },
    mutating: false,
    handler: (ctx, p) => describeLaunchConfigurations(ctx, p as DescribeLaunchConfigurationsParams),
  },
};
