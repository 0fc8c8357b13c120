/**
 * DescribeLaunchTemplates and DescribeLaunchTemplateVersions (CVM 2017-03-12): the caller's launch
 * templates in the region, and the versions of one, each naming the image it launches
 * (`LaunchTemplateVersionData.ImageId`). Read only; templates come from fixtures.
 */
import {
  idsWithFilters,
  launchTemplateMalformed,
  launchTemplateNotFound,
  launchTemplateVersionInvalid,
  launchTemplateVersionNotFound,
  launchTemplateVersionRange,
  limitExceeded,
  valueBelowMinimum,
  versionSelectorsCombined,
} from "../errors";
import { ID_PATTERNS, MAX_LAUNCH_TEMPLATE_VERSIONS } from "../models/fixtures";
import { LaunchTemplateRecord, LaunchTemplateVersionRecord } from "../models/types";
import { bool, FILTERS, int, list, str } from "../protocol/schema";
import { ActionContext, ActionDefinition, unique } from "./common";
import { checkFilters, Filter, LAUNCH_TEMPLATE_FILTER_ERRORS, matchTagFilter, page } from "./listing";

const TEMPLATE_FILTERS = ["LaunchTemplateName", "tag-key", "tag-value"] as const;
const MAX_TEMPLATE_IDS = 100;

function checkTemplateId(id: string): void {
  if (!ID_PATTERNS.launchTemplate.test(id)) throw launchTemplateMalformed(id);
}

const mine = (ctx: ActionContext, t: LaunchTemplateRecord | undefined): t is LaunchTemplateRecord =>
  t !== undefined && t.owner === ctx.account.uin && t.region === ctx.region;

function matchTemplate(f: Filter, t: LaunchTemplateRecord): boolean {
  if (f.Name === "LaunchTemplateName") return f.Values.includes(t.name);
  return matchTagFilter(f, t.tags) ?? false;
}

/** The API's LaunchTemplateInfo. */
function templateView(t: LaunchTemplateRecord): Record<string, unknown> {
  return {
    LatestVersionNumber: Math.max(...t.versions.map((v) => v.version)),
    LaunchTemplateId: t.launchTemplateId,
    LaunchTemplateName: t.name,
    DefaultVersionNumber: t.defaultVersion,
    LaunchTemplateVersionCount: t.versions.length,
    CreatedBy: t.owner,
    CreationTime: t.createdTime,
  };
}

/** The API's LaunchTemplateVersionInfo. `CreatedBy` is the owner's uin (the emulator has no app ids). */
function versionView(t: LaunchTemplateRecord, v: LaunchTemplateVersionRecord): Record<string, unknown> {
  return {
    LaunchTemplateVersion: v.version,
    LaunchTemplateVersionData: {
      Placement: { Zone: v.zone, ProjectId: v.projectId },
      InstanceType: v.instanceType,
      InstanceName: v.instanceName,
      InstanceChargeType: v.chargeType,
      ImageId: v.imageId,
    },
    CreationTime: v.createdTime,
    LaunchTemplateId: t.launchTemplateId,
    IsDefaultVersion: v.version === t.defaultVersion,
    LaunchTemplateVersionDescription: v.description,
    CreatedBy: t.owner,
  };
}

interface DescribeLaunchTemplatesParams {
  LaunchTemplateIds?: string[];
  Filters?: Filter[];
  Offset?: number;
  Limit?: number;
}

/** The caller's templates in the region, in the order they were added; unknown well-formed ids give none. */
function describeLaunchTemplates(ctx: ActionContext, p: DescribeLaunchTemplatesParams): Record<string, unknown> {
  const ids = p.LaunchTemplateIds ?? [];
  const filters = p.Filters ?? [];
  if (ids.length > 0 && filters.length > 0) throw idsWithFilters("LaunchTemplateIds");
  if (ids.length > MAX_TEMPLATE_IDS) throw limitExceeded("LaunchTemplateIds", MAX_TEMPLATE_IDS);
  ids.forEach(checkTemplateId);
  checkFilters(filters, TEMPLATE_FILTERS, LAUNCH_TEMPLATE_FILTER_ERRORS);
  const matches =
    ids.length > 0
      ? unique(ids)
          .map((id) => ctx.store.launchTemplates.get(id))
          .filter((t) => mine(ctx, t))
      : [...ctx.store.launchTemplates.values()].filter(
          (t) => mine(ctx, t) && filters.every((f) => matchTemplate(f, t)),
        );
  return { TotalCount: matches.length, LaunchTemplateSet: page(matches, p.Offset, p.Limit).map(templateView) };
}

interface DescribeVersionsParams {
  LaunchTemplateId: string;
  LaunchTemplateVersions?: number[];
  MinVersion?: number;
  MaxVersion?: number;
  DefaultVersion?: boolean;
  Offset?: number;
  Limit?: number;
}

/**
 * The versions asked for: by list (an empty one counts as none), as the
 * default, or by range (MinVersion 0 to MaxVersion 30 when nothing is given).
 */
function selectVersions(t: LaunchTemplateRecord, p: DescribeVersionsParams): LaunchTemplateVersionRecord[] {
  const range = p.MinVersion !== undefined ? "MinVersion" : p.MaxVersion !== undefined ? "MaxVersion" : undefined;
  if (p.LaunchTemplateVersions !== undefined && p.LaunchTemplateVersions.length > 0) {
    if (p.DefaultVersion === true) throw versionSelectorsCombined("LaunchTemplateVersions", "DefaultVersion");
    if (range) throw versionSelectorsCombined("LaunchTemplateVersions", range);
    p.LaunchTemplateVersions.forEach((n, i) => {
      if (n < 1) throw launchTemplateVersionInvalid(`LaunchTemplateVersions.${i}`, n);
    });
    const found = unique(p.LaunchTemplateVersions).map((n) => {
      const version = t.versions.find((v) => v.version === n);
      if (!version) throw launchTemplateVersionNotFound(t.launchTemplateId, n);
      return version;
    });
    return found.sort((a, b) => a.version - b.version);
  }
  if (p.DefaultVersion === true) {
    if (range) throw versionSelectorsCombined("DefaultVersion", range);
    return t.versions.filter((v) => v.version === t.defaultVersion);
  }
  const min = p.MinVersion ?? 0;
  const max = p.MaxVersion ?? MAX_LAUNCH_TEMPLATE_VERSIONS;
  if (min < 0) throw valueBelowMinimum("MinVersion", 0);
  if (max < 0) throw valueBelowMinimum("MaxVersion", 0);
  if (min > max) throw launchTemplateVersionRange(min, max);
  return t.versions.filter((v) => v.version >= min && v.version <= max);
}

function describeLaunchTemplateVersions(ctx: ActionContext, p: DescribeVersionsParams): Record<string, unknown> {
  checkTemplateId(p.LaunchTemplateId);
  const template = ctx.store.launchTemplates.get(p.LaunchTemplateId);
  if (!mine(ctx, template)) throw launchTemplateNotFound(p.LaunchTemplateId);
  const versions = selectVersions(template, p);
  return {
    TotalCount: versions.length,
    LaunchTemplateVersionSet: page(versions, p.Offset, p.Limit).map((v) => versionView(template, v)),
  };
}

export const launchTemplateActions: Record<string, ActionDefinition> = {
  DescribeLaunchTemplates: {
    schema: { LaunchTemplateIds: list(str()), Filters: FILTERS, Offset: int(), Limit: int() },
    mutating: false,
    handler: (ctx, p) => describeLaunchTemplates(ctx, p as DescribeLaunchTemplatesParams),
  },
  DescribeLaunchTemplateVersions: {
    schema: {
      LaunchTemplateId: str(true),
      LaunchTemplateVersions: list(int()),
      MinVersion: int(),
      MaxVersion: int(),
      DefaultVersion: bool(),
      Offset: int(),
      Limit: int(),
    },
    mutating: false,
    handler: (ctx, p) => describeLaunchTemplateVersions(ctx, p as unknown as DescribeVersionsParams),
  },
};
