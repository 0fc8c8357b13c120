import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { capturedStreams } from "../../support/process";
import { exportLines, shellQuote } from "../../../emulator/src/cli";
import {
  EMULATOR_MISSING,
  EMULATOR_PACKAGE,
  editDistance,
  isMissingModule,
  loadEmulatorCli,
  runCvmImageCli,
  suggestName,
  unknownName,
  type ModuleLoader,
} from "../../../provider/src/cli";

const providerDir = path.join(__dirname, "../../../provider");
const bin = path.join(providerDir, "bin/cvm-image.js");
const version = (JSON.parse(readFileSync(path.join(providerDir, "package.json"), "utf8")) as { version: string })
  .version;

/** The environment for children: no NODE_PATH, so module resolution is the ordinary one. */
function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NODE_PATH;
  return env;
}

/** Runs the bin (or another copy of it) to completion. */
function cvmImage(args: string[], binPath = bin) {
  const r = spawnSync(process.execPath, [binPath, ...args], { encoding: "utf8", env: childEnv(), timeout: 30000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A Node-style "Cannot find module" error, as `require` throws it. */
function notFound(id: string): Error {
  return Object.assign(new Error(`Cannot find module '${id}'\nRequire stack:\n- /somewhere/dist/cli/index.js`), {
    code: "MODULE_NOT_FOUND",
  });
}

/** Runs the dispatcher in-process with captured streams. */
async function inProcess(argv: string[], load: ModuleLoader) {
  const io = capturedStreams();
  const code = await runCvmImageCli(argv, io, { load, version: "9.9.9" });
  return { code, ...io.written() };
}

describe("suggestName and unknownName", () => {
  const commands = ["emulator", "preflight", "help"];

  it("suggests the command one typo away (missing, extra, swapped or wrong letter)", () => {
    expect(suggestName("preflght", commands)).toBe("preflight");
    expect(suggestName("preflightt", commands)).toBe("preflight");
    expect(suggestName("emualtor", commands)).toBe("emulator");
    expect(suggestName("emulater", commands)).toBe("emulator");
    expect(suggestName("hlep", commands)).toBe("help");
    expect(suggestName("Preflight", commands)).toBe("preflight");
  });

  it("suggests nothing when no command is close", () => {
    expect(suggestName("xyz", commands)).toBeUndefined();
    expect(suggestName("deploy", commands)).toBeUndefined();
    expect(suggestName("pre", commands)).toBeUndefined();
    expect(suggestName("", commands)).toBeUndefined();
  });

  it("picks the closest of several candidates", () => {
    expect(suggestName("--verison", ["--help", "--version"])).toBe("--version");
    expect(suggestName("abcdef", ["abcxyz", "abcdex"])).toBe("abcdex");
  });

  it("unknownName words a usage error, with the suggestion only when one is close", () => {
    expect(unknownName("option", "--prot", ["--host", "--port"])).toBe("unknown option: --prot (did you mean --port?)");
    expect(unknownName("command", "deploy", commands)).toBe("unknown command: deploy");
  });

  it("editDistance counts insertions, deletions, substitutions and transpositions", () => {
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("abc", "abc")).toBe(0);
    expect(editDistance("abc", "acb")).toBe(1);
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("xyz", "help")).toBe(4);
  });
});

describe("cvm-image emulator when the emulator package is not installed", () => {
  it("isMissingModule matches only MODULE_NOT_FOUND for that exact package", () => {
    expect(isMissingModule(notFound(EMULATOR_PACKAGE), EMULATOR_PACKAGE)).toBe(true);
    expect(isMissingModule(notFound(`${EMULATOR_PACKAGE}-extra`), EMULATOR_PACKAGE)).toBe(false);
    expect(isMissingModule(notFound("tencentcloud-sdk-nodejs-cvm"), EMULATOR_PACKAGE)).toBe(false);
    expect(isMissingModule(new Error(`Cannot find module '${EMULATOR_PACKAGE}'`), EMULATOR_PACKAGE)).toBe(false); // no code
    expect(isMissingModule(undefined, EMULATOR_PACKAGE)).toBe(false);
  });

  it("prints the install command on stderr and exits 1", async () => {
    const asked: string[] = [];
    const r = await inProcess(["emulator", "--port", "0"], (id) => {
      asked.push(id);
      throw notFound(id);
    });
    expect(asked).toEqual([EMULATOR_PACKAGE]);
    expect(r).toEqual({ code: 1, stdout: "", stderr: `${EMULATOR_MISSING}\n` });
    expect(r.stderr).toBe(
      "cvm-image emulator: the emulator is a separate package; install it with: npm install -D @pulumi-tencentcloud-images/cvm-emulator\n",
    );
  });

  it("`help emulator` says the same", async () => {
    const r = await inProcess(["help", "emulator"], (id) => {
      throw notFound(id);
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("npm install -D @pulumi-tencentcloud-images/cvm-emulator");
  });

  it("other load errors propagate: a dependency of the emulator missing, or anything else", async () => {
    const missingDep = notFound("tencentcloud-sdk-nodejs-cvm");
    await expect(
      inProcess(["emulator"], () => {
        throw missingDep;
      }),
    ).rejects.toBe(missingDep);
    const broken = new SyntaxError("Unexpected token");
    expect(() =>
      loadEmulatorCli(() => {
        throw broken;
      }),
    ).toThrow(broken);
    expect(() => loadEmulatorCli(() => ({}))).toThrow(/does not export runEmulatorCli/);
  });

  it("when installed, runs it with the arguments after the command and returns its code", async () => {
    const calls: string[][] = [];
    const load: ModuleLoader = (id) => {
      if (id !== EMULATOR_PACKAGE) throw notFound(id);
      return { runEmulatorCli: async (argv: string[]) => (calls.push(argv), 7) };
    };
    expect((await inProcess(["emulator", "--port", "8080"], load)).code).toBe(7);
    expect((await inProcess(["help", "emulator"], load)).code).toBe(7);
    expect(calls).toEqual([["--port", "8080"], ["--help"]]);
  });
});

describe("cvm-image (the bin)", () => {
  it("--version and -V print the package version on stdout, exit 0", () => {
    for (const flag of ["--version", "-V"]) {
      expect(cvmImage([flag])).toEqual({ code: 0, stdout: `cvm-image ${version}\n`, stderr: "" });
    }
  });

  it("help, --help, -h and no arguments print the usage on stdout, exit 0", () => {
    const help = cvmImage(["help"]);
    expect(help.code).toBe(0);
    expect(help.stderr).toBe("");
    expect(help.stdout).toMatch(/^Usage: cvm-image <command>/);
    for (const part of [
      "emulator",
      "preflight",
      "help [command]",
      "--version",
      "Exit codes (of every command):",
      "0  success",
      "1  usage error",
      "2  preflight only: something is blocked",
    ]) {
      expect(help.stdout).toContain(part);
    }
    expect(help.stdout).toContain("stdout: only `export NAME='value'` lines");
    for (const args of [[], ["--help"], ["-h"], ["help", "help"]]) expect(cvmImage(args)).toEqual(help);
  });

  it('an unknown command close to a real one: suggestion and hint on stderr, exit 1 (2 is the preflight\'s "blocked")', () => {
    expect(cvmImage(["preflght"])).toEqual({
      code: 1,
      stdout: "",
      stderr: "cvm-image: unknown command: preflght (did you mean preflight?)\nrun 'cvm-image help' for usage\n",
    });
  });

  it("an unknown command far from all: no suggestion, exit 1", () => {
    expect(cvmImage(["xyz"])).toEqual({
      code: 1,
      stdout: "",
      stderr: "cvm-image: unknown command: xyz\nrun 'cvm-image help' for usage\n",
    });
    expect(cvmImage(["help", "preflgiht"])).toEqual({
      code: 1,
      stdout: "",
      stderr: "cvm-image: unknown command: preflgiht (did you mean preflight?)\nrun 'cvm-image help' for usage\n",
    });
    expect(cvmImage(["help", "a", "b"])).toEqual({
      code: 1,
      stdout: "",
      stderr: "cvm-image: help takes at most one command, got 2\nrun 'cvm-image help' for usage\n",
    });
  });

  it("an unknown option: exit 1, with a suggestion when close", () => {
    expect(cvmImage(["--verison"])).toEqual({
      code: 1,
      stdout: "",
      stderr: "cvm-image: unknown option: --verison (did you mean --version?)\nrun 'cvm-image help' for usage\n",
    });
  });

  it("a mistyped option of a command: exit 1, with a suggestion, before the command's usage", () => {
    const pre = cvmImage(["preflight", "--destory"]);
    expect(pre.code).toBe(1);
    expect(pre.stdout).toBe("");
    expect(pre.stderr).toMatch(
      /^cvm-image preflight: unknown option: --destory \(did you mean --destroy\?\)\n\nUsage: cvm-image preflight /,
    );
    const value = cvmImage(["preflight", "--format=markdwon"]);
    expect(value.code).toBe(1);
    expect(value.stderr).toMatch(
      /^cvm-image preflight: --format must be one of table, markdown, json \(got "markdwon"; did you mean markdown\?\)\n/,
    );
    const emu = cvmImage(["emulator", "--prot", "0"]);
    expect(emu.code).toBe(1);
    expect(emu.stdout).toBe("");
    expect(emu.stderr).toMatch(
      /^cvm-image emulator: unknown option: --prot \(did you mean --port\?\)\n\nUsage: cvm-image emulator /,
    );
    expect(cvmImage(["emulator", "--no-rate-limit"]).stderr).toMatch(
      /^cvm-image emulator: unknown option: --no-rate-limit \(did you mean --no-rate-limits\?\)\n/,
    );
    expect(cvmImage(["emulator", "--bogus"]).stderr).toMatch(/^cvm-image emulator: unknown option: --bogus\n\n/);
  });

  it("help preflight and help emulator show the subcommand's own help", () => {
    const pre = cvmImage(["help", "preflight"]);
    expect(pre.code).toBe(0);
    expect(pre.stdout).toMatch(/^Usage: cvm-image preflight /);
    expect(pre.stdout).toEqual(cvmImage(["preflight", "--help"]).stdout);
    const emu = cvmImage(["help", "emulator"]);
    expect(emu.code).toBe(0);
    expect(emu.stdout).toMatch(/^Usage: cvm-image emulator /);
    expect(emu.stdout).toContain("stdout: only shell lines");
  });
});

describe("cvm-image emulator output", () => {
  const dirs: string[] = [];
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null && c.pid) process.kill(c.pid, "SIGKILL");
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  const tempDir = () => {
    const d = mkdtempSync(path.join(tmpdir(), "cvm-image-cli-"));
    dirs.push(d);
    return d;
  };
  /** Evaluates a file of shell lines in a bash with an empty environment and prints the named variables, one per line. */
  const evalInBash = (file: string, names: string[]) => {
    const script = `eval "$(cat "$1")"; ${names.map((n) => `printf '%s\\n' "$${n}"`).join("; ")}`;
    // --norc: bash would read ~/.bashrc when its stdin is a socket, as Node's pipes are.
    const r = spawnSync("bash", ["--norc", "--noprofile", "-c", script, "bash", file], {
      encoding: "utf8",
      env: { PATH: process.env.PATH },
      stdio: ["ignore", "pipe", "pipe"],
    });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    return r.stdout.split("\n").slice(0, names.length);
  };

  it("exportLines quotes values so that a shell gives them back unchanged", () => {
    const tricky = { A: 'it\'s $HOME `id` "q" \\ x', B: "", C: "a b\tc" };
    expect(exportLines(tricky)).toBe(`export A=${shellQuote(tricky.A)}\nexport B=''\nexport C='a b\tc'\n`);
    const file = path.join(tempDir(), "env.sh");
    writeFileSync(file, exportLines(tricky));
    expect(evalInBash(file, ["A", "B", "C"])).toEqual([tricky.A, tricky.B, tricky.C]);
  });

  it("`cvm-image emulator --port 0`: stdout is only export lines that eval to a working endpoint; the URL goes to stderr", async () => {
    const child = spawn(process.execPath, [bin, "emulator", "--port", "0"], {
      stdio: ["ignore", "pipe", "pipe"],
      env: childEnv(),
    });
    children.push(child);
    let out = "";
    let err = "";
    child.stderr!.on("data", (d) => (err += d));
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on("data", (d) => {
        out += d;
        if (/^export TENCENTCLOUD_CVM_ENDPOINT=.*\n/m.test(out)) resolve();
      });
      child.on("exit", (code) => reject(new Error(`cvm-image emulator exited ${code}: ${err}`)));
    });
    const lines = out.split("\n").filter((l) => l !== "");
    expect(lines.length).toBeGreaterThanOrEqual(5);
    for (const line of lines) expect(line).toMatch(/^export [A-Z_]+=/);

    const file = path.join(tempDir(), "emulator.env");
    writeFileSync(file, out);
    const names = [
      "TENCENTCLOUD_CVM_ENDPOINT",
      "TENCENTCLOUD_SECRET_ID",
      "TENCENTCLOUD_SECRET_KEY",
      "TENCENTCLOUD_REGION",
      "TENCENTCLOUD_SESSION_TOKEN",
    ];
    const [endpoint, secretId, secretKey, region, token] = evalInBash(file, names);
    expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(token).toBe("");

    await new Promise((r) => setTimeout(r, 100)); // the listening line is written right after stdout
    expect(err).toContain(`cvm-image emulator: listening on ${endpoint}`);
    expect(err).not.toContain(secretKey!);

    const health = await fetch(`${endpoint}/_emulator/health`);
    expect(health.status).toBe(200);
    const client = new (require("tencentcloud-sdk-nodejs-cvm").cvm.v20170312.Client)({
      credential: { secretId, secretKey },
      region,
      profile: { httpProfile: { endpoint: new URL(endpoint!).host, protocol: "http://" } },
    });
    const images = await client.DescribeImages({ Filters: [{ Name: "image-type", Values: ["PRIVATE_IMAGE"] }] });
    expect(typeof images.TotalCount).toBe("number");

    const exited = new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
    process.kill(child.pid!, "SIGTERM");
    expect(await exited).toBe(0);
    expect(err).toContain("SIGTERM received");
  }, 30000);

  it("an installed copy without the emulator package: the install hint, exit 1; with a fake one: runs it", () => {
    // An npm-like layout outside the repo, so nothing resolves the workspace's emulator.
    const root = tempDir();
    const pkg = path.join(root, "node_modules", "pulumi-tencentcloud-images");
    mkdirSync(path.join(pkg, "bin"), { recursive: true });
    mkdirSync(path.join(pkg, "dist", "cli"), { recursive: true });
    copyFileSync(bin, path.join(pkg, "bin", "cvm-image.js"));
    for (const f of readdirSync(path.join(providerDir, "dist", "cli")).filter((f) => f.endsWith(".js"))) {
      copyFileSync(path.join(providerDir, "dist", "cli", f), path.join(pkg, "dist", "cli", f));
    }
    copyFileSync(path.join(providerDir, "package.json"), path.join(pkg, "package.json"));
    const copy = path.join(pkg, "bin", "cvm-image.js");

    expect(cvmImage(["--version"], copy)).toEqual({ code: 0, stdout: `cvm-image ${version}\n`, stderr: "" });
    expect(cvmImage(["emulator", "--port", "0"], copy)).toEqual({
      code: 1,
      stdout: "",
      stderr: `${EMULATOR_MISSING}\n`,
    });

    const emu = path.join(root, "node_modules", "@pulumi-tencentcloud-images", "cvm-emulator");
    mkdirSync(emu, { recursive: true });
    writeFileSync(
      path.join(emu, "package.json"),
      JSON.stringify({ name: EMULATOR_PACKAGE, version: "0.0.0", main: "index.js" }),
    );
    writeFileSync(
      path.join(emu, "index.js"),
      `exports.runEmulatorCli = async (argv) => { process.stdout.write("fake " + argv.join(" ") + "\\n"); return 0; };\n`,
    );
    expect(cvmImage(["emulator", "--port", "0"], copy)).toEqual({ code: 0, stdout: "fake --port 0\n", stderr: "" });

    // A missing dependency of the emulator is not "the emulator is not installed".
    writeFileSync(path.join(emu, "index.js"), `require("no-such-dependency-of-the-emulator");\n`);
    const broken = cvmImage(["emulator"], copy);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/^cvm-image emulator: Cannot find module 'no-such-dependency-of-the-emulator'/);
    expect(broken.stderr).not.toContain("separate package");
  });
});
