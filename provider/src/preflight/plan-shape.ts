/**
 * The JSON document printed by `pulumi preview --json` and
 * `pulumi destroy --preview-only --json`, and a validating parser for it.
 */

/** A resource as serialized in preview JSON (apitype.ResourceV3); only fields the preflight reads. */
export interface ResourceState {
  urn: string;
  type: string;
  custom?: boolean;
  id?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  parent?: string;
  provider?: string;
  protect?: boolean;
  retainOnDelete?: boolean;
  deletedWith?: string;
  external?: boolean;
  delete?: boolean;
  pendingReplacement?: boolean;
}

/** One step of the plan. */
export interface PreviewStep {
  op: string;
  urn: string;
  /** Not printed by the engine (3.248); accepted when a tool adds it. */
  type?: string;
  provider?: string;
  oldState?: ResourceState;
  newState?: ResourceState;
  diffReasons?: string[];
  replaceReasons?: string[];
  detailedDiff?: Record<string, { kind: string; inputDiff?: boolean }> | null;
}

/** A diagnostic the engine reported while previewing. */
export interface PreviewDiagnostic {
  urn?: string;
  prefix?: string;
  message?: string;
  severity?: string;
}

/** The whole preview document. */
export interface PreviewDigest {
  config?: Record<string, unknown>;
  steps: PreviewStep[];
  diagnostics?: PreviewDiagnostic[];
  duration?: number;
  changeSummary?: Record<string, number>;
  maybeCorrupt?: boolean;
}

/** Thrown when a document is not preview JSON. */
export class PlanParseError extends Error {
  override name = "PlanParseError";
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function checkState(v: unknown, where: string): void {
  if (v === undefined) return;
  if (!isObject(v) || typeof v.urn !== "string" || typeof v.type !== "string") {
    throw new PlanParseError(`${where}: expected a resource state with "urn" and "type"`);
  }
}

/**
 * Validates an already-parsed value as a preview document.
 * @throws PlanParseError naming the first offending step.
 */
export function asPreviewDigest(value: unknown): PreviewDigest {
  if (!isObject(value) || !Array.isArray(value.steps)) {
    throw new PlanParseError('not a Pulumi preview: expected a JSON object with a "steps" array');
  }
  value.steps.forEach((step: unknown, i: number) => {
    const where = `steps[${i}]`;
    if (!isObject(step) || typeof step.op !== "string" || typeof step.urn !== "string") {
      throw new PlanParseError(`${where}: expected "op" and "urn" strings`);
    }
    checkState(step.oldState, `${where}.oldState`);
    checkState(step.newState, `${where}.newState`);
  });
  if (value.diagnostics !== undefined && !Array.isArray(value.diagnostics)) {
    throw new PlanParseError('"diagnostics" must be an array');
  }
  return value as unknown as PreviewDigest;
}

/**
 * Parses preview JSON text. Lines printed before the document (some CI wrappers
 * echo the command) are skipped.
 * @throws PlanParseError when no preview document can be read.
 */
export function parsePreviewJson(text: string): PreviewDigest {
  const start = text.search(/^\{/m);
  if (start < 0) throw new PlanParseError("no JSON object found in the preview output");
  let value: unknown;
  try {
    value = JSON.parse(text.slice(start));
  } catch (err) {
    throw new PlanParseError(`preview output is not valid JSON: ${(err as Error).message}`);
  }
  return asPreviewDigest(value);
}
