/**
 * The plan: the document `pulumi preview --json` prints, how it masks values, and how the preflight
 * gets it (a saved file, stdin, a document in hand or a `pulumi` run; masked values from the state).
 */
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { UNKNOWN } from "../schema/types";
import type { PlanSource } from "./report";

// The one error type the preflight throws on purpose.

/** `usage`: bad options; `access`: the plan, `pulumi` or the cloud could not be read. */
export type PreflightErrorKind = "usage" | "access";

/** An error meant for the user, without a stack trace. */
export class PreflightError extends Error {
  /** Always `"PreflightError"`. */
  override name = "PreflightError";
  constructor(
    /** `usage` for bad options, `access` when the plan, `pulumi` or the cloud could not be read. */
    readonly kind: PreflightErrorKind,
    message: string,
  ) {
    super(message);
  }
}

// The document `pulumi preview --json` and
// `pulumi destroy --preview-only --json` print, and a validating parser for it.

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

// How the engine masks values it cannot or will not show in preview JSON.

/** The engine's placeholder for a value not known until `pulumi up` (any property type); defined in schema/types. */
export { UNKNOWN };

/** What preview JSON shows instead of a secret value. */
export const SECRET = "[secret]";

/** Signature key of a serialized secret in state exports (`pulumi stack export`). */
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG_VALUE = "1b47061264138c4ac30d75fd1eb44270";

/** Why a value cannot be read. */
export type Opacity = "secret" | "unknown";

/** Returns whether `value` itself is a masked secret or an unknown, else undefined. */
export function opacityOf(value: unknown): Opacity | undefined {
  if (value === SECRET) return "secret";
  if (value === UNKNOWN) return "unknown";
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    if ((value as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG_VALUE) return "secret";
  }
  return undefined;
}

/** A masked value found inside a property tree. */
export interface OpaqueValue {
  /** Dotted path of the value, e.g. `deletionPolicy.unmanagedShares` or `sharedWith[1]`. */
  path: string;
  opacity: Opacity;
}

/** Lists every secret or unknown value in `value`, depth first. */
export function findOpaque(value: unknown, path: string): OpaqueValue[] {
  const opacity = opacityOf(value);
  if (opacity) return [{ path, opacity }];
  if (Array.isArray(value)) return value.flatMap((v, i) => findOpaque(v, `${path}[${i}]`));
  if (typeof value === "object" && value !== null) {
    return Object.entries(value).flatMap(([k, v]) => findOpaque(v, path ? `${path}.${k}` : k));
  }
  return [];
}

/** Describes masked values for people: `imageId (secret), region (unknown until apply)`. */
export function describeOpaque(values: OpaqueValue[]): string {
  return values.map((v) => `${v.path} (${v.opacity === "secret" ? "secret" : "unknown until apply"})`).join(", ");
}

// `--show-secrets`: the values a preview masks, read back from the stack's state as
// `pulumi stack export --show-secrets` prints it (pure).

/**
 * Replaces every exported secret (`{<sig>: <secret sig>, plaintext: "<JSON>"}`) by its value. A secret
 * still encrypted (`ciphertext`, exported without `--show-secrets`) stays as it is.
 */
export function unwrapSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (!isObject(value)) return value;
  if (value[SECRET_SIG_KEY] === SECRET_SIG_VALUE && typeof value.plaintext === "string") {
    try {
      return unwrapSecrets(JSON.parse(value.plaintext));
    } catch {
      return value;
    }
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrapSecrets(v)]));
}

/** The resources of a state export (`deployment.resources`), secrets unwrapped. */
export function exportedResources(doc: unknown): ResourceState[] {
  const resources = isObject(doc) && isObject(doc.deployment) ? doc.deployment.resources : undefined;
  if (!Array.isArray(resources)) return [];
  return resources
    .filter((r): r is ResourceState => isObject(r) && typeof r.urn === "string")
    .map((r) => unwrapSecrets(r) as ResourceState);
}

const masked = (state: ResourceState): boolean =>
  findOpaque({ inputs: state.inputs, outputs: state.outputs }, "").length > 0;

/**
 * Fills in the masked inputs and outputs of the plan's old states (what deletions delete) from the
 * exported resources with the same URN and id. Returns the plan, changed in place, and how many
 * states were filled in.
 */
export function revealOldStates(
  digest: PreviewDigest,
  resources: ResourceState[],
): { digest: PreviewDigest; revealed: number } {
  let revealed = 0;
  for (const step of digest.steps) {
    const old = step.oldState;
    if (!old || !masked(old)) continue;
    const match = resources.find((r) => r.urn === old.urn && r.id === old.id && !masked(r));
    if (!match) continue;
    step.oldState = { ...old, inputs: match.inputs, outputs: match.outputs };
    revealed++;
  }
  return { digest, revealed };
}

// Runs `pulumi preview --json` (or `pulumi destroy --preview-only --json`) and returns the parsed
// plan; runs `pulumi stack export --show-secrets` for `--show-secrets`.

/** What to preview. */
export interface PulumiPreviewOptions {
  /** The stack to preview (`--stack`); default: the selected stack. */
  stack?: string;
  /** The Pulumi project directory (`--cwd`); default: the current directory. */
  cwd?: string;
  /** Preview `pulumi destroy` instead of `pulumi up`. */
  destroy?: boolean;
  /** The CLI to run; defaults to `PULUMI_BIN` from the environment, then `pulumi` on PATH. */
  pulumiBin?: string;
  /** Extra environment for the CLI (merged over `process.env`). */
  env?: Record<string, string | undefined>;
  /** More `pulumi` arguments, e.g. `["--config-file", "ci.yaml", "--target", urn]`. */
  pulumiArgs?: string[];
}

/** The CLI arguments for a JSON preview (pure). */
export function previewArgs(opts: PulumiPreviewOptions): string[] {
  const args = opts.destroy
    ? ["destroy", "--preview-only", "--json", "--non-interactive"]
    : ["preview", "--json", "--non-interactive", "--show-replacement-steps"];
  if (opts.stack) args.push("--stack", opts.stack);
  if (opts.cwd) args.push("--cwd", opts.cwd);
  return [...args, ...(opts.pulumiArgs ?? [])];
}

/** Which `pulumi` binary to run (pure). */
export function pulumiBinary(opts: PulumiPreviewOptions, env: Record<string, string | undefined>): string {
  return opts.pulumiBin ?? env.PULUMI_BIN ?? "pulumi";
}

const tail = (text: string, lines: number): string => text.trimEnd().split("\n").slice(-lines).join("\n");

/** What one `pulumi` run printed. */
interface PulumiRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `bin args` and collects its output; throws PreflightError when it cannot start. */
async function runPulumi(bin: string, args: string[], env: NodeJS.ProcessEnv): Promise<PulumiRun> {
  return new Promise<PulumiRun>((resolve, reject) => {
    const child = spawn(bin, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("error", reject);
    child.on("close", (c) =>
      resolve({ code: c, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") }),
    );
  }).catch((e: NodeJS.ErrnoException) => {
    const hint = e.code === "ENOENT" ? " (install the Pulumi CLI, put it on PATH or set PULUMI_BIN)" : "";
    throw new PreflightError("access", `cannot run ${bin}: ${e.message}${hint}`);
  });
}

/**
 * Runs the preview. A preview that exits non-zero but still prints its JSON
 * document (e.g. a protected resource would be deleted) is returned; the
 * engine's error diagnostics are in the document.
 * @throws PreflightError (`access`) when the CLI cannot run or prints no plan.
 */
export async function runPulumiPreview(opts: PulumiPreviewOptions): Promise<PreviewDigest> {
  const env = { ...process.env, ...opts.env };
  const bin = pulumiBinary(opts, env);
  const args = previewArgs(opts);
  const { code, stdout, stderr } = await runPulumi(bin, args, env);
  try {
    return parsePreviewJson(stdout);
  } catch (e) {
    if (!(e instanceof PlanParseError)) throw e;
    const detail = tail(stderr || stdout, 20) || e.message;
    throw new PreflightError("access", `${bin} ${args.join(" ")} failed (exit ${code ?? "signal"}):\n${detail}`);
  }
}

/** The CLI arguments that export the stack's state with secrets in plaintext (pure). */
export function stateExportArgs(opts: Pick<PulumiPreviewOptions, "stack" | "cwd">): string[] {
  const args = ["stack", "export", "--show-secrets", "--non-interactive"];
  if (opts.stack) args.push("--stack", opts.stack);
  if (opts.cwd) args.push("--cwd", opts.cwd);
  return args;
}

/**
 * Runs `pulumi stack export --show-secrets` and returns the parsed document. Decrypting needs the
 * stack's secrets passphrase or secrets provider, as any `pulumi` command that shows secrets.
 * @throws PreflightError (`access`) when it fails or prints no JSON.
 */
export async function runPulumiStateExport(opts: PulumiPreviewOptions): Promise<unknown> {
  const env = { ...process.env, ...opts.env };
  const bin = pulumiBinary(opts, env);
  const args = stateExportArgs(opts);
  const { code, stdout, stderr } = await runPulumi(bin, args, env);
  if (code === 0) {
    try {
      return JSON.parse(stdout);
    } catch {
      /* reported below */
    }
  }
  throw new PreflightError(
    "access",
    `--show-secrets: ${bin} ${args.join(" ")} failed (exit ${code ?? "signal"}):\n${tail(stderr || stdout, 20)}\n` +
      "Reading secrets needs the stack's secrets passphrase (PULUMI_CONFIG_PASSPHRASE or " +
      "PULUMI_CONFIG_PASSPHRASE_FILE) or access to its secrets provider",
  );
}

// Gets the plan: from a saved preview file, stdin, a document in memory, or a fresh `pulumi` run.

/** Where to get the plan from. */
export interface PlanSourceOptions extends PulumiPreviewOptions {
  /** A saved preview JSON file, or `-` for stdin. */
  plan?: string;
  /** A preview document already in hand: the parsed object or its JSON text. */
  preview?: PreviewDigest | string;
  /** Stream read for `plan: "-"` (default `process.stdin`). */
  stdin?: NodeJS.ReadableStream;
}

/** A plan and where it came from. */
export interface LoadedPlan {
  digest: PreviewDigest;
  source: PlanSource;
}

async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString("utf8");
}

function parseOrThrow(text: string, from: string): PreviewDigest {
  try {
    return parsePreviewJson(text);
  } catch (e) {
    if (e instanceof PlanParseError) throw new PreflightError("access", `${from}: ${e.message}`);
    throw e;
  }
}

/**
 * Loads the plan named by `opts`.
 * @throws PreflightError (`access`) when it cannot be read or is not preview JSON.
 */
export async function loadPlan(opts: PlanSourceOptions): Promise<LoadedPlan> {
  if (opts.preview !== undefined) {
    const digest =
      typeof opts.preview === "string"
        ? parseOrThrow(opts.preview, "preview document")
        : wrap(() => asPreviewDigest(opts.preview));
    return { digest, source: { kind: "document" } };
  }
  if (opts.plan === "-") {
    return { digest: parseOrThrow(await readStream(opts.stdin ?? process.stdin), "stdin"), source: { kind: "stdin" } };
  }
  if (opts.plan !== undefined) {
    const text = await readFile(opts.plan, "utf8").catch((e: Error) => {
      throw new PreflightError("access", `cannot read plan file: ${e.message}`);
    });
    return { digest: parseOrThrow(text, opts.plan), source: { kind: "file", path: opts.plan } };
  }
  const digest = await runPulumiPreview(opts);
  return { digest, source: { kind: opts.destroy ? "destroy-preview" : "preview", stack: opts.stack, cwd: opts.cwd } };
}

function wrap(parse: () => PreviewDigest): PreviewDigest {
  try {
    return parse();
  } catch (e) {
    if (e instanceof PlanParseError) throw new PreflightError("access", `preview document: ${e.message}`);
    throw e;
  }
}
