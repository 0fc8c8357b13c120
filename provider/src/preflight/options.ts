/**
 * Parses `cvm-image preflight` arguments (pure).
 */
import { FAIL_ON_VALUES, type FailOn } from "./exit-code";
import { REPORT_FORMATS, type ReportFormat } from "./format";

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

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${name} must be one of ${allowed.join(", ")} (got "${value}")`);
}

/**
 * Parses the arguments after `preflight`.
 * @throws UsageError on unknown options, missing values or conflicting options.
 */
export function parsePreflightArgs(argv: readonly string[]): PreflightArgs {
  const values: Partial<Record<"stack" | "cwd" | "plan" | "format" | "failOn", string>> = {};
  let destroy = false;
  let help = false;
  let showSecrets = false;
  const rest = argv.indexOf("--");
  const own = rest < 0 ? argv : argv.slice(0, rest);
  const pulumiArgs = rest < 0 ? [] : argv.slice(rest + 1);
  for (let i = 0; i < own.length; i++) {
    const arg = own[i] as string;
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (flag === "-h" || flag === "--help") help = true;
    else if (flag === "--destroy") destroy = true;
    else if (flag === "--show-secrets") showSecrets = true;
    else if (flag in VALUE_OPTIONS) {
      const key = VALUE_OPTIONS[flag] as keyof typeof values;
      const value = eq > 0 ? arg.slice(eq + 1) : own[++i];
      if (value === undefined || value === "" || (value.startsWith("-") && value !== "-")) {
        throw new UsageError(`${flag} needs a value`);
      }
      if (values[key] !== undefined) throw new UsageError(`${flag} given twice`);
      values[key] = value;
    } else {
      throw new UsageError(arg.startsWith("-") ? `unknown option ${arg}` : `unexpected argument "${arg}"`);
    }
  }
  if (values.plan !== undefined && (destroy || showSecrets || values.stack !== undefined || values.cwd !== undefined || pulumiArgs.length > 0)) {
    throw new UsageError("--plan reads a saved preview; --stack, --cwd, --destroy, --show-secrets and pulumi arguments only apply when preflight runs pulumi");
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
