/** DescribeInstances: paging, the documented filters (faithfully without `image-id`), ImageId on every instance. */
import { idsWithFilters, instanceMalformed, limitExceeded } from "../errors";
import { ID_PATTERNS } from "../models/fixtures";
import { InstanceRecord } from "../models/types";
import { FILTERS, int, list, str } from "../protocol/schema";
import { ActionContext, ActionDefinition, unique } from "./common";
import { checkFilters, CVM_FILTER_ERRORS, Filter, matchTagFilter, page } from "./listing";

const INSTANCE_FILTERS = [
  "zone",
  "project-id",
  "host-id",
  "dedicated-cluster-id",
  "vpc-id",
  "subnet-id",
  "instance-id",
  "uuid",
  "security-group-id",
  "instance-name",
  "instance-charge-type",
  "instance-state",
  "private-ip-address",
  "public-ip-address",
  "ipv6-address",
  "tag-key",
  "tag-value",
  "creation-start-time",
  "creation-end-time",
] as const;

const MAX_INSTANCE_IDS = 100;

function matchInstance(f: Filter, i: InstanceRecord): boolean {
  const any = (values: string[]) => f.Values.some((v) => values.includes(v));
  switch (f.Name) {
    case "zone":
      return any([i.zone]);
    case "project-id":
      return any([String(i.projectId)]);
    case "vpc-id":
      return any([i.vpcId]);
    case "subnet-id":
      return any([i.subnetId]);
    case "instance-id":
      return any([i.instanceId]);
    case "uuid":
      return any([i.uuid]);
    case "security-group-id":
      return any(i.securityGroupIds);
    case "instance-name":
      return f.Values.some((v) => i.name.includes(v));
    case "instance-charge-type":
      return any([i.chargeType]);
    case "instance-state":
      return any([i.state]);
    case "private-ip-address":
      return any(i.privateIpAddresses);
    case "public-ip-address":
      return any(i.publicIpAddresses);
    case "creation-start-time":
      return f.Values.some((v) => i.createdTime >= v);
    case "creation-end-time":
      return f.Values.some((v) => i.createdTime <= v);
    case "host-id":
    case "dedicated-cluster-id":
    case "ipv6-address":
      return false;
    default:
      return matchTagFilter(f, i.tags) ?? false;
  }
}

function instanceView(i: InstanceRecord): Record<string, unknown> {
  const disk = (d: InstanceRecord["systemDisk"]) => ({ DiskType: d.diskType, DiskId: d.diskId, DiskSize: d.diskSize });
  return {
    Placement: { Zone: i.zone, ProjectId: i.projectId },
    InstanceId: i.instanceId,
    InstanceType: i.instanceType,
    CPU: i.cpu,
    Memory: i.memory,
    RestrictState: "NORMAL",
    InstanceName: i.name,
    InstanceChargeType: i.chargeType,
    SystemDisk: disk(i.systemDisk),
    DataDisks: i.dataDisks.map((d) => ({ ...disk(d), DeleteWithInstance: d.deleteWithInstance ?? true })),
    PrivateIpAddresses: i.privateIpAddresses,
    PublicIpAddresses: i.publicIpAddresses,
    VirtualPrivateCloud: { VpcId: i.vpcId, SubnetId: i.subnetId },
    ImageId: i.imageId,
    CreatedTime: i.createdTime,
    Uuid: i.uuid,
    SecurityGroupIds: i.securityGroupIds,
    InstanceState: i.state,
    OsName: i.osName,
    Tags: i.tags.map((t) => ({ ...t })),
    LatestOperation: null,
    LatestOperationState: null,
  };
}

interface DescribeInstancesParams {
  InstanceIds?: string[];
  Filters?: Filter[];
  Offset?: number;
  Limit?: number;
}

function describeInstances(ctx: ActionContext, p: DescribeInstancesParams): Record<string, unknown> {
  const ids = p.InstanceIds ?? [];
  const filters = p.Filters ?? [];
  if (ids.length > 0 && filters.length > 0) throw idsWithFilters("InstanceIds");
  if (ids.length > MAX_INSTANCE_IDS) throw limitExceeded("InstanceIds", MAX_INSTANCE_IDS);
  for (const id of ids) if (!ID_PATTERNS.instance.test(id)) throw instanceMalformed(id);
  checkFilters(filters, INSTANCE_FILTERS, CVM_FILTER_ERRORS);
  const mine = (i: InstanceRecord | undefined): i is InstanceRecord =>
    !!i && i.owner === ctx.account.uin && i.region === ctx.region;
  const matches =
    ids.length > 0
      ? unique(ids)
          .map((id) => ctx.store.instances.get(id))
          .filter(mine)
      : [...ctx.store.instances.values()].filter((i) => mine(i) && filters.every((f) => matchInstance(f, i)));
  return { TotalCount: matches.length, InstanceSet: page(matches, p.Offset, p.Limit).map(instanceView) };
}

export const instanceActions: Record<string, ActionDefinition> = {
  DescribeInstances: {
    schema: { InstanceIds: list(str()), Filters: FILTERS, Offset: int(), Limit: int() },
    mutating: false,
    handler: (ctx, p) => describeInstances(ctx, p as DescribeInstancesParams),
  },
};
