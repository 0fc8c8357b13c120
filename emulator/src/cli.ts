/**
 * The `emulator` subcommand of `cvm-image`: start the emulator, print ready-to-eval `export` lines
 * for the default account on stdout (nothing else goes there) and the URL and logs on stderr,
 * run until SIGINT/SIGTERM, save state, exit 0.
 */
import { EmulatorOptions, startEmulator } from "./emulator";
import { writeProfiles } from "./profiles";

export const CLI_USAGE = `Usage: cvm-image emulator [options]

Runs the local Tencent Cloud CVM image API emulator until SIGINT/SIGTERM.

stdout: only shell lines, \`export NAME='value'\`, for the default account (credentials,
region, and TENCENTCLOUD_CVM_ENDPOINT, the URL), once it is listening:
  cvm-image emulator --port 0 > emulator.env &  ...  . ./emulator.env
stderr: the URL ("listening on http://...") and logs; secrets never appear there.

Exit codes: 0 stopped by SIGINT/SIGTERM, or --help; 1 could not start, or a usage error
(unknown option, missing or bad value).

Options:
  --host HOST                 interface to listen on (default 127.0.0.1)
  --port N                    port; 0 picks a free one (default 0)
  --state FILE                keep state in FILE (loaded on start, written atomically on every change)
  --seed FILE                 fixture file replacing the default fixtures
  --no-rate-limits            turn the per-action rate limits off
  --latency-ms N              extra latency per API call (default 0)
  --creating-ms N             CREATING duration (default 1500)
  --importing-ms N            IMPORTING duration (default 1500)
  --syncing-ms N              SYNCING duration (default 1500)
  --delete-lag-ms N           how long deleted images stay visible (default 500)
  --max-delete-batch N        largest ImageIds list per DeleteImages (default 100)
  --max-share-accounts N      largest AccountIds list per ModifyImageSharePermission (default 100)
  --share-cap N               accounts per shared image (default 500)
  --image-quota N             custom images per account and region (default 500)
  --fail-names A,B            images whose name contains A or B end in CREATEFAILED/IMPORTFAILED
  --random-seed N             seed of ids and fault probabilities, to repeat a run exactly
                              (default: faults from seed 1, ids from a random start)
  --signature-tolerance N     allowed clock skew in seconds (default 300)
  --write-profiles DIR        write every account as a tccli credential profile in DIR
                              (<account>.credential and <account>.configure, as
                              \`tccli configure --profile <account>\` does), for
                              TENCENTCLOUD_SHARED_CREDENTIALS_DIR=DIR
  -h, --help                  show this help
`;

/** The subcommand's options: the emulator's, and what the command does besides running it. */
export interface EmulatorCliOptions extends EmulatorOptions {
  /** Write every account as a credential profile into this folder once the emulator listens. */
  writeProfilesDir?: string;
}

type Setter = (o: EmulatorCliOptions, v: string) => void;

function integer(flag: string, v: string): number {
  if (!/^\d+$/.test(v)) throw new Error(`${flag} needs a non-negative integer, got \`${v}\``);
  return Number(v);
}

const timing =
  (key: keyof NonNullable<EmulatorOptions["timing"]>, flag: string): Setter =>
  (o, v) => {
    o.timing = { ...o.timing, [key]: integer(flag, v) };
  };
const limit =
  (key: keyof NonNullable<EmulatorOptions["limits"]>, flag: string): Setter =>
  (o, v) => {
    o.limits = { ...o.limits, [key]: integer(flag, v) };
  };

const VALUE_FLAGS: Record<string, Setter> = {
  "--host": (o, v) => (o.host = v),
  "--port": (o, v) => (o.port = integer("--port", v)),
  "--state": (o, v) => (o.statePath = v),
  "--seed": (o, v) => (o.seedPath = v),
  "--latency-ms": (o, v) => (o.latencyMs = integer("--latency-ms", v)),
  "--creating-ms": timing("creatingMs", "--creating-ms"),
  "--importing-ms": timing("importingMs", "--importing-ms"),
  "--syncing-ms": timing("syncingMs", "--syncing-ms"),
  "--delete-lag-ms": timing("deleteLagMs", "--delete-lag-ms"),
  "--max-delete-batch": limit("maxDeleteBatch", "--max-delete-batch"),
  "--max-share-accounts": limit("maxShareAccountsPerCall", "--max-share-accounts"),
  "--share-cap": limit("shareCapPerImage", "--share-cap"),
  "--image-quota": limit("imageQuota", "--image-quota"),
  "--fail-names": (o, v) => (o.failImageNamesContaining = v.split(",").filter((s) => s !== "")),
  "--random-seed": (o, v) => (o.randomSeed = integer("--random-seed", v)),
  "--signature-tolerance": (o, v) => (o.signatureTolerance = integer("--signature-tolerance", v)),
  "--write-profiles": (o, v) => (o.writeProfilesDir = v),
};

/** Every option of the subcommand, which an unknown option is compared with. */
export const EMULATOR_OPTIONS: readonly string[] = ["--help", "--no-rate-limits", ...Object.keys(VALUE_FLAGS)];

/**
 * Words an unknown option. `cvm-image` passes its own, which adds "did you mean" (the emulator
 * package does not depend on it); run directly, the emulator names the option only.
 */
export type UnknownOptionText = (typed: string, known: readonly string[]) => string;

const plainUnknownOption: UnknownOptionText = (typed) => `unknown option: ${typed}`;

/**
 * Parse the subcommand's flags (a leading `emulator` word is skipped). Returns undefined for --help.
 * @throws Error with the usage error's message.
 */
export function parseEmulatorArgs(
  argv: string[],
  unknownOption: UnknownOptionText = plainUnknownOption,
): EmulatorCliOptions | undefined {
  const args = argv[0] === "emulator" ? argv.slice(1) : [...argv];
  const options: EmulatorCliOptions = {};
  for (let i = 0; i < args.length; i++) {
    let arg = args[i]!;
    let value: string | undefined;
    const eq = arg.indexOf("=");
    if (arg.startsWith("--") && eq !== -1) {
      value = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    if (arg === "-h" || arg === "--help") return undefined;
    if (arg === "--no-rate-limits") {
      options.rateLimits = false;
      continue;
    }
    const setter = Object.hasOwn(VALUE_FLAGS, arg) ? VALUE_FLAGS[arg] : undefined;
    if (!setter) throw new Error(unknownOption(arg, EMULATOR_OPTIONS));
    if (value === undefined) {
      value = args[++i];
      if (value === undefined) throw new Error(`${arg} needs a value`);
    }
    setter(options, value);
  }
  return options;
}

/** A value quoted for POSIX shells: in single quotes, each `'` written as `'\\''`. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, "'\\''")}'`;
}

/** `export NAME='value'` lines, one per variable, for `eval` or `.` in a POSIX shell. */
export function exportLines<T extends { [K in keyof T]: string }>(env: T): string {
  return Object.entries<string>(env)
    .map(([k, v]) => `export ${k}=${shellQuote(v)}\n`)
    .join("");
}

/**
 * Run `cvm-image emulator` with these arguments; resolves with the exit code once stopped: 0, or 1
 * when it cannot start or the arguments are wrong.
 */
export async function runEmulatorCli(
  argv: string[],
  deps: { unknownOption?: UnknownOptionText } = {},
): Promise<number> {
  let options: EmulatorCliOptions | undefined;
  try {
    options = parseEmulatorArgs(argv, deps.unknownOption);
  } catch (e) {
    process.stderr.write(`cvm-image emulator: ${(e as Error).message}\n\n${CLI_USAGE}`);
    return 1;
  }
  if (!options) {
    process.stdout.write(CLI_USAGE);
    return 0;
  }
  let emulator;
  try {
    emulator = await startEmulator(options);
  } catch (e) {
    process.stderr.write(`cvm-image emulator: ${(e as Error).message}\n`);
    return 1;
  }
  let profiles = "";
  if (options.writeProfilesDir) {
    try {
      const written = writeProfiles(options.writeProfilesDir, emulator);
      profiles = `; profiles ${written.map((p) => p.profile).join(", ")} in ${options.writeProfilesDir}`;
    } catch (e) {
      process.stderr.write(
        `cvm-image emulator: --write-profiles ${options.writeProfilesDir}: ${(e as Error).message}\n`,
      );
      await emulator.stop();
      return 1;
    }
  }
  process.stdout.write(exportLines(emulator.env()));
  process.stderr.write(
    `cvm-image emulator: listening on ${emulator.url}; accounts ` +
      `${emulator.accounts.map((a) => `${a.name} (${a.uin})`).join(", ")}; ` +
      `default region ${emulator.defaultRegion}; rate limits ${emulator.settings.rateLimits ? "on" : "off"}` +
      `${options.statePath ? `; state in ${options.statePath}` : ""}${profiles}. Stop with Ctrl-C.\n`,
  );
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    const onSignal = (s: NodeJS.Signals) => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      resolve(s);
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
  await emulator.stop();
  process.stderr.write(`cvm-image emulator: ${signal} received, ${options.statePath ? "state saved, " : ""}stopped.\n`);
  return 0;
}

if (require.main === module) {
  runEmulatorCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`cvm-image emulator: ${(e as Error)?.stack ?? String(e)}\n`);
      process.exit(1);
    },
  );
}
