/**
 * The `ImageRetention`s of a plan: what each will do at the `up`, image by image, from the same
 * read-only observation and planner as the provider (`retention/scope.ts`), with the inputs the
 * plan gives it. A retention's refusals keep the image (with the reason), so a retention is never
 * `blocked`; its deletes make the verdict `deletes` (see `--fail-on delete`). A retention the plan
 * deletes only forgets: it is not listed.
 */
import { resolveSettings, type Env, type StackConfig } from "../cloud/settings";
import { checkRetention } from "../retention/index";
import { changes, type RetentionDecision } from "../retention/plan-rules";
import { planScope } from "../retention/scope";
import type { RetentionSpec } from "../schema/retention";
import { findOpaque, type PreviewDigest } from "./plan";
import { stepType, urnName } from "./steps";

/** Type token of the provider's ImageRetention resources. */
export const IMAGE_RETENTION_TYPE = "pulumi-nodejs:dynamic/tencentcloud-images:ImageRetention";

/** The plan's steps that run a retention (create, update, or unchanged: it plans at every `up`). */
const RUNNING_OPS = new Set(["create", "update", "same", "replace", "create-replacement", "import"]);

/** One retention of the plan, with its inputs as planned. */
export interface PlannedRetention {
  urn: string;
  name: string;
  op: string;
  inputs: Record<string, unknown>;
}

/** What one retention of the plan will do. */
export interface RetentionReport {
  /** The resource's URN. */
  urn: string;
  /** The resource's name. */
  name: string;
  /** The step of the plan (`create`, `update`, `same`). */
  op: string;
  /** The region it plans in (absent when it could not be assessed). */
  region?: string;
  /** `dryRun: true`: it records its decisions and changes nothing. */
  dryRun: boolean;
  /** Each image of its scope, newest first, with its action and reason. */
  images: RetentionDecision[];
  /** How many images each action concerns. */
  summary: Record<string, number>;
  /** Why it could not be assessed (inputs unknown until apply or refused, or the cloud check failed). */
  cannotAssess?: string;
}

/** The retentions the plan runs (pure). */
export function plannedRetentions(digest: PreviewDigest): PlannedRetention[] {
  return digest.steps
    .filter((s) => stepType(s) === IMAGE_RETENTION_TYPE && RUNNING_OPS.has(s.op) && s.newState)
    .map((s) => ({ urn: s.urn, name: urnName(s.urn), op: s.op, inputs: s.newState!.inputs ?? {} }));
}

/**
 * The inputs a retention can be planned with: the images of `CustomImage`s the plan creates are not
 * known yet (and not in any scope yet either), so unknown managed ids are dropped; any other value
 * unknown until apply, or a refused input, makes it unassessable.
 */
export function retentionSpec(inputs: Record<string, unknown>): { spec?: RetentionSpec; cannotAssess?: string } {
  const managed = Array.isArray(inputs.managedImageIds)
    ? inputs.managedImageIds.filter((id) => typeof id === "string" && findOpaque(id, "").length === 0)
    : inputs.managedImageIds;
  const known = { ...inputs, managedImageIds: findOpaque(managed, "").length ? [] : managed };
  const opaque = findOpaque(known, "");
  if (opaque.length)
    return {
      cannotAssess:
        `cannot assess: ${opaque.map((o) => o.path.replace(/^\./, "")).join(", ")} ` +
        `${opaque.length === 1 ? "is" : "are"} ` +
        "unknown until apply or secret in the preview",
    };
  const { inputs: checked, failures } = checkRetention(known);
  if (failures.length) return { cannotAssess: `cannot assess: ${failures.map((f) => f.reason).join("; ")}` };
  return { spec: checked as unknown as RetentionSpec };
}

function summaryOf(images: readonly RetentionDecision[]): Record<string, number> {
  const summary: Record<string, number> = {};
  for (const d of images) summary[d.action] = (summary[d.action] ?? 0) + 1;
  return summary;
}

/** Plans each retention of the plan (read-only calls), with the credentials of `env` and `config`. */
export async function assessRetentions(
  planned: readonly PlannedRetention[],
  o: { env: Env; config: StackConfig; now?: number },
): Promise<RetentionReport[]> {
  const out: RetentionReport[] = [];
  for (const p of planned) {
    const base = { urn: p.urn, name: p.name, op: p.op, dryRun: p.inputs.dryRun === true, images: [], summary: {} };
    const { spec, cannotAssess } = retentionSpec(p.inputs);
    if (!spec) {
      out.push({ ...base, cannotAssess: cannotAssess! });
      continue;
    }
    try {
      const s = resolveSettings({
        region: spec.region,
        profile: spec.profile,
        env: o.env,
        config: o.config,
        operation: "assess",
      });
      const { decisions } = await planScope(s, spec, o.now ?? Date.now(), { env: o.env });
      out.push({ ...base, region: s.region, images: decisions, summary: summaryOf(decisions) });
    } catch (e) {
      out.push({ ...base, cannotAssess: `cannot assess: ${e instanceof Error ? e.message : String(e)}` });
    }
  }
  return out;
}

/** The images a retention's `up` deletes (none for a dry run). */
export function retentionDeletes(r: RetentionReport): RetentionDecision[] {
  return r.dryRun ? [] : r.images.filter((d) => d.action === "delete");
}

/** What a retention's `up` changes, in a few words (e.g. `2 delete, 1 deprecate`; `nothing due`). */
export function retentionChangeText(r: RetentionReport): string {
  if (r.cannotAssess) return "not assessed";
  const due = Object.entries(r.summary).filter(([a]) => changes({ action: a as RetentionDecision["action"] }));
  const text = due.length ? due.map(([a, n]) => `${n} ${a}`).join(", ") : "nothing due";
  return r.dryRun ? `dry run (would: ${text})` : text;
}

/** The table lines of one retention: a heading and one line per image of its scope. */
export function retentionLines(r: RetentionReport): string[] {
  const head = `${r.name} (ImageRetention, ${r.op}${r.region ? `, ${r.region}` : ""}): ${retentionChangeText(r)}`;
  if (r.cannotAssess) return [head, `  - ${r.cannotAssess}`];
  return [
    head,
    ...r.images.map(
      (d) =>
        `  - ${d.imageId} ${d.imageName}: ${d.action.toUpperCase()}: ${d.reason}` +
        (d.nextStageDue ? ` (next stage due ${d.nextStageDue})` : ""),
    ),
  ];
}
