/**
 * Runs `pulumi preview --json` (or `pulumi destroy --preview-only --json`) and
 * returns the parsed plan.
 */
import { spawn } from "node:child_process";
import { PreflightError } from "./errors";
import { parsePreviewJson, PlanParseError, type PreviewDigest } from "./plan-shape";

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
      "Reading secrets needs the stack's secrets passphrase (PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE) or access to its secrets provider",
  );
}
