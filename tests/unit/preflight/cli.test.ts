import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { Readable } from "node:stream";
import { capturedStreams } from "../../support/process";
import { parsePreflightArgs, runPreflightCli, UsageError, type CliIo } from "../../../provider/src/preflight";
import { previewArgs, pulumiBinary } from "../../../provider/src/preflight/plan";
import { fakeAssess, fixturePath, WORLD, type FakeWorld } from "./fakes";

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(
  argv: string[],
  opts: { world?: FakeWorld; stdin?: string; env?: Record<string, string> } = {},
): Promise<Run> {
  const streams = capturedStreams();
  const io: CliIo = {
    stdout: streams.stdout,
    stderr: streams.stderr,
    stdin: opts.stdin === undefined ? undefined : Readable.from([opts.stdin]),
    preflight: { assess: fakeAssess(opts.world ?? WORLD).assess, env: opts.env },
  };
  const code = await runPreflightCli(argv, io);
  return { code, ...streams.written() };
}

describe("parsePreflightArgs", () => {
  it("reads the usual option shapes", () => {
    expect(
      parsePreflightArgs(["-s", "dev", "--cwd=infra", "--destroy", "--format", "markdown", "--fail-on=delete"]),
    ).toEqual({
      help: false,
      stack: "dev",
      cwd: "infra",
      destroy: true,
      plan: undefined,
      format: "markdown",
      failOn: "delete",
      showSecrets: false,
      pulumiArgs: [],
    });
    expect(parsePreflightArgs(["--destroy", "--show-secrets"]).showSecrets).toBe(true);
    expect(parsePreflightArgs(["--stack", "dev", "--", "--config-file", "ci.yaml", "--stack"])).toMatchObject({
      stack: "dev",
      pulumiArgs: ["--config-file", "ci.yaml", "--stack"],
    });
    expect(parsePreflightArgs([])).toMatchObject({ format: "table", failOn: "blocked", destroy: false });
    expect(parsePreflightArgs(["--plan", "-"]).plan).toBe("-");
  });

  it.each([
    [["--format", "html"], /--format must be one of table, markdown, json/],
    [["--fail-on", "always"], /--fail-on must be one of blocked, delete, never/],
    [["--stack"], /--stack needs a value/],
    [["--stack", "--destroy"], /--stack needs a value/],
    [["--bogus"], "unknown option: --bogus"],
    [["--destory"], "unknown option: --destory (did you mean --destroy?)"],
    [["--formt=json"], "unknown option: --formt (did you mean --format?)"],
    [["-destroy"], "unknown option: -destroy (did you mean --destroy?)"],
    [["--format", "jsno"], '--format must be one of table, markdown, json (got "jsno"; did you mean json?)'],
    [["dev"], /unexpected argument "dev"/],
    [["--plan", "p.json", "--destroy"], /--plan reads a saved preview/],
    [["--plan", "p.json", "--", "--refresh"], /--plan reads a saved preview/],
    [["--plan", "p.json", "--show-secrets"], /--plan reads a saved preview; .*--show-secrets/],
    [["-s", "a", "-s", "b"], /given twice/],
  ])("rejects %j", (argv, message) => {
    expect(() => parsePreflightArgs(argv)).toThrow(UsageError);
    if (typeof message === "string") expect(() => parsePreflightArgs(argv)).toThrow(new UsageError(message));
    else expect(() => parsePreflightArgs(argv)).toThrow(message);
  });
});

describe("runPreflightCli", () => {
  it("prints a table and exits 2 when something is blocked", async () => {
    const run = await cli(["--plan", fixturePath("preview-replacements.json")]);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain("Verdict: BLOCKED");
    expect(run.stderr).toBe("");
  });

  it("exits 0 when nothing is blocked, and 2 for deletions with --fail-on delete", async () => {
    const clearWorld: FakeWorld = { ...WORLD, "img-2x7ka1qd": { outcome: "delete" } };
    const args = ["--plan", fixturePath("preview-logical-replace.json"), "--format", "json"];
    const ok = await cli(args, { world: clearWorld });
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).verdict).toBe("deletes");
    expect((await cli([...args, "--fail-on", "delete"], { world: clearWorld })).code).toBe(2);
    expect((await cli(["--plan", fixturePath("preview-replacements.json"), "--fail-on", "never"])).code).toBe(0);
  });

  it("reads the plan from stdin with --plan -", async () => {
    const run = await cli(["--plan", "-", "--format", "markdown"], {
      stdin: readFileSync(fixturePath("preview-refactor.json"), "utf8"),
    });
    expect(run.code).toBe(2);
    expect(run.stdout).toContain("Source: project images-app, stack dev (plan from stdin).");
  });

  it("exits 1 with the usage on a bad command line, and 0 for --help", async () => {
    const bad = await cli(["--format", "yaml"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("--format must be one of");
    expect(bad.stderr).toContain("Usage: cvm-image preflight");
    const help = await cli(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Exit codes:");
  });

  it("exits 1 when the plan cannot be read", async () => {
    const missing = await cli(["--plan", fixturePath("nope.json")]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^cvm-image preflight: cannot read plan file: ENOENT/);
    const garbage = await cli(["--plan", "-"], { stdin: "error: no Pulumi.yaml project file found" });
    expect(garbage.code).toBe(1);
    expect(garbage.stderr).toContain("stdin: no JSON object found");
  });
});

describe("running pulumi", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "preflight-cli-"));
  /** A stand-in `pulumi` that records its arguments and prints a fixture (or fails). */
  const fakePulumi = (name: string, body: string): string => {
    const file = path.join(dir, name);
    writeFileSync(file, `#!/bin/sh\nprintf '%s\\n' "$@" > "${file}.args"\n${body}\n`);
    chmodSync(file, 0o755);
    return file;
  };
  const argsOf = (bin: string): string[] => readFileSync(`${bin}.args`, "utf8").trim().split("\n");

  it("builds the preview and destroy-preview command lines", () => {
    expect(previewArgs({ stack: "dev", cwd: "infra" })).toEqual([
      "preview",
      "--json",
      "--non-interactive",
      "--show-replacement-steps",
      "--stack",
      "dev",
      "--cwd",
      "infra",
    ]);
    expect(previewArgs({ destroy: true })).toEqual(["destroy", "--preview-only", "--json", "--non-interactive"]);
    expect(previewArgs({ stack: "dev", pulumiArgs: ["--config-file", "c.yaml"] }).slice(-4)).toEqual([
      "--stack",
      "dev",
      "--config-file",
      "c.yaml",
    ]);
    expect(pulumiBinary({}, { PULUMI_BIN: "/opt/pulumi" })).toBe("/opt/pulumi");
    expect(pulumiBinary({ pulumiBin: "/x" }, { PULUMI_BIN: "/opt/pulumi" })).toBe("/x");
    expect(pulumiBinary({}, {})).toBe("pulumi");
  });

  it("runs PULUMI_BIN with --stack and --cwd and reports on its JSON", async () => {
    const bin = fakePulumi("ok", `cat "${fixturePath("destroy-preview.json")}"`);
    const run = await cli(
      ["--destroy", "--stack", "dev", "--cwd", dir, "--format", "json", "--", "--config-file", "x.yaml"],
      { env: { PULUMI_BIN: bin } },
    );
    expect(argsOf(bin)).toEqual([
      "destroy",
      "--preview-only",
      "--json",
      "--non-interactive",
      "--stack",
      "dev",
      "--cwd",
      dir,
      "--config-file",
      "x.yaml",
    ]);
    const report = JSON.parse(run.stdout);
    expect(report.source).toMatchObject({ kind: "destroy-preview", stack: "dev", cwd: dir });
    expect(report.summary.kept).toBe(3);
  });

  it("uses the JSON of a preview that exits non-zero (a protected delete)", async () => {
    const bin = fakePulumi(
      "fails-with-json",
      `cat "${fixturePath("destroy-preview.json")}"; echo "error: preview failed" >&2; exit 255`,
    );
    const run = await cli(["--destroy"], { env: { PULUMI_BIN: bin } });
    expect(run.code).toBe(2);
    expect(run.stdout).toContain("prod-base [KEPT]");
  });

  it("exits 1 with pulumi's error when it prints no plan", async () => {
    const bin = fakePulumi("fails", `echo "error: no stack named 'prod' found" >&2; exit 255`);
    const run = await cli(["--stack", "prod"], { env: { PULUMI_BIN: bin } });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      "preview --json --non-interactive --show-replacement-steps --stack prod failed (exit 255)",
    );
    expect(run.stderr).toContain("error: no stack named 'prod' found");
  });

  it("with --show-secrets exports the state, and says what reading secrets needs when that fails", async () => {
    const bin = fakePulumi(
      "export-denied",
      `if [ "$1" = "stack" ]; then echo "error: incorrect passphrase" >&2; exit 255; fi\ncat "${fixturePath("preview-secrets-unknowns.json")}"`,
    );
    const run = await cli(["--destroy", "--show-secrets", "--stack", "dev"], { env: { PULUMI_BIN: bin } });
    expect(argsOf(bin)).toEqual(["stack", "export", "--show-secrets", "--non-interactive", "--stack", "dev"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("--show-secrets: ");
    expect(run.stderr).toContain(
      "stack export --show-secrets --non-interactive --stack dev failed (exit 255):\nerror: incorrect passphrase",
    );
    expect(run.stderr).toContain(
      "Reading secrets needs the stack's secrets passphrase (PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE)",
    );
  });

  it("exits 1 when the CLI is missing", async () => {
    const run = await cli([], { env: { PULUMI_BIN: path.join(dir, "not-there") } });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("put it on PATH or set PULUMI_BIN");
  });
});
