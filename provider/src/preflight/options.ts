/**
 * Parses `cvm-image preflight` arguments (pure).
 */
import { suggestName, unknownName } from "../cli/suggest";
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
      "--plan reads a saved preview; --stack, --cwd, --destroy, --show-secrets and pulumi arguments only apply when preflight runs pulumi",
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
