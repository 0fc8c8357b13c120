/**
 * `cvm-image prune`: a one-off clean-up of the custom images of one scope, outside any stack, with
 * the planner of `ImageRetention` (`retention/plan-rules.ts`): its arguments, the run (settings as
 * the provider resolves them, the scope observed read-only and planned, then applied through
 * `CustomImage`'s delete with `--yes`), and its output. The pure parts are in `prune-rules.ts`.
 */
import { suggestName, unknownName } from "./suggest";
import {
  commandLineWording,
  formatPrune,
  PRUNE_EXIT,
  PRUNE_FORMATS,
  pruneExitCode,
  pruneSpec,
  pruneSummary,
  PruneUsageError,
  type PruneFormat,
  type PruneOptions,
  type PruneResult,
} from "./prune-rules";
import type { RetentionSpec } from "../schema/retention";
import { causeOf, settingsFor } from "../provider/common";
import { planScope } from "../retention/scope";
import { applyRetention, type Applied } from "../retention/apply";

export { PRUNE_EXIT };

/** Usage text of `cvm-image prune`. */
export const PRUNE_USAGE = `Usage: cvm-image prune SCOPE KEEP [options]

Deletes the custom images of one scope that nothing keeps, with the planner of ImageRetention,
for images no Pulumi stack manages. Kept: the newest and the young images, excluded ones, and
any image in use (by an instance, a launch template version, or a launch configuration by id
or by family) or shared with other accounts (unless --unmanaged-shares unshare). The others
are deleted as a CustomImage's delete does it. Without --yes this is a dry run: it prints
every image of the scope with its action and reason, and changes nothing.

Scope (at least one; all given must hold; only this account's custom images):
      --family NAME            images of this image family
      --name-prefix TEXT       images whose name starts with TEXT
      --tag KEY=VALUE          images with this tag (repeatable)

Keep (at least one of the first two):
      --keep-newest N          keep the N newest images of the scope
      --keep-younger-than AGE  keep every image younger than AGE: 14d, 36h, 30m, 90s
      --exclude IMAGE_ID       never delete this image (repeatable)
      --exclude-tag KEY=VALUE  never delete an image with this tag (repeatable)

Deletion:
      --unmanaged-shares WHAT  block (default): keep an image shared with other accounts;
                               unshare: cancel its shares, then delete it
      --delete-snapshots       also delete the snapshots of a deleted image
  -y, --yes                    apply the plan (without it, a dry run)

Account and output:
      --region REGION          the images' region (default: TENCENTCLOUD_REGION, else the
                               profile's region)
      --profile NAME           credential profile (NAME.credential in ~/.tccli or
                               TENCENTCLOUD_SHARED_CREDENTIALS_DIR)
      --format FORMAT          table (default), markdown or json
  -h, --help                   show this help

Exit codes:
  0  done, or the dry run printed
  1  usage error, failed cloud call, or some change failed (each named on stderr;
     the others were done: run the same command again to finish)

Environment: Tencent Cloud credentials and endpoint as for the provider (TENCENTCLOUD_SECRET_ID,
TENCENTCLOUD_SECRET_KEY, TENCENTCLOUD_PROFILE, TENCENTCLOUD_REGION, TENCENTCLOUD_CVM_ENDPOINT, ...);
no stack config is read.`;

/** Parsed command line. */
export interface PruneArgs {
  help: boolean;
  /** Apply the plan; false: a dry run. */
  yes: boolean;
  format: PruneFormat;
  /** The checked retention (undefined with `--help`). */
  spec?: RetentionSpec;
}

/** Thrown for a bad command line; the message is for the user. */
export class UsageError extends Error {
  override name = "UsageError";
}

type ValueKey = "family" | "namePrefix" | "keepNewest" | "keepYoungerThan" | "unmanagedShares" | "region" | "profile";
type ListKey = "tags" | "exclude" | "excludeTags";

const VALUE_OPTIONS: Record<string, ValueKey | "format"> = {
  "--family": "family",
  "--name-prefix": "namePrefix",
  "--keep-newest": "keepNewest",
  "--keep-younger-than": "keepYoungerThan",
  "--unmanaged-shares": "unmanagedShares",
  "--region": "region",
  "--profile": "profile",
  "--format": "format",
};

const LIST_OPTIONS: Record<string, ListKey> = {
  "--tag": "tags",
  "--exclude": "exclude",
  "--exclude-tag": "excludeTags",
};

const FLAG_OPTIONS: Record<string, "help" | "yes" | "deleteSnapshots"> = {
  "--help": "help",
  "-h": "help",
  "--yes": "yes",
  "-y": "yes",
  "--delete-snapshots": "deleteSnapshots",
};

/** The long options, which an unknown option is compared with for "did you mean". */
export const PRUNE_OPTIONS: readonly string[] = [FLAG_OPTIONS, VALUE_OPTIONS, LIST_OPTIONS]
  .flatMap((o) => Object.keys(o))
  .filter((o) => o.startsWith("--"));

/** The options as typed: flags, single values, repeatable values. */
interface Typed {
  flags: { help: boolean; yes: boolean; deleteSnapshots: boolean };
  values: Partial<Record<ValueKey | "format", string>>;
  lists: Record<ListKey, string[]>;
}

/** The value of a value option (`--x v` or `--x=v`) and the index of the last argument it took. */
function valueOf(argv: readonly string[], i: number, flag: string, eq: number): { value: string; last: number } {
  const arg = argv[i]!;
  const value = eq > 0 ? arg.slice(eq + 1) : argv[i + 1];
  if (value === undefined || value === "" || (eq < 0 && value.startsWith("-")))
    throw new UsageError(`${flag} needs a value`);
  return { value, last: eq > 0 ? i : i + 1 };
}

/** Sorts the arguments into flags, values and lists; refuses unknown options, stray arguments and repeats. */
function tokenize(argv: readonly string[]): Typed {
  const typed: Typed = {
    flags: { help: false, yes: false, deleteSnapshots: false },
    values: {},
    lists: { tags: [], exclude: [], excludeTags: [] },
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (Object.hasOwn(FLAG_OPTIONS, flag) && eq < 0) typed.flags[FLAG_OPTIONS[flag]!] = true;
    else if (Object.hasOwn(FLAG_OPTIONS, flag)) throw new UsageError(`${flag} takes no value`);
    else if (Object.hasOwn(VALUE_OPTIONS, flag) || Object.hasOwn(LIST_OPTIONS, flag)) {
      const { value, last } = valueOf(argv, i, flag, eq);
      i = last;
      if (Object.hasOwn(LIST_OPTIONS, flag)) typed.lists[LIST_OPTIONS[flag]!].push(value);
      else {
        const key = VALUE_OPTIONS[flag]!;
        if (typed.values[key] !== undefined) throw new UsageError(`${flag} given twice`);
        typed.values[key] = value;
      }
    } else if (arg.startsWith("-")) throw new UsageError(unknownName("option", flag, PRUNE_OPTIONS));
    else throw new UsageError(`unexpected argument "${arg}" (every value follows its option, e.g. --family ${arg})`);
  }
  return typed;
}

/** `--format`'s value, with "did you mean" when it is close to one. */
function formatOf(typed: string | undefined): PruneFormat {
  const value = typed ?? "table";
  if ((PRUNE_FORMATS as readonly string[]).includes(value)) return value as PruneFormat;
  const near = suggestName(value, PRUNE_FORMATS);
  throw new UsageError(
    `--format must be one of ${PRUNE_FORMATS.join(", ")} (got "${value}"${near ? `; did you mean ${near}?` : ""})`,
  );
}

/**
 * Parses the arguments after `prune` and checks the retention they make (as `ImageRetention`
 * checks its inputs).
 * @throws UsageError naming the flag and the fix: unknown options, missing values, repeats, bad values.
 */
export function parsePruneArgs(argv: readonly string[]): PruneArgs {
  const { flags, values, lists } = tokenize(argv);
  if (flags.help) return { help: true, yes: false, format: "table" };
  const format = formatOf(values.format);
  const options: PruneOptions = {
    family: values.family,
    namePrefix: values.namePrefix,
    tags: lists.tags,
    keepNewest: values.keepNewest,
    keepYoungerThan: values.keepYoungerThan,
    exclude: lists.exclude,
    excludeTags: lists.excludeTags,
    unmanagedShares: values.unmanagedShares,
    deleteSnapshots: flags.deleteSnapshots,
    region: values.region,
    profile: values.profile,
  };
  try {
    return { help: false, yes: flags.yes, format, spec: pruneSpec(options) };
  } catch (e) {
    if (e instanceof PruneUsageError) throw new UsageError(e.message);
    throw e;
  }
}

// The run.

/**
 * Plans the retention against the cloud (read-only) and, with `apply`, does what it decided. The
 * settings are resolved as the provider resolves them, from the environment and credential profiles.
 */
export async function runPrune(spec: RetentionSpec, apply: boolean, now: number = Date.now()): Promise<PruneResult> {
  const s = settingsFor(spec.region, { profile: spec.profile, operation: apply ? "update" : "assess" });
  const { images, decisions } = await planScope(s, spec, now);
  const applied: Applied[] = apply
    ? await applyRetention(s, spec, decisions, images, now)
    : decisions.map((decision) => ({ decision }));
  const shown = applied.map((a) => (a.error === undefined ? a : { ...a, error: commandLineWording(a.error) }));
  return { spec, region: s.region, dryRun: !apply, images: shown };
}

/** Streams the command writes to; tests replace them. */
export interface PruneIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

const write = (stream: NodeJS.WritableStream, text: string): Promise<void> =>
  new Promise((resolve) => stream.write(text, () => resolve()));

/** A failure as the command shows it: the cause (never a credential), the profile named by its flag. */
export function failureText(e: unknown): string {
  return commandLineWording(causeOf(e));
}

/** Prints the run and each failed change; resolves with the exit code. */
async function report(io: PruneIo, result: PruneResult, format: PruneFormat): Promise<number> {
  await write(io.stdout, formatPrune(result, format));
  const failed = result.images.filter((i) => i.error !== undefined);
  for (const i of failed)
    await write(io.stderr, `cvm-image prune: ${i.decision.imageId} (${i.decision.action}) failed: ${i.error}\n`);
  if (failed.length) {
    await write(
      io.stderr,
      `cvm-image prune: ${failed.length} of ${pruneSummary(result).changes} changes failed; the others were done. ` +
        "Fix the cause, then run the same command again to finish\n",
    );
  }
  return pruneExitCode(result);
}

/**
 * Runs `cvm-image prune` with `argv` (the arguments after the subcommand) and resolves with the
 * exit code: 0 done (or the dry run printed), 1 a usage error, a failed cloud call or a failed change.
 */
export async function runPruneCli(
  argv: string[],
  io: PruneIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  let args: PruneArgs;
  try {
    args = parsePruneArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    await write(io.stderr, `cvm-image prune: ${e.message.split("\n").join("\ncvm-image prune: ")}\n\n${PRUNE_USAGE}\n`);
    return PRUNE_EXIT.error;
  }
  if (args.help || !args.spec) {
    await write(io.stdout, `${PRUNE_USAGE}\n`);
    return PRUNE_EXIT.ok;
  }
  let result: PruneResult;
  try {
    result = await runPrune(args.spec, args.yes);
  } catch (e) {
    await write(io.stderr, `cvm-image prune: ${failureText(e)}\n`);
    return PRUNE_EXIT.error;
  }
  return report(io, result, args.format);
}
