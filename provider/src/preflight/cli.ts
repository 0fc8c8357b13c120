/**
 * `cvm-image preflight`: the command-line front end of {@link runPreflight}.
 */
import { PreflightError } from "./errors";
import { EXIT, exitCodeFor } from "./exit-code";
import { formatReport } from "./format";
import { parsePreflightArgs, PREFLIGHT_USAGE, UsageError } from "./options";
import { runPreflight, type PreflightOptions } from "./run";

/** Streams and overrides the CLI uses; tests replace them. */
export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin?: NodeJS.ReadableStream;
  /** Extra options passed to {@link runPreflight} (e.g. `assess`, `env`). */
  preflight?: Partial<PreflightOptions>;
}

const write = (stream: NodeJS.WritableStream, text: string): Promise<void> =>
  new Promise((resolve) => stream.write(text, () => resolve()));

/**
 * Runs `cvm-image preflight` with `argv` (the arguments after the subcommand)
 * and returns the exit code: 0 all clear, 2 blocked (or deletions with
 * `--fail-on delete`), 1 usage or access error, or a failed cloud check (after the report).
 */
export async function runPreflightCli(
  argv: string[],
  io: CliIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  let args;
  try {
    args = parsePreflightArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    await write(io.stderr, `cvm-image preflight: ${e.message}\n\n${PREFLIGHT_USAGE}\n`);
    return EXIT.error;
  }
  if (args.help) {
    await write(io.stdout, `${PREFLIGHT_USAGE}\n`);
    return EXIT.clear;
  }
  try {
    const report = await runPreflight({
      ...io.preflight,
      stack: args.stack,
      cwd: args.cwd,
      destroy: args.destroy,
      plan: args.plan,
      pulumiArgs: args.pulumiArgs,
      showSecrets: args.showSecrets,
      stdin: io.stdin ?? io.preflight?.stdin,
    });
    await write(io.stdout, formatReport(report, args.format));
    // The report says it too, but stdout often goes to a file (a CI comment): the log shows why.
    if (report.cloudError !== undefined)
      await write(io.stderr, `cvm-image preflight: cloud check failed: ${report.cloudError}\n`);
    return exitCodeFor(report, args.failOn);
  } catch (e) {
    if (!(e instanceof PreflightError)) throw e;
    await write(io.stderr, `cvm-image preflight: ${e.message}\n`);
    return EXIT.error;
  }
}
