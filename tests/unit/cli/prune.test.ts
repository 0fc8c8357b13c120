// `cvm-image prune`, without a cloud: its arguments (each refusal naming its flag and the fix), its
// summary and exit code, its three formats, its wording of settings errors, and the dispatcher's wiring.
import { capturedStreams } from "../../support/process";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { CVM_IMAGE_USAGE } from "../../../provider/src/cli";
import { parsePruneArgs, PRUNE_USAGE, runPruneCli, UsageError } from "../../../provider/src/cli/prune";
import {
  alignColumns,
  commandLineWording,
  countOrText,
  flagOfPath,
  formatPrune,
  headline,
  markdownCell,
  pruneExitCode,
  pruneSpec,
  pruneSummary,
  PruneUsageError,
  refusalText,
  type PruneResult,
} from "../../../provider/src/cli/prune-rules";
import type { RetentionDecision } from "../../../provider/src/retention/plan-rules";

const KEEP = ["--family", "web", "--keep-newest", "3"];

/** Runs the built bin (`npx tsc -b` first) with no credentials in its environment. */
function cvmImage(args: string[]) {
  const bin = path.join(__dirname, "../../../provider/bin/cvm-image.js");
  const env = { PATH: process.env.PATH, HOME: process.env.HOME };
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", env, timeout: 30000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("parsePruneArgs", () => {
  it("reads every option, in both shapes, repeatable ones in order", () => {
    const args = parsePruneArgs([
      "--family=web",
      "--name-prefix",
      "web-",
      "--tag",
      "team=web",
      "--tag=stage=prod=1",
      "--keep-newest",
      "5",
      "--keep-younger-than=14d",
      "--exclude",
      "img-6pb6lrmy",
      "--exclude=img-7pb6lrmy",
      "--exclude-tag",
      "keep=true",
      "--unmanaged-shares",
      "unshare",
      "--delete-snapshots",
      "--region",
      "ap-shanghai",
      "--profile",
      "ci",
      "--format",
      "json",
      "-y",
    ]);
    expect(args).toEqual({
      help: false,
      yes: true,
      format: "json",
      spec: {
        family: "web",
        namePrefix: "web-",
        tags: { team: "web", stage: "prod=1" },
        keepNewest: 5,
        keepYoungerThan: "14d",
        exclude: { imageIds: ["img-6pb6lrmy", "img-7pb6lrmy"], tags: { keep: "true" } },
        deletionPolicy: { unmanagedShares: "unshare", deleteSnapshots: true },
        region: "ap-shanghai",
        profile: "ci",
      },
    });
  });

  it("defaults: a dry run, a table, shared images kept, snapshots kept, the default region", () => {
    expect(parsePruneArgs(KEEP)).toEqual({
      help: false,
      yes: false,
      format: "table",
      spec: { family: "web", keepNewest: 3, deletionPolicy: { unmanagedShares: "block", deleteSnapshots: false } },
    });
    expect(parsePruneArgs(["--tag", "a=", "--keep-younger-than", "36h", "--yes"]).spec).toMatchObject({
      tags: { a: "" },
      keepYoungerThan: "36h",
    });
  });

  it("--help wins over missing scope and keep; unknown options still come first", () => {
    expect(parsePruneArgs(["--help"])).toEqual({ help: true, yes: false, format: "table" });
    expect(parsePruneArgs(["-h", "--family", "9web"]).help).toBe(true);
    expect(() => parsePruneArgs(["--help", "--bogus"])).toThrow(new UsageError("unknown option: --bogus"));
  });

  it.each([
    [
      [],
      /^no scope: give --family NAME, --name-prefix TEXT or --tag KEY=VALUE .*\nnothing to keep: give --keep-newest/,
    ],
    [["--family", "web"], /^nothing to keep: give --keep-newest N \(e\.g\. 5\) or --keep-younger-than AGE/],
    [["--keep-newest", "2"], /^no scope: .*a prune of every image of the account is refused$/],
    [["--family", "9web", "--keep-newest", "2"], /^--family: "9web" is not accepted .*starting with a letter/],
    [
      [...KEEP.slice(0, 2), "--keep-newest", "0"],
      /^--keep-newest: must be a whole number of at least 1, not the number 0/,
    ],
    [[...KEEP.slice(0, 2), "--keep-newest", "2.5"], /^--keep-newest: must be a whole number of at least 1/],
    [[...KEEP.slice(0, 2), "--keep-newest", "five"], /^--keep-newest: .*not the string "five"; e\.g\. 5$/],
    [[...KEEP.slice(0, 2), "--keep-younger-than", "2w"], /^--keep-younger-than: "2w" is not a duration .*"14d"/],
    [[...KEEP.slice(0, 2), "--keep-younger-than", "0d"], /^--keep-younger-than: "0d" is not a duration of at least/],
    [[...KEEP, "--tag", "team"], /^--tag: "team" is not KEY=VALUE; write it like --tag team=web/],
    [[...KEEP, "--tag", "=web"], /^--tag: "=web" is not KEY=VALUE/],
    [[...KEEP, "--tag", "a=1", "--tag", "a=2"], /^--tag: the key a is given twice \(1 and 2\)/],
    [[...KEEP, "--exclude-tag", "keep"], /^--exclude-tag: "keep" is not KEY=VALUE/],
    [[...KEEP, "--exclude", "img-1"], /^--exclude: "img-1" is not a valid image id; expected something like img-/],
    [
      [...KEEP, "--unmanaged-shares", "Unshare"],
      /^--unmanaged-shares: "Unshare" is not allowed; did you mean "unshare"/,
    ],
    [[...KEEP, "--region", "nowhere"], /^--region: "nowhere" is not a valid region id/],
    [[...KEEP, "--name-prefix", "x".repeat(61)], /^--name-prefix: is 61 characters long; the limit is 60/],
    [[...KEEP, "--format", "jsno"], '--format must be one of table, markdown, json (got "jsno"; did you mean json?)'],
    [[...KEEP, "--keep-newst", "2"], "unknown option: --keep-newst (did you mean --keep-newest?)"],
    [[...KEEP, "--yes=1"], "--yes takes no value"],
    [[...KEEP, "--region"], "--region needs a value"],
    [[...KEEP, "--region", "--yes"], "--region needs a value"],
    [[...KEEP, "--family", "app"], "--family given twice"],
    [[...KEEP, "web"], /^unexpected argument "web" \(every value follows its option/],
  ])("refuses %j, naming the flag and the fix", (argv, message) => {
    expect(() => parsePruneArgs(argv)).toThrow(UsageError);
    if (typeof message === "string") expect(() => parsePruneArgs(argv)).toThrow(new UsageError(message));
    else expect(() => parsePruneArgs(argv)).toThrow(message);
  });

  it("lists every refusal at once, one line each, and no cross-field one that a refused flag explains", () => {
    const refused = () => parsePruneArgs(["--family", "9web", "--keep-newest", "0", "--tag", "x", "--exclude", "a"]);
    const lines = (() => {
      try {
        refused();
      } catch (e) {
        return (e as Error).message.split("\n");
      }
      return [];
    })();
    expect(lines.map((l) => l.split(":")[0])).toEqual(["--tag", "--family", "--keep-newest", "--exclude"]);
  });
});

describe("pruneSpec and its helpers", () => {
  it("maps the rule's paths to flags", () => {
    expect(flagOfPath(".exclude.imageIds[2]")).toBe("--exclude");
    expect(flagOfPath(".exclude.tags")).toBe("--exclude-tag");
    expect(flagOfPath(".deletionPolicy.unmanagedShares")).toBe("--unmanaged-shares");
    expect(flagOfPath(".keepYoungerThan")).toBe("--keep-younger-than");
    expect(flagOfPath(".somethingElse")).toBe("somethingElse");
  });

  it("words the rules across fields for the command line, at either path shape; other refusals get their flag", () => {
    for (const path of ["family", ".family"])
      expect(refusalText(path, "no scope: give family, namePrefix or tags")).toMatch(/^no scope: give --family NAME/);
    for (const path of ["keepNewest", ".keepNewest"])
      expect(refusalText(path, "nothing to keep: give keepNewest")).toMatch(/^nothing to keep: give --keep-newest N/);
    expect(refusalText(".keepNewest", "must be a whole number")).toBe("--keep-newest: must be a whole number");
    expect(refusalText(".exclude.imageIds[0]", "bad; see .exclude.imageIds")).toBe(
      "--exclude: bad; see exclude.imageIds",
    );
  });

  it("reads --keep-newest as a number only when it is written as one", () => {
    expect([
      countOrText("5"),
      countOrText(" 7 "),
      countOrText("2.5"),
      countOrText("5x"),
      countOrText(undefined),
    ]).toEqual([5, 7, 2.5, "5x", undefined]);
  });

  it("throws PruneUsageError, which parsePruneArgs turns into a UsageError", () => {
    expect(() => pruneSpec({ family: "web" })).toThrow(PruneUsageError);
    expect(pruneSpec({ namePrefix: "web-", keepYoungerThan: "1h", exclude: ["img-6pb6lrmy", "img-6pb6lrmy"] })).toEqual(
      {
        namePrefix: "web-",
        keepYoungerThan: "1h",
        exclude: { imageIds: ["img-6pb6lrmy"] },
        deletionPolicy: { unmanagedShares: "block", deleteSnapshots: false },
      },
    );
  });
});

const decision = (imageId: string, action: RetentionDecision["action"], extra: Partial<RetentionDecision> = {}) => ({
  imageId,
  imageName: `name-${imageId.slice(-2)}`,
  createdTime: "2024-05-01T00:00:00Z",
  action,
  reason: `because ${action}`,
  ...extra,
});

/** A run with one image of each kind: kept, shared and kept, waiting, unshared, deleted, failed. */
function result(o: { dryRun?: boolean; failed?: boolean } = {}): PruneResult {
  return {
    spec: {
      family: "web",
      tags: { team: "web" },
      keepNewest: 2,
      keepYoungerThan: "14d",
      exclude: { imageIds: ["img-00000009"], tags: { keep: "true" } },
      deletionPolicy: { unmanagedShares: "block", deleteSnapshots: true },
    },
    region: "ap-guangzhou",
    dryRun: o.dryRun ?? true,
    images: [
      { decision: decision("img-00000001", "keep", { reason: "one of the 2 newest | pinned" }) },
      { decision: decision("img-00000002", "wait", { nextStageDue: "2024-06-01T00:00:00.000Z", stage: "deprecated" }) },
      { decision: decision("img-00000003", "unshare", { accounts: ["100000000002", "100000000003"] }) },
      { decision: decision("img-00000004", "delete") },
      {
        decision: decision("img-00000005", "delete"),
        ...(o.failed ? { error: "the credentials were refused\n(AuthFailure)" } : {}),
      },
    ],
  };
}

describe("summary, headline and exit code", () => {
  it("counts every action, the changes, those done and those failed", () => {
    expect(pruneSummary(result())).toEqual({
      images: 5,
      actions: { keep: 1, wait: 1, restore: 0, deprecate: 0, unshare: 1, delete: 2 },
      changes: 3,
      done: 0,
      failed: 0,
    });
    expect(pruneSummary(result({ dryRun: false, failed: true }))).toMatchObject({ changes: 3, done: 2, failed: 1 });
  });

  it("says whether anything changed", () => {
    expect(headline(result())).toBe("dry run: nothing changed; add --yes to apply");
    expect(headline(result({ dryRun: false }))).toBe("applied: 3 of 3 changes done");
    expect(headline(result({ dryRun: false, failed: true }))).toBe(
      "applied: 2 of 3 changes done; 1 failed (named below and on stderr): run the same command again",
    );
    const quiet = { ...result({ dryRun: false }), images: [{ decision: decision("img-00000001", "keep") }] };
    expect(headline(quiet)).toBe("applied: nothing was due; nothing changed");
  });

  it("exits 0 when every change was done (or nothing was tried), 1 when one failed", () => {
    expect(pruneExitCode(result())).toBe(0);
    expect(pruneExitCode(result({ dryRun: false }))).toBe(0);
    expect(pruneExitCode(result({ dryRun: false, failed: true }))).toBe(1);
  });
});

describe("formats", () => {
  it("table: what and where, the headline, the counts, every image with its action, due time and reason", () => {
    const text = formatPrune(result({ dryRun: false, failed: true }), "table");
    const lines = text.split("\n");
    expect(lines.slice(0, 3)).toEqual([
      "cvm-image prune: family web, tags team=web in ap-guangzhou; keep the 2 newest and those younger than 14d; " +
        "excluded: img-00000009, tags keep=true; a shared image is kept; snapshots deleted with their image",
      "applied: 2 of 3 changes done; 1 failed (named below and on stderr): run the same command again",
      "5 images in scope: 1 keep, 1 wait, 1 unshare, 2 delete",
    ]);
    expect(lines[4]!.split(/ {2,}/)).toEqual(["IMAGE ID", "NAME", "CREATED", "ACTION", "NEXT STAGE DUE", "REASON"]);
    expect(lines[4]!.indexOf("REASON")).toBe(lines[5]!.indexOf("one of the 2 newest"));
    expect(lines[6]).toMatch(/^img-00000002 .* wait .* 2024-06-01T00:00:00\.000Z {2}because wait$/);
    expect(lines[7]).toMatch(/unshare .* - {25}because unshare \(accounts: 100000000002, 100000000003\)$/);
    expect(lines[9]).toMatch(/^img-00000005 .* delete \(failed\) /);
    expect(text).toContain("\nFailed:\n  img-00000005 (delete): the credentials were refused\n    (AuthFailure)\n");
    for (let i = 1; i <= 5; i++) expect(text).toContain(`img-0000000${i}  name-0${i}  2024-05-01T00:00:00Z`);
  });

  it("markdown: the same content, pipes escaped, failures listed", () => {
    const md = formatPrune(result({ failed: false }), "markdown");
    expect(md).toMatch(/^### cvm-image prune: dry run\n\n\*\*dry run: nothing changed; add --yes to apply\*\*\n/);
    expect(md).toContain("Scope: family web, tags team=web in `ap-guangzhou`. Keep: the 2 newest and those younger");
    expect(md).toContain("A shared image is kept; snapshots deleted with their image.");
    expect(md).toContain(
      "| `img-00000001` | name-01 | 2024-05-01T00:00:00Z | **keep** | - | one of the 2 newest \\| pinned |",
    );
    expect(md.match(/^\| `img-/gm)).toHaveLength(5);
    const failed = formatPrune(result({ dryRun: false, failed: true }), "markdown");
    expect(failed).toContain("### cvm-image prune: applied");
    expect(failed).toContain("- img-00000005 (delete): the credentials were refused (AuthFailure)\n");
    expect(markdownCell("a|b\\c\nd")).toBe("a\\|b\\\\c d");
  });

  it("json: the run, the summary and every decision (with its failure)", () => {
    const doc = JSON.parse(formatPrune(result({ dryRun: false, failed: true }), "json"));
    expect(doc).toMatchObject({ dryRun: false, region: "ap-guangzhou", spec: { family: "web", keepNewest: 2 } });
    expect(doc.summary).toEqual(pruneSummary(result({ dryRun: false, failed: true })));
    expect(doc.decisions.map((d: RetentionDecision) => `${d.imageId}:${d.action}`)).toEqual([
      "img-00000001:keep",
      "img-00000002:wait",
      "img-00000003:unshare",
      "img-00000004:delete",
      "img-00000005:delete",
    ]);
    expect(doc.decisions[1]).toEqual({ ...decision("img-00000002", "wait"), ...result().images[1]!.decision });
    expect(doc.decisions[4].error).toBe("the credentials were refused\n(AuthFailure)");
    expect(doc.decisions[3]).not.toHaveProperty("error");
  });

  it("an empty scope says so", () => {
    const none = { ...result(), images: [] };
    expect(formatPrune(none, "table").split("\n").slice(1, 4)).toEqual([
      "dry run: nothing changed; add --yes to apply",
      "no image in scope",
      "",
    ]);
    expect(JSON.parse(formatPrune(none, "json")).decisions).toEqual([]);
  });

  it("aligns columns by characters, the last one unpadded", () => {
    expect(
      alignColumns([
        ["a", "bb", "c"],
        ["ééé", "d", "long last"],
      ]),
    ).toEqual(["a    bb  c", "ééé  d   long last"]);
  });
});

describe("settings errors, for the command line", () => {
  it("rewords the program-side advice (resource input, stack config) and names --profile", () => {
    expect(
      commandLineWording("no Tencent Cloud credentials found. Set one of: a `profile` input on the resource"),
    ).toBe(
      "no Tencent Cloud credentials found. Set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY (and " +
        "TENCENTCLOUD_SECURITY_TOKEN for temporary keys), or TENCENTCLOUD_PROFILE, or give --profile NAME; or write " +
        "a tccli default profile (`tccli configure` writes ~/.tccli/default.credential). cvm-image prune reads no " +
        "stack config",
    );
    expect(commandLineWording("no region: set `region` on the resource, the stack config …")).toMatch(
      /^no region: give --region REGION, or set TENCENTCLOUD_REGION/,
    );
    expect(commandLineWording("profile `ci` (the resource's `profile` input) not found: …")).toBe(
      "profile `ci` (--profile) not found: …",
    );
    expect(commandLineWording("DescribeImages failed")).toBe("DescribeImages failed");
    expect(commandLineWording("Next: fix it, then run the command again (`pulumi destroy` / `pulumi up`); the")).toBe(
      "Next: fix it, then run the command again; the",
    );
  });
});

describe("runPruneCli and the dispatcher", () => {
  async function cli(argv: string[]) {
    const io = capturedStreams();
    const code = await runPruneCli(argv, io);
    return { code, ...io.written() };
  }

  it("a bad command line: exit 1, each refusal then the usage on stderr, nothing on stdout", async () => {
    const run = await cli(["--family", "9web"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(
      /^cvm-image prune: --family: "9web" is not accepted[^\n]*\ncvm-image prune: nothing to keep: [^\n]*\n\nUsage: cvm-image prune /,
    );
  });

  it("--help: the usage on stdout, exit 0; it names every option and the exit codes", async () => {
    const run = await cli(["--help"]);
    expect(run).toEqual({ code: 0, stdout: `${PRUNE_USAGE}\n`, stderr: "" });
    for (const option of ["--family", "--name-prefix", "--tag KEY=VALUE", "--keep-newest N", "--keep-younger-than"])
      expect(PRUNE_USAGE).toContain(option);
    for (const option of ["--exclude IMAGE_ID", "--exclude-tag", "--unmanaged-shares", "--delete-snapshots", "--yes"])
      expect(PRUNE_USAGE).toContain(option);
    expect(PRUNE_USAGE).toContain("--region REGION");
    expect(PRUNE_USAGE).toContain("--profile NAME");
    expect(PRUNE_USAGE).toContain("--format FORMAT          table (default), markdown or json");
    expect(PRUNE_USAGE).toMatch(/Exit codes:\n {2}0 {2}done, or the dry run printed\n {2}1 {2}usage error/);
    for (const line of PRUNE_USAGE.split("\n")) expect(line.length).toBeLessThanOrEqual(100);
  });

  it("the dispatcher (the bin) lists prune, runs it, shows its help, and suggests it for a typo", () => {
    expect(CVM_IMAGE_USAGE).toMatch(/\n {2}prune {11}delete the images of one scope/);
    expect(CVM_IMAGE_USAGE).toContain("prune: some change failed");
    const help = cvmImage(["help", "prune"]);
    expect(help).toEqual({ code: 0, stdout: `${PRUNE_USAGE}\n`, stderr: "" });
    expect(cvmImage(["prune", "-h"])).toEqual(help);
    expect(cvmImage(["help"]).stdout).toBe(CVM_IMAGE_USAGE);
    const typo = cvmImage(["prune", "--keep-newst", "1"]);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toMatch(/^cvm-image prune: unknown option: --keep-newst \(did you mean --keep-newest\?\)\n/);
    expect(cvmImage(["pruen"])).toEqual({
      code: 1,
      stdout: "",
      stderr: "cvm-image: unknown command: pruen (did you mean prune?)\nrun 'cvm-image help' for usage\n",
    });
  });
});
