/**
 * `assessDeletions`: what deleting each image would do, by read-only calls and the same planner
 * `delete` uses. For CI preflights: run it for every image a plan would delete.
 */
import { ApiError } from "../cloud/call";
import { deleteImage, describeImages } from "../cloud/images";
import { scanUsage } from "../cloud/usage";
import { imageUsage } from "../cloud/usage-rules";
import { NO_USAGE } from "../schema/types";
import { defaultRegion, Env, getStackConfig, resolveSettings, StackConfig, tccliEndpoints } from "../cloud/settings";
import {
  copySpec,
  DeleteContext,
  DeleteSpec,
  DeletionAssessment,
  deleteSpecFromOutputs,
  planDeletion,
  withCopies,
} from "../provider/deletion-rules";
import { isImageNotFound, sharesOf } from "../provider/common";

/** One image a plan would delete: its id and its stored outputs (as in the state or `pulumi preview --json`). */
export interface DeletionTarget {
  /** The resource's URN, if known; the assessment does not use it (it is for the caller's bookkeeping). */
  urn?: string;
  /** The image id (`img-…`) to assess. */
  imageId: string;
  /** The resource's stored outputs; only the delete-relevant fields are read (see {@link deleteSpecFromOutputs}). */
  outputs: Record<string, unknown>;
  /** How the plan deletes it (a destroy, a resource removed from the program, a replacement), for the ways forward of a refusal. */
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
): Promise<DeletionAssessment[]> {
  const env = opts.env ?? process.env;
  const config = opts.config ?? getStackConfig();
  // Grouped by account (the recorded `profile`, else the stack's credentials) and region.
  const groups = new Map<string, { region: string; profile?: string; indexes: number[] }>();
  const imageSpecs = targets.map((t) => {
    const spec: DeleteSpec = { ...deleteSpecFromOutputs(t.imageId, t.outputs ?? {}), endpoints: tccliEndpoints(env) };
    if (!spec.region) spec.region = defaultRegion(env, config, spec.profile) ?? "";
    return spec;
  });
  // The images' copies are assessed with them (each in its region), then folded into their image's assessment.
  const copyOf: number[] = [];
  const specs = [...imageSpecs];
  imageSpecs.forEach((spec, i) => {
    for (const [region, copy] of Object.entries(spec.copies)) {
      specs.push(copySpec(spec, region, copy));
      copyOf.push(i);
    }
  });
  const contextOf = (i: number) => targets[i < targets.length ? i : copyOf[i - targets.length]!]!.context;
  specs.forEach((spec, i) => {
    const key = `${spec.profile ?? ""}\u0000${spec.region}`;
    const group = groups.get(key) ?? { region: spec.region, profile: spec.profile, indexes: [] };
    group.indexes.push(i);
    groups.set(key, group);
  });
  const results: DeletionAssessment[] = new Array(specs.length);
  for (const { region, profile, indexes } of groups.values()) {
    const s = resolveSettings({ region, profile, env, config, operation: "assess" });
    const images = await describeImages(s, [...new Set(indexes.map((i) => specs[i].imageId))]);
    const needUsage = indexes.some((i) => images.get(specs[i].imageId)?.imageType === "PRIVATE_IMAGE");
    const scan = needUsage ? await scanUsage(s, {}, env) : undefined;
    for (const i of indexes) {
      const spec = specs[i];
      let image = images.get(spec.imageId) ?? null;
      const shares = image && image.imageType === "PRIVATE_IMAGE" ? await sharesOf(s, image) : [];
      if (!shares) image = null; // deleted: DescribeImages still lists it for a while
      const usage = scan ? imageUsage(scan, spec.imageId) : NO_USAGE;
      const plan = planDeletion(spec, { image, shares: shares ?? [], usage }, contextOf(i));
      if (opts.dryRun && plan.outcome === "delete" && plan.sharesToCancel.length === 0) {
        try {
          await deleteImage(s, spec.imageId, { deleteSnapshots: spec.deletionPolicy.deleteSnapshots, dryRun: true });
        } catch (e) {
          if (isImageNotFound(e)) {
            results[i] = planDeletion(spec, { image: null, shares: [], usage: NO_USAGE });
            continue;
          }
          if (!(e instanceof ApiError && e.code === "DryRunOperation")) {
            plan.outcome = "blocked";
            plan.reasons.push(`DeleteImages DryRun refused: ${e instanceof Error ? e.message : String(e)}`);
          }
        }
      }
      results[i] = plan;
    }
  }
  return targets.map((_, i) =>
    withCopies(
      results[i]!,
      results.slice(targets.length).filter((_, k) => copyOf[k] === i),
    ),
  );
}
