/**
 * `cvm-image preflight`: the command-line front end of {@link runPreflight}: its arguments (parsed
 * purely), its exit-code policy (pure), and the command itself.
 */
import { suggestName, unknownName } from "../cli/suggest";
import { formatReport, REPORT_FORMATS, type ReportFormat } from "./format";
import { PreflightError } from "./plan";
import type { PreflightReport } from "./report";
import { runPreflight, type PreflightOptions } from "./run";

// The exit-code policy.

/** Exit codes of `cvm-image preflight`. */
export const EXIT = {
  /** Nothing the `--fail-on` policy objects to. */
  clear: 0,
  /** Usage error, unreadable plan, failed `pulumi` run or failed cloud check (the report is still written). */
  error: 1,
  /** Something is blocked (or, with `--fail-on delete`, an image would be deleted). */
  failed: 2,
} as const;

/** When the preflight should fail. */
export type FailOn = "blocked" | "delete" | "never";

/** Every accepted `--fail-on` value. */
export const FAIL_ON_VALUES: readonly FailOn[] = ["blocked", "delete", "never"];

/**
 * Maps a report to an exit code: a report whose cloud check failed (`cloudError`) is an error
 * whatever `failOn` says; otherwise `blocked` fails on a blocked verdict (blocked or
 * unassessable images, engine errors, certain refactor breakage), `delete` also
 * fails when any image would be deleted, and `never` returns 0.
 */
export function exitCodeFor(report: PreflightReport, failOn: FailOn): number {
  if (report.cloudError !== undefined) return EXIT.error;
  switch (failOn) {
    case "never":
      return EXIT.clear;
    case "delete":
      return report.verdict === "clear" ? EXIT.clear : EXIT.failed;
    case "blocked":
      return report.verdict === "blocked" ? EXIT.failed : EXIT.clear;
  }
}

// Parses `cvm-image preflight` arguments.

/** Usage text of `cvm-image preflight`. */
export const PREFLIGHT_USAGE = `Usage: cvm-image preflight [options] [-- pulumi arguments]

Reports what deleting each Tencent Cloud CustomImage in a Pulumi plan would do,
using read-only cloud calls. Runs \`pulumi preview --json\` unless --plan is given.

Options:
  -s, --stack NAME        stack to preview (default: the selected stack)
  -C, --cwd DIR           Pulumi project directory (default: current directory)
      --destroy           preview \`pulumi destroy\` instead of \`pulumi up\`
      --plan FILE|-       read a saved \`pulumi preview --json\` document (\`-\`: stdin)
      --format FORMAT     table (default), markdown or json
      --fail-on WHEN      blocked (default), delete or never
      --show-secrets      read secret values of the deleted resources from the state
                          (\`pulumi stack export --show-secrets\`: needs the secrets
                          passphrase or provider); the report may show them
  -h, --help              show this help
  -- ARGS                 pass the rest to pulumi (e.g. -- --config-file ci.yaml)

Exit codes:
  0  all clear under --fail-on
  1  usage error, unreadable plan, failed pulumi run or failed cloud call
  2  something is blocked (with --fail-on delete: any image would be deleted)

Environment: PULUMI_BIN (the pulumi CLI to run), Tencent Cloud credentials as for the provider.`;

/** Parsed command line. */
export interface PreflightArgs {
  help: boolean;
  stack?: string;
  cwd?: string;
  destroy: boolean;
  plan?: string;
  format: ReportFormat;
  failOn: FailOn;
  /** Read secret values of deleted resources from the state (`pulumi stack export --show-secrets`). */
  showSecrets: boolean;
  /** Arguments after `--`, passed to `pulumi`. */
  pulumiArgs: string[];
}

/** Thrown for a bad command line; the message is for the user. */
export class UsageError extends Error {
  override name = "UsageError";
}

const VALUE_OPTIONS: Record<string, "stack" | "cwd" | "plan" | "format" | "failOn"> = {
  "--stack": "stack",
  "-s": "stack",
  "--cwd": "cwd",
  "-C": "cwd",
  "--plan": "plan",
  "--format": "format",
  "--fail-on": "failOn",
};

const FLAG_OPTIONS: Record<string, "help" | "destroy" | "showSecrets"> = {
  "--help": "help",
  "-h": "help",
  "--destroy": "destroy",
  "--show-secrets": "showSecrets",
};

/** The long options, which an unknown option is compared with for "did you mean". */
const LONG_OPTIONS: readonly string[] = [...Object.keys(FLAG_OPTIONS), ...Object.keys(VALUE_OPTIONS)].filter((o) =>
  o.startsWith("--"),
);

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  const near = suggestName(value, allowed);
  throw new UsageError(
    `${name} must be one of ${allowed.join(", ")} (got "${value}"${near ? `; did you mean ${near}?` : ""})`,
  );
}

/**
 * Parses the arguments after `preflight`.
 * @throws UsageError on unknown options, missing values or conflicting options.
 */
export function parsePreflightArgs(argv: readonly string[]): PreflightArgs {
  const values: Partial<Record<"stack" | "cwd" | "plan" | "format" | "failOn", string>> = {};
  const flags = { help: false, destroy: false, showSecrets: false };
  const rest = argv.indexOf("--");
  const own = rest < 0 ? argv : argv.slice(0, rest);
  const pulumiArgs = rest < 0 ? [] : argv.slice(rest + 1);
  for (let i = 0; i < own.length; i++) {
    const arg = own[i] as string;
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (Object.hasOwn(FLAG_OPTIONS, flag)) flags[FLAG_OPTIONS[flag]!] = true;
    else if (Object.hasOwn(VALUE_OPTIONS, flag)) {
      const key = VALUE_OPTIONS[flag] as keyof typeof values;
      const value = eq > 0 ? arg.slice(eq + 1) : own[++i];
      if (value === undefined || value === "" || (value.startsWith("-") && value !== "-")) {
        throw new UsageError(`${flag} needs a value`);
      }
      if (values[key] !== undefined) throw new UsageError(`${flag} given twice`);
      values[key] = value;
    } else {
      throw new UsageError(
        arg.startsWith("-") ? unknownName("option", flag, LONG_OPTIONS) : `unexpected argument "${arg}"`,
      );
    }
  }
  const { help, destroy, showSecrets } = flags;
  if (
    values.plan !== undefined &&
    (destroy || showSecrets || values.stack !== undefined || values.cwd !== undefined || pulumiArgs.length > 0)
  ) {
    throw new UsageError(
      "--plan reads a saved preview; --stack, --cwd, --destroy, --show-secrets and pulumi arguments only apply when " +
        "preflight runs pulumi",
    );
  }
  return {
    help,
    stack: values.stack,
    cwd: values.cwd,
    destroy,
    plan: values.plan,
    format: oneOf("--format", values.format ?? "table", REPORT_FORMATS),
    failOn: oneOf("--fail-on", values.failOn ?? "blocked", FAIL_ON_VALUES),
    showSecrets,
    pulumiArgs,
  };
}

// The command.

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
