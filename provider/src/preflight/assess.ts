/**
 * `assessDeletions`: what deleting each image would do, by read-only calls and the same look and
 * planner `delete` uses (`provider/deletion.ts`). For CI preflights: run it for every image a plan
 * would delete.
 */
import { ApiError } from "../cloud/call";
import { deleteImage, describeImages } from "../cloud/images";
import { scanUsage } from "../cloud/usage";
import { NO_USAGE } from "../schema/types";
import {
  defaultRegion,
  Env,
  getStackConfig,
  resolveSettings,
  Settings,
  StackConfig,
  tccliEndpoints,
} from "../cloud/settings";
import {
  copySpec,
  DeleteContext,
  DeleteSpec,
  DeletionDecision,
  deleteSpecFromOutputs,
  decideDeletion,
  withCopies,
} from "../provider/deletion-rules";
import { observeDeletion } from "../provider/deletion";
import { isImageNotFound } from "../provider/common";

/** One image a plan would delete: its id and its stored outputs (as in the state or `pulumi preview --json`). */
export interface DeletionTarget {
  /** The resource's URN, if known; the assessment does not use it (it is for the caller's bookkeeping). */
  urn?: string;
  /** The image id (`img-…`) to assess. */
  imageId: string;
  /** The resource's stored outputs; only the delete-relevant fields are read (see {@link deleteSpecFromOutputs}). */
  outputs: Record<string, unknown>;
  /**
   * How the plan deletes it (a destroy, a resource removed from the
   * program, a replacement), for the ways forward of a refusal.
   */
  context?: DeleteContext;
}

/** Options of {@link assessDeletions}: where credentials and config come from, and whether to dry-run DeleteImages. */
export interface AssessOptions {
  /** Environment to read credentials/endpoint from (default `process.env`). */
  env?: Env;
  /** Stack config (`tencentcloud:secretId`, `tencentcloud:secretKey`, `tencentcloud:region`, …). */
  config?: StackConfig;
  /** Also ask DeleteImages with DryRun:true for images that would be deleted and have no shares to cancel first. */
  dryRun?: boolean;
}

/**
 * Assesses the deletion of each target. Calls only DescribeImages, DescribeImageSharePermission,
 * the usage scan (DescribeInstances, DescribeLaunchTemplates, DescribeLaunchTemplateVersions and
 * Auto Scaling's DescribeLaunchConfigurations, once per account and region for all targets) and,
 * with `dryRun`, DeleteImages DryRun.
 * Results are in the order of `targets`; an image's copies in other regions (its `copies` output)
 * are assessed too, in `copies` of its result (a blocked copy blocks the image).
 */
export async function assessDeletions(
  targets: DeletionTarget[],
  opts: AssessOptions = {},
): Promise<DeletionDecision[]> {
  const env = opts.env ?? process.env;
  const config = opts.config ?? getStackConfig();
  // The images' copies are assessed with them (each in its region), then folded into their image's assessment.
  const { specs, copyOf } = withCopySpecs(targets.map((t) => targetSpec(t, env, config)));
  const contextOf = (i: number) => targets[i < targets.length ? i : copyOf[i - targets.length]!]!.context;
  const results: DeletionDecision[] = new Array(specs.length);
  for (const { region, profile, indexes } of byAccountAndRegion(specs)) {
    const s = resolveSettings({ region, profile, env, config, operation: "assess" });
    const group = indexes.map((i) => ({ spec: specs[i]!, context: contextOf(i) }));
    const assessed = await assessGroup(s, env, group, opts.dryRun === true);
    indexes.forEach((i, k) => (results[i] = assessed[k]!));
  }
  return targets.map((_, i) =>
    withCopies(
      results[i]!,
      results.slice(targets.length).filter((_, k) => copyOf[k] === i),
    ),
  );
}

/** The delete spec of a target: its stored outputs with their defaults, in the default region when none is stored. */
function targetSpec(t: DeletionTarget, env: Env, config: StackConfig): DeleteSpec {
  const spec: DeleteSpec = { ...deleteSpecFromOutputs(t.imageId, t.outputs ?? {}), endpoints: tccliEndpoints(env) };
  if (!spec.region) spec.region = defaultRegion(env, config, spec.profile) ?? "";
  return spec;
}

/** The images' specs, then their copies' (`copyOf[k]`: the image of the k-th copy). */
function withCopySpecs(imageSpecs: DeleteSpec[]): { specs: DeleteSpec[]; copyOf: number[] } {
  const copyOf: number[] = [];
  const specs = [...imageSpecs];
  imageSpecs.forEach((spec, i) => {
    for (const [region, copy] of Object.entries(spec.copies)) {
      specs.push(copySpec(spec, region, copy));
      copyOf.push(i);
    }
  });
  return { specs, copyOf };
}

/** The specs' indexes grouped by account (the recorded `profile`, else the stack's credentials) and region. */
function byAccountAndRegion(specs: DeleteSpec[]): { region: string; profile?: string; indexes: number[] }[] {
  const groups = new Map<string, { region: string; profile?: string; indexes: number[] }>();
  specs.forEach((spec, i) => {
    const key = `${spec.profile ?? ""}\u0000${spec.region}`;
    const group = groups.get(key) ?? { region: spec.region, profile: spec.profile, indexes: [] };
    group.indexes.push(i);
    groups.set(key, group);
  });
  return [...groups.values()];
}

/**
 * The decisions on one account and region's images: one DescribeImages for all of them and one
 * usage scan (when any is this account's), then each image's look and decision (and DryRun).
 */
async function assessGroup(
  s: Settings,
  env: Env,
  group: { spec: DeleteSpec; context?: DeleteContext }[],
  dryRun: boolean,
): Promise<DeletionDecision[]> {
  const images = await describeImages(s, [...new Set(group.map((g) => g.spec.imageId))]);
  const needUsage = group.some((g) => images.get(g.spec.imageId)?.imageType === "PRIVATE_IMAGE");
  const scanned = needUsage ? await scanUsage(s, {}, env) : undefined;
  const scan = () => (scanned ? Promise.resolve(scanned) : scanUsage(s, {}, env));
  const out: DeletionDecision[] = [];
  for (const { spec, context } of group) {
    const describe = async () => images.get(spec.imageId) ?? null;
    const { decision } = await observeDeletion(s, spec, { describe, scan, lookAtBusy: true, context });
    out.push(dryRun ? await withDryRun(s, spec, decision) : decision);
  }
  return out;
}

/**
 * With `dryRun`: asks DeleteImages with DryRun for an image that would be deleted with no shares to
 * cancel first; a refusal blocks it, an image the call does not find is gone.
 */
async function withDryRun(s: Settings, spec: DeleteSpec, plan: DeletionDecision): Promise<DeletionDecision> {
  if (plan.outcome !== "delete" || plan.sharesToCancel.length) return plan;
  try {
    await deleteImage(s, spec.imageId, { deleteSnapshots: spec.deletionPolicy.deleteSnapshots, dryRun: true });
  } catch (e) {
    if (isImageNotFound(e)) return decideDeletion(spec, { image: null, shares: [], usage: NO_USAGE });
    if (!(e instanceof ApiError && e.code === "DryRunOperation")) {
      plan.outcome = "blocked";
      plan.reasons.push(`DeleteImages DryRun refused: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return plan;
}
