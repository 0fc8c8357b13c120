// The packages as a user gets them: the README's pack block (`npm pack` of both from the clone, into
// a folder it makes), installed into a new project outside the clone (no workspace link, no symlink
// into it), then the README's own commands run as written: up with a share, a preview that changes
// nothing, destroy; once at the lowest `@pulumi/pulumi` the provider declares and once at 3.248.0,
// each step checked against the emulator, and no `pulumi` command printing a warning a newcomer
// would meet (an entry point that does not exist, a Node.js deprecation).
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tencentcloud from "tencentcloud-sdk-nodejs-cvm";
import { runProcess, type ProcessRun } from "../support/process";
import { readmeBlock } from "../support/readme";
import { repoRoot } from "../support/toolchain";
import { DEFAULTED_OUTPUT_KEYS, outputDefault } from "../../provider/src/schema/stored";

jest.setTimeout(600_000);

const providerManifest = JSON.parse(fs.readFileSync(path.join(repoRoot, "provider", "package.json"), "utf8"));
/** The lowest `@pulumi/pulumi` the provider accepts, read from its peer range (`^X.Y.Z`). */
const lowestPulumi = /^\^(\d+\.\d+\.\d+)$/.exec(providerManifest.peerDependencies["@pulumi/pulumi"])![1]!;
const workspacePulumi = "3.248.0";
const BOB = "100000000002";

interface Packed {
  name: string;
  filename: string;
  files: string[];
}

/** What a `pulumi` command must not print: what `npm init`'s `"main": "index.js"` gives an index.ts program. */
const NEWCOMER_WARNINGS = [/Could not find entry point/, /DEP0128/, /DeprecationWarning/];

/** Fails when the output of a run holds one of {@link NEWCOMER_WARNINGS}, quoting the line. */
function expectNoWarnings(r: ProcessRun, what: string): void {
  const lines = `${r.stdout}\n${r.stderr}`.split("\n");
  const found = lines.filter((line) => NEWCOMER_WARNINGS.some((re) => re.test(line)));
  if (found.length) throw new Error(`${what} printed warnings:\n${found.join("\n")}`);
}

/** Runs a bash script (errexit on) in `cwd`; never throws on a non-zero exit. */
function sh(script: string, cwd: string, env: NodeJS.ProcessEnv): Promise<ProcessRun> {
  return runProcess("bash", ["-euo", "pipefail", "-c", script], { cwd, env });
}

function expectOk(r: ProcessRun, what: string): void {
  if (r.code !== 0)
    throw new Error(
      `${what} exited ${r.code}\n--- stdout\n${r.stdout.slice(-4000)}\n--- stderr\n${r.stderr.slice(-4000)}`,
    );
}

let work: string;
let pkgs: string;
let packed: Packed[];

/** An environment without this repository on any path a package could resolve from. */
function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { NODE_PATH: _np, INIT_CWD: _ic, ...rest } = process.env;
  const clean = Object.fromEntries(
    Object.entries(rest).filter(([k]) => !k.startsWith("npm_") && !k.startsWith("TENCENTCLOUD_")),
  );
  return {
    ...clean,
    PKGS: pkgs,
    CLONE: repoRoot,
    PULUMI_HOME: path.join(work, "pulumi-home"),
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    CVM_IMAGE_POLL_MS: "250",
    NO_COLOR: "1",
    ...extra,
  };
}

/** The README's pack block, less its `npm ci` (the clone is installed, and other tests use its node_modules). */
function packBlock(): string {
  const block = readmeBlock("consumer-test", "pack");
  expect(block).toContain("npm ci && npm pack");
  return block.replace("npm ci && ", "");
}

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "ptci-consumer-"));
  // A folder that does not exist yet, named relative to where the block runs: the block makes it and
  // makes it absolute before it leaves for the clone.
  pkgs = path.join(work, "pkgs");
  const r = await sh(packBlock(), work, { ...process.env, CLONE: repoRoot, PKGS: "pkgs" });
  expectOk(r, "the README's pack block");
  packed = fs
    .readdirSync(pkgs)
    .sort()
    .map((filename) => {
      const listing = execFileSync("tar", ["-tzf", path.join(pkgs, filename)], { encoding: "utf8" });
      const files = listing
        .split("\n")
        .filter((f) => f && !f.endsWith("/"))
        .map((f) => f.replace(/^package\//, ""))
        .sort();
      const manifest = JSON.parse(
        execFileSync("tar", ["-xzOf", path.join(pkgs, filename), "package/package.json"], { encoding: "utf8" }),
      );
      return { name: manifest.name as string, filename, files };
    });
}, 300_000);
afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

const byName = (name: string) => packed.find((p) => p.name === name)!;

describe.each([
  ["pulumi-tencentcloud-images", "provider", ["bin/cvm-image.js"]],
  ["@pulumi-tencentcloud-images/cvm-emulator", "emulator", ["fixtures/default.json"]],
])("npm pack of %s", (name, folder, extras) => {
  test("ships exactly the package's files: dist with maps, the sources they point at, docs, API reference and license", () => {
    const p = byName(name);
    const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, folder, "package.json"), "utf8"));
    expect(p.filename).toBe(`${name.replace(/^@/, "").replace("/", "-")}-${manifest.version}.tgz`);
    const files = p.files;
    const top = files.filter((f) => !/^(dist|src|docs\/api)\//.test(f));
    expect(top.sort()).toEqual(["CHANGELOG.md", "LICENSE", "README.md", "package.json", ...extras].sort());
    const sources = fs
      .readdirSync(path.join(repoRoot, folder, "src"), { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".ts"))
      .map((f) => `src/${f}`);
    expect(files.filter((f) => f.startsWith("src/")).sort()).toEqual(sources.sort());
    for (const f of files.filter((x) => x.startsWith("dist/"))) expect(f).toMatch(/\.(js|js\.map|d\.ts)$/);
    // Every compiled module ships with its map and declarations, and every map points at a shipped source.
    for (const src of sources) {
      const stem = src.replace(/^src\//, "dist/").replace(/\.ts$/, "");
      expect(files).toEqual(expect.arrayContaining([`${stem}.js`, `${stem}.js.map`, `${stem}.d.ts`]));
      const map = JSON.parse(fs.readFileSync(path.join(repoRoot, folder, `${stem}.js.map`), "utf8"));
      for (const s of map.sources as string[])
        expect(files).toContain(path.posix.normalize(path.posix.join(path.posix.dirname(stem), s)));
    }
    expect(fs.readFileSync(path.join(repoRoot, folder, "LICENSE"), "utf8")).toContain(
      "Apache License\n                           Version 2.0, January 2004",
    );
    expect(fs.readFileSync(path.join(repoRoot, folder, "LICENSE"), "utf8")).toBe(
      fs.readFileSync(path.join(repoRoot, "LICENSE"), "utf8"),
    );
  });

  test("ships its API reference (docs/api, made by npm pack from the TSDoc), which the README points at", () => {
    const p = byName(name);
    expect(p.files).toContain("docs/api/index.html");
    expect(p.files.filter((f) => f.startsWith("docs/api/") && f.endsWith(".html")).length).toBeGreaterThan(5);
    // Only the reference: no copy of a README the package README links to (its links are absolute).
    expect(p.files.filter((f) => f.startsWith("docs/api/media/"))).toEqual([]);
    expect(fs.readFileSync(path.join(repoRoot, "README.md"), "utf8")).toContain(
      `node_modules/${name}/docs/api/index.html`,
    );
  });

  test("declares what a registry page and a legal review need", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, folder, "package.json"), "utf8"));
    expect(manifest.license).toBe("Apache-2.0");
    expect(manifest.repository).toMatchObject({ type: "git", directory: folder });
    expect(manifest.homepage).toMatch(/^https:\/\//);
    expect(manifest.bugs.url).toMatch(/^https:\/\//);
    expect(manifest.keywords.length).toBeGreaterThan(3);
    expect(manifest.private).toBeUndefined();
  });
});

test("the README names the tarballs npm pack makes", () => {
  const readme = fs.readFileSync(path.join(repoRoot, "README.md"), "utf8");
  const named = [...readme.matchAll(/"\$PKGS"\/([\w.-]+\.tgz)/g)].map((m) => m[1]!);
  expect(named.length).toBeGreaterThanOrEqual(4);
  expect([...new Set(named)].sort()).toEqual(packed.map((p) => p.filename).sort());
});

test("the provider tarball installs on its own into an empty project, without the emulator", async () => {
  const project = path.join(work, "alone");
  fs.mkdirSync(project);
  const provider = path.join(pkgs, byName("pulumi-tencentcloud-images").filename);
  const env = userEnv();
  expectOk(
    await sh(
      `npm init -y >/dev/null && npm install --no-fund --no-audit "${provider}" @pulumi/pulumi@${workspacePulumi}`,
      project,
      env,
    ),
    "npm install",
  );
  const installed = path.join(project, "node_modules", "pulumi-tencentcloud-images");
  expect(fs.lstatSync(installed).isSymbolicLink()).toBe(false);
  expect(fs.existsSync(path.join(project, "node_modules", "@pulumi-tencentcloud-images", "cvm-emulator"))).toBe(false);
  const reference = fs.readFileSync(path.join(installed, "docs", "api", "index.html"), "utf8");
  expect(reference).toContain("CustomImage");

  const loaded = await sh(
    `node -e 'const m = require("pulumi-tencentcloud-images"); console.log(typeof m.CustomImage, require.resolve("pulumi-tencentcloud-images"))'`,
    project,
    env,
  );
  expectOk(loaded, "require");
  expect(loaded.stdout).toMatch(/^function /);
  expect(fs.realpathSync(loaded.stdout.trim().split(" ")[1]!).startsWith(repoRoot)).toBe(false);

  const version = await sh(`npx cvm-image --version`, project, env);
  expect(version.stdout.trim()).toBe(`cvm-image ${providerManifest.version}`);
  const emulator = await sh(`npx cvm-image emulator --port 0`, project, env);
  expect(emulator.code).toBe(1);
  expect(emulator.stderr).toContain("npm install -D @pulumi-tencentcloud-images/cvm-emulator");
});

/** The variables of the emulator's env file (its `export NAME='value'` lines). */
function emulatorEnv(project: string): Record<string, string> {
  return Object.fromEntries(
    fs
      .readFileSync(path.join(project, "emulator.env"), "utf8")
      .trim()
      .split("\n")
      .map((line) => /^export ([A-Z_]+)='([^']*)'$/.exec(line)!)
      .map((m) => [m[1]!, m[2]!]),
  );
}

/** Alice's SDK client for the emulator the README's block started. */
function aliceClient(project: string) {
  const env = emulatorEnv(project);
  const url = new URL(env.TENCENTCLOUD_CVM_ENDPOINT);
  return new tencentcloud.cvm.v20170312.Client({
    credential: { secretId: env.TENCENTCLOUD_SECRET_ID, secretKey: env.TENCENTCLOUD_SECRET_KEY },
    region: env.TENCENTCLOUD_REGION,
    profile: { httpProfile: { endpoint: url.host, protocol: `${url.protocol}//` } },
  });
}

describe.each([lowestPulumi, workspacePulumi])("the README's own project with @pulumi/pulumi %s", (version) => {
  let project: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(() => {
    const root = path.join(work, `v${version}`);
    fs.mkdirSync(root);
    project = path.join(root, "my-images");
    env = userEnv();
  });
  afterAll(() => {
    // Stop the emulator if a failed step left it running (the README's destroy block stops it).
    const pidFile = path.join(project, "emulator.pid");
    if (fs.existsSync(pidFile)) {
      try {
        process.kill(Number(fs.readFileSync(pidFile, "utf8")));
      } catch {
        /* already stopped */
      }
    }
  });

  test("install: the tarballs and this @pulumi/pulumi, no link into the clone", async () => {
    const script = readmeBlock("consumer-test", "install").replaceAll(
      `@pulumi/pulumi@~${workspacePulumi}`,
      `@pulumi/pulumi@~${version}`,
    );
    expect(script).toContain(`@pulumi/pulumi@~${version}`);
    expectOk(await sh(script, path.dirname(project), env), "the README's install block");
    const manifest = JSON.parse(fs.readFileSync(path.join(project, "package.json"), "utf8"));
    expect(Object.keys(manifest.dependencies).sort()).toEqual(["@pulumi/pulumi", "pulumi-tencentcloud-images"]);
    // Recorded as the README says to stay: this minor (3.249 needs Node.js 22), not a caret range.
    expect(manifest.dependencies["@pulumi/pulumi"]).toBe(`~${version}`);
    // The program's entry point is the program: no "Could not find entry point 'index.js'".
    expect(manifest.main).toBe("index.ts");
    expect(Object.keys(manifest.devDependencies)).toContain("@pulumi-tencentcloud-images/cvm-emulator");
    const sdk = JSON.parse(
      fs.readFileSync(path.join(project, "node_modules", "@pulumi", "pulumi", "package.json"), "utf8"),
    );
    expect(sdk.version).toBe(version);
    for (const pkg of ["pulumi-tencentcloud-images", "@pulumi-tencentcloud-images/cvm-emulator"]) {
      const at = path.join(project, "node_modules", pkg);
      expect(fs.lstatSync(at).isSymbolicLink()).toBe(false);
      expect(fs.realpathSync(at).startsWith(repoRoot)).toBe(false);
    }
  });

  test("up: the emulator from the installed package, one image shared with bob; the preview after it changes nothing", async () => {
    const r = await sh(readmeBlock("consumer-test", "up"), project, env);
    expectOk(r, "the README's up block");
    expectNoWarnings(r, "the README's up block");
    const outputs = await sh(`pulumi stack output --json`, project, { ...env, ...stackEnv(project) });
    expectOk(outputs, "pulumi stack output");
    const { imageId, imageName } = JSON.parse(outputs.stdout);
    expect(imageName).toMatch(/^app-[a-z0-9]+$/);
    const alice = aliceClient(project);
    const [image] = (await alice.DescribeImages({ ImageIds: [imageId] })).ImageSet ?? [];
    expect(image).toMatchObject({
      ImageId: imageId,
      ImageName: imageName,
      ImageState: "NORMAL",
      ImageType: "PRIVATE_IMAGE",
    });
    const shares = await alice.DescribeImageSharePermission({ ImageId: imageId });
    expect((shares.SharePermissionSet ?? []).map((s) => s.AccountId)).toEqual([BOB]);
    // The emulator's own URL went to its log, never into the evaluated file.
    expect(
      fs
        .readFileSync(path.join(project, "emulator.env"), "utf8")
        .split("\n")
        .filter(Boolean)
        .every((l) => l.startsWith("export ")),
    ).toBe(true);
  });

  test("secret stack config credentials reach the provider (its configure: the feature that sets the lowest version)", async () => {
    const { TENCENTCLOUD_SECRET_ID: id, TENCENTCLOUD_SECRET_KEY: key } = emulatorEnv(project);
    const stack = { ...env, ...stackEnv(project) };
    for (const [k, v] of [
      ["tencentcloud:secretId", id],
      ["tencentcloud:secretKey", key],
    ]) {
      expectOk(
        await sh(`pulumi config set --secret ${k} "$VALUE"`, project, { ...stack, VALUE: v }),
        "pulumi config set",
      );
    }
    const run = async (command: string, what: string, e: NodeJS.ProcessEnv) => {
      const r = await sh(command, project, e);
      expectOk(r, what);
      expectNoWarnings(r, what);
      return r;
    };
    // No credential in the environment. The up records the new config (it changes no image); the
    // refresh's DescribeImages can then only sign with the config the engine hands to `configure`.
    const envFile = emulatorEnv(project);
    const noEnvCredentials = {
      ...stack,
      TENCENTCLOUD_REGION: envFile.TENCENTCLOUD_REGION,
      TENCENTCLOUD_CVM_ENDPOINT: envFile.TENCENTCLOUD_CVM_ENDPOINT,
    };
    await run(`pulumi up --yes`, "pulumi up recording config credentials", noEnvCredentials);
    await run(`pulumi refresh --yes`, "pulumi refresh with config credentials", noEnvCredentials);
    const state = await sh(`pulumi stack export`, project, stack);
    expectOk(state, "pulumi stack export");
    expect(state.stdout).not.toContain(key);
    expect(state.stdout).not.toContain(id);
    // Installed under node_modules, each resource's serialized provider is one short require of the
    // package's stable provider module (in the inputs and the outputs), not the shim's text.
    const images = JSON.parse(state.stdout).deployment.resources.filter((r: { type: string }) =>
      r.type.endsWith(":CustomImage"),
    );
    expect(images.length).toBeGreaterThan(0);
    for (const r of images) {
      for (const provider of [r.inputs.__provider, r.outputs.__provider]) {
        expect(provider).toContain('require("pulumi-tencentcloud-images/dist/resource/provider-module.js")');
        expect(provider.length).toBeLessThan(400);
      }
      // The state leaves defaults out (schema/stored.ts): what it stores differs from them.
      for (const k of DEFAULTED_OUTPUT_KEYS)
        if (k in r.outputs) expect([k, r.outputs[k]]).not.toEqual([k, outputDefault(k)]);
    }
  });

  test("destroy: the image is gone from the emulator, then the emulator stops", async () => {
    const before = await sh(`pulumi stack output imageId`, project, { ...env, ...stackEnv(project) });
    expectOk(before, "pulumi stack output");
    const imageId = before.stdout.trim();
    const alice = aliceClient(project);
    const destroy = readmeBlock("consumer-test", "destroy");
    const [destroyPart, stopPart] = splitAtKill(destroy);
    // The README runs it in the shell of the up block: a new shell re-reads that block's exports.
    const destroyed = await sh(`. ./emulator.env\n${destroyPart}`, project, { ...env, ...stackEnv(project) });
    expectOk(destroyed, "the README's destroy block");
    expectNoWarnings(destroyed, "the README's destroy block");
    expect((await alice.DescribeImages({ ImageIds: [imageId] })).ImageSet ?? []).toEqual([]);
    expectOk(await sh(stopPart, project, env), "the README's stop line");
    const pid = Number(fs.readFileSync(path.join(project, "emulator.pid"), "utf8"));
    await waitUntilGone(pid);
  });
});

/** The environment the README's up block exported, for follow-up commands in a new shell. */
function stackEnv(project: string): Record<string, string> {
  return {
    PATH: `${toolchainBin()}${path.delimiter}${process.env.PATH ?? ""}`,
    PULUMI_BACKEND_URL: `file://${project}/.pulumi-state`,
    PULUMI_CONFIG_PASSPHRASE: "dev",
  };
}

let bin: string | undefined;
function toolchainBin(): string {
  if (bin) return bin;
  const { pulumiBinDir } = require("../support/toolchain") as typeof import("../support/toolchain");
  return (bin = pulumiBinDir());
}

/** The destroy block is "destroy, then stop the emulator": the image is checked between the two. */
function splitAtKill(block: string): [string, string] {
  const lines = block.trimEnd().split("\n");
  const kill = lines.findIndex((l) => l.startsWith("kill "));
  expect(kill).toBe(lines.length - 1);
  return [lines.slice(0, kill).join("\n"), lines.slice(kill).join("\n")];
}

async function waitUntilGone(pid: number): Promise<void> {
  for (let i = 0; i < 50; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`emulator ${pid} still running`);
}
