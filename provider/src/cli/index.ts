/**
 * `cvm-image`: the command dispatcher behind `bin/cvm-image.js`. Subcommands are loaded only
 * when run; the emulator is a separate package and may not be installed.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { editDistance, suggestName, unknownName } from "./suggest";

export { editDistance, suggestName, unknownName };

/** The package `cvm-image emulator` runs. */
export const EMULATOR_PACKAGE = "@pulumi-tencentcloud-images/cvm-emulator";

/** Printed (on stderr, exit 1) when {@link EMULATOR_PACKAGE} is not installed. */
export const EMULATOR_MISSING =
  "cvm-image emulator: the emulator is a separate package; " + `install it with: npm install -D ${EMULATOR_PACKAGE}`;

/**
 * Exit codes of the dispatcher and of every command: a usage error is an error (1), as in
 * `cvm-image preflight`, whose 2 means "blocked", and `cvm-image prune`, whose 1 also means
 * "some change failed".
 */
export const CLI_EXIT = { ok: 0, error: 1 } as const;

export const COMMANDS = ["emulator", "preflight", "prune", "help"] as const;

/** The commands that run a subcommand (every command but `help`). */
type Subcommand = "emulator" | "preflight" | "prune";
const isSubcommand = (name: string): name is Subcommand =>
  name === "emulator" || name === "preflight" || name === "prune";
const OPTIONS = ["--help", "--version"] as const;

export const CVM_IMAGE_USAGE = `Usage: cvm-image <command> [options]
       cvm-image help [command]
       cvm-image --version

Commands:
  emulator        run the local CVM image API emulator until SIGINT/SIGTERM.
                  stdout: only \`export NAME='value'\` lines (credentials, region and
                  TENCENTCLOUD_CVM_ENDPOINT of the default account), to eval or source;
                  stderr: the URL and logs. A separate package:
                  npm install -D ${EMULATOR_PACKAGE}
  preflight       assess the image deletions a Pulumi plan would make.
                  stdout: the report; stderr: errors
  prune           delete the images of one scope (--family, --name-prefix, --tag) that
                  nothing keeps (--keep-newest, --keep-younger-than, in use, shared),
                  outside any stack; a dry run unless --yes. stdout: every image of
                  the scope with its action and reason; stderr: errors
  help [command]  show this help, or a command's own (same as \`cvm-image <command> --help\`)

Options:
  -h, --help      show this help
  -V, --version   print \`cvm-image <version>\`

Exit codes (of every command):
  0  success
  1  usage error (unknown command or option, with "did you mean" when one is close;
     a bad value), or runtime or access error (a failed cloud call, the emulator
     not installed, ...); prune: some change failed
  2  preflight only: something is blocked (see \`cvm-image help preflight\`)
`;

/** How a subcommand words an unknown option; the dispatcher passes {@link unknownName}'s, with "did you mean". */
export type UnknownOptionText = (typed: string, known: readonly string[]) => string;

/**
 * A subcommand's entry point: arguments after the command name, resolves with the exit code.
 * The emulator, a separate package, takes the dispatcher's wording of an unknown option.
 */
export type CommandRunner = (argv: string[], deps?: { unknownOption?: UnknownOptionText }) => Promise<number> | number;

/** Resolves and loads a module by id; `require` in production, a fake in tests. */
export type ModuleLoader = (id: string) => unknown;

export interface CvmImageIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export interface CvmImageDeps {
  /** Loads the subcommands' modules (default: this module's `require`). */
  load?: ModuleLoader;
  /** The version `--version` prints (default: from this package's package.json). */
  version?: string;
}

const write = (stream: NodeJS.WritableStream, text: string): Promise<void> =>
  new Promise((resolve) => stream.write(text, () => resolve()));

/** True when `err` is Node's MODULE_NOT_FOUND for `id` itself (not for a module `id` needs). */
export function isMissingModule(err: unknown, id: string): boolean {
  if (typeof err !== "object" || err === null) return false;
  const e = err as { code?: unknown; message?: unknown };
  return (
    e.code === "MODULE_NOT_FOUND" && typeof e.message === "string" && e.message.startsWith(`Cannot find module '${id}'`)
  );
}

/**
 * Loads `runEmulatorCli` from {@link EMULATOR_PACKAGE}; undefined when that package is not
 * installed. Any other error (a broken install, a missing dependency of the emulator) is thrown.
 */
export function loadEmulatorCli(load: ModuleLoader = require): CommandRunner | undefined {
  let mod: unknown;
  try {
    mod = load(EMULATOR_PACKAGE);
  } catch (e) {
    if (isMissingModule(e, EMULATOR_PACKAGE)) return undefined;
    throw e;
  }
  const run = (mod as { runEmulatorCli?: unknown } | undefined)?.runEmulatorCli;
  if (typeof run !== "function") throw new Error(`${EMULATOR_PACKAGE} does not export runEmulatorCli; reinstall it`);
  return run as CommandRunner;
}

/** The version of `pulumi-tencentcloud-images`, from its package.json. */
export function cvmImageVersion(): string {
  // dist/cli/index.js and src/cli/index.ts are both two levels below the package root.
  const pkg = JSON.parse(readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8")) as {
    version?: string;
  };
  return pkg.version ?? "unknown";
}

/** Prints a usage error and the hint; resolves with its exit code. */
async function usageError(io: CvmImageIo, message: string): Promise<number> {
  await write(io.stderr, `cvm-image: ${message}\nrun 'cvm-image help' for usage\n`);
  return CLI_EXIT.error;
}

/** Runs one subcommand, or explains why it cannot be run. */
async function runCommand(command: Subcommand, argv: string[], io: CvmImageIo, load: ModuleLoader): Promise<number> {
  if (command === "emulator") {
    const run = loadEmulatorCli(load);
    if (!run) {
      await write(io.stderr, `${EMULATOR_MISSING}\n`);
      return CLI_EXIT.error;
    }
    return run(argv, { unknownOption: (typed, known) => unknownName("option", typed, known) });
  }
  if (command === "prune") {
    const { runPruneCli } = load("./prune") as { runPruneCli: CommandRunner };
    return runPruneCli(argv);
  }
  const { runPreflightCli } = load("../preflight/cli") as { runPreflightCli: CommandRunner };
  return runPreflightCli(argv);
}

/**
 * Runs `cvm-image` with `argv` (the arguments after the program name) and resolves with the
 * exit code. Errors thrown by a subcommand propagate.
 */
export async function runCvmImageCli(
  argv: string[],
  io: CvmImageIo = { stdout: process.stdout, stderr: process.stderr },
  deps: CvmImageDeps = {},
): Promise<number> {
  const load = deps.load ?? require;
  const [command, ...rest] = argv;
  if (command === undefined || command === "help" || command === "--help" || command === "-h") {
    const topic = command === "help" ? rest : [];
    if (topic.length > 1) return usageError(io, `help takes at most one command, got ${topic.length}`);
    const [name] = topic;
    if (name === undefined || name === "help") {
      await write(io.stdout, CVM_IMAGE_USAGE);
      return CLI_EXIT.ok;
    }
    if (isSubcommand(name)) return runCommand(name, ["--help"], io, load);
    return usageError(io, unknownName("command", name, COMMANDS));
  }
  if (command === "--version" || command === "-V") {
    await write(io.stdout, `cvm-image ${deps.version ?? cvmImageVersion()}\n`);
    return CLI_EXIT.ok;
  }
  if (isSubcommand(command)) return runCommand(command, rest, io, load);
  if (command.startsWith("-")) return usageError(io, unknownName("option", command, OPTIONS));
  return usageError(io, unknownName("command", command, COMMANDS));
}

/** The bin's entry point: runs {@link runCvmImageCli} on the process and sets its exit code. */
export function main(argv: string[] = process.argv.slice(2)): Promise<void> {
  return runCvmImageCli(argv).then(
    (code) => {
      if (typeof code === "number") process.exitCode = code;
    },
    (err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      process.stderr.write(`cvm-image${argv[0] ? ` ${argv[0]}` : ""}: ${message}\n`);
      process.exitCode = CLI_EXIT.error;
    },
  );
}
