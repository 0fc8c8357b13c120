/**
 * `runPreflight`: the library entry point (plan in, report out).
 */

import { assessDeletions } from "./assess";
import {
  exportedResources,
  loadPlan,
  opacityOf,
  revealOldStates,
  runPulumiStateExport,
  type PlanSourceOptions,
} from "./plan";
import { buildReport, type AssessDeletions, type DeletionDecision, type PreflightReport } from "./report";
import { collectImagePlan } from "./steps";
import { assessmentTargets, classifyDeletions } from "./targets";
import { assessRetentions, plannedRetentions, type RetentionReport } from "./retentions";

/** Options of {@link runPreflight}. */
export interface PreflightOptions extends PlanSourceOptions {
  /** Stack config for the cloud calls; defaults to the plain (non-secret) config printed in the preview. */
  config?: Record<string, string>;
  /** Replaces the provider's `assessDeletions` (tests, custom clients). */
  assess?: AssessDeletions;
  /**
   * Read the values the preview masks as secret (e.g. a secret `sharedWith`) from the stack's state,
   * with `pulumi stack export --show-secrets` (needs the secrets passphrase or provider). The report
   * may then show them.
   */
  showSecrets?: boolean;
  /** Replaces the state export of `showSecrets` (tests): returns what `pulumi stack export --show-secrets` prints. */
  exportState?: () => Promise<unknown>;
}

/** The non-secret string values of the config printed in a preview (pure). */
export function plainConfig(config: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(config ?? {})) if (typeof v === "string" && !opacityOf(v)) out[k] = v;
  return out;
}

/**
 * Runs the deletion preflight: gets the plan (running `pulumi` unless `plan` or
 * `preview` is given), finds every CustomImage it deletes, asks the cloud with
 * read-only calls what each delete would do, and returns the report.
 * Credentials are read by the provider from `env` (default `process.env`). When the cloud check
 * fails (the endpoint cannot be reached, the credentials are refused, …) the report still comes
 * back: the images it was to assess are `unassessable` with the reason, also in `cloudError`.
 * @throws PreflightError for unreadable plans or a failing `pulumi`.
 */
export async function runPreflight(options: PreflightOptions = {}): Promise<PreflightReport> {
  const { digest, source } = await loadPlan(options);
  const notes: string[] = [];
  if (options.showSecrets) {
    const exported = await (options.exportState ?? (() => runPulumiStateExport(options)))();
    const { revealed } = revealOldStates(digest, exportedResources(exported));
    if (revealed > 0) {
      notes.push(
        `secret values of ${revealed} resource${revealed === 1 ? "" : "s"} were read from the state ` +
          `(--show-secrets), so this report may show them (e.g. the accounts of a secret sharedWith)`,
      );
    }
  }
  const plan = collectImagePlan(digest);
  // A destroy preview the preflight ran itself is a destroy, however far the engine got.
  if (source.kind === "destroy-preview") plan.isDestroy = true;
  const classified = classifyDeletions(plan);
  const targets = assessmentTargets(classified);
  let assessments: DeletionDecision[] = [];
  let cloudError: string | undefined;
  if (targets.length > 0) {
    const assess = options.assess ?? assessDeletions;
    const env = { ...process.env, ...options.env };
    try {
      assessments = await assess(targets, { env, config: options.config ?? plainConfig(digest.config) });
    } catch (e) {
      cloudError = e instanceof Error ? e.message : String(e);
    }
  }
  const planned = plannedRetentions(digest);
  const retentions: RetentionReport[] = planned.length
    ? await assessRetentions(planned, {
        env: { ...process.env, ...options.env },
        config: options.config ?? plainConfig(digest.config),
      })
    : [];
  return buildReport({
    digest,
    retentions,
    plan,
    classified,
    assessments,
    source,
    notes,
    ...(cloudError !== undefined ? { cloudError } : {}),
  });
}
