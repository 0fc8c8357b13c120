// The serialized provider of ImageRetention (provider/src/resource/retention-shim.ts): a thin shim that
// Pulumi writes into the state and the dynamic-provider host runs from text. It must hold no credential
// and no state of the program, and reach the implementation by package name at call time
// (`pulumi-tencentcloud-images/dist/retention`), so a destroy after an upgrade runs the upgraded code.
// Runs against provider/dist (build with `npx tsc -b`), which the package name resolves to.
import * as pulumi from "@pulumi/pulumi";
import { execFileSync } from "child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { imageRetentionProvider } from "../../../provider/src/resource/retention-shim";

const ROOT = path.resolve(__dirname, "../../..");
const PULUMI = require.resolve("@pulumi/pulumi");
const REQUIRE_FROM_STRING = require.resolve("require-from-string", { paths: [PULUMI] });
const IMPLEMENTATION = /require\("pulumi-tencentcloud-images\/dist\/retention"\)/g;

const dirs: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** The stack config the engine hands to `configure`. */
const configWith = (values: Record<string, string>) =>
  ({ config: { get: (k: string) => values[k], require: (k: string) => values[k] ?? "" } }) as never;

async function serialized(): Promise<{ text: string; containsSecrets: boolean }> {
  return pulumi.runtime.serializeFunction(() => imageRetentionProvider, { allowSecrets: true });
}

/** Runs `script` in a plain node process from `cwd`, and parses what it writes. */
function runNode(script: string, cwd: string, env: Record<string, string> = {}): unknown {
  const out = execFileSync(process.execPath, ["-e", script], {
    cwd,
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return JSON.parse(out.toString());
}

/** Calls check of the serialized text as the dynamic-provider host does (require-from-string, from `cwd`). */
function checkFromText(text: string, cwd: string, news: Record<string, unknown>, env?: Record<string, string>) {
  const file = path.join(tempDir("retention-shim-text-"), "provider-text.js");
  writeFileSync(file, text);
  const script = `
    const rfs = require(${JSON.stringify(REQUIRE_FROM_STRING)});
    const code = require("fs").readFileSync(${JSON.stringify(file)}, "utf8");
    const p = rfs(code).handler();
    p.check({}, ${JSON.stringify(news)})
      .then((r) => process.stdout.write(JSON.stringify(r)), (e) => { process.stderr.write(String(e)); process.exit(1); });`;
  return runNode(script, cwd, env);
}

test("the serialized provider holds no credential and no captured state, even after configure with secrets", async () => {
  const before = await serialized();
  const secrets = {
    "tencentcloud:secretId": "AKIDretentionShimSecretId0001",
    "tencentcloud:secretKey": "retentionShimSecretKey0001xyz",
    "tencentcloud:securityToken": "retentionShimSessionToken0001",
  };
  await imageRetentionProvider.configure!(configWith({ ...secrets, "tencentcloud:region": "ap-shanghai" }));
  try {
    // Exercise the implementation so that its modules are loaded and hold the configured state.
    const checked = await imageRetentionProvider.check!({}, { family: "web", keepNewest: 3, resourceName: "keep" });
    expect(checked.failures).toEqual([]);
    expect(checked.inputs).toMatchObject({ family: "web", keepNewest: 3, region: "ap-shanghai", resourceName: "keep" });

    const after = await serialized();
    expect(after.containsSecrets).toBe(false);
    for (const secret of Object.values(secrets)) expect(after.text).not.toContain(secret);
    expect(after.text).not.toContain("ap-shanghai");
    // Stateless: what configure and check did leaves the text as it was.
    expect(after.text).toBe(before.text);
    // Thin: seven methods that each require the implementation by package name, and nothing else.
    expect(after.text.match(IMPLEMENTATION)?.length).toBe(7);
    expect(after.text.match(/require\(/g)?.length).toBe(7);
    expect(after.text).not.toMatch(/dist\/provider|tencentcloud-sdk|callApi|secretKey|TENCENTCLOUD_|managedImageIds/);
    expect(after.text.length).toBeLessThan(4000);
  } finally {
    await imageRetentionProvider.configure!(configWith({}));
  }
});

test("run as the dynamic-provider host runs it, check reaches the implementation by package name", async () => {
  const { text } = await serialized();
  // From the project: the real implementation answers (its validation of the inputs).
  const real = checkFromText(text, ROOT, { keepNewest: 0 }) as {
    failures: Array<{ property: string; reason: string }>;
  };
  expect(real.failures).toHaveLength(1);
  const reason = real.failures[0]!.reason;
  expect(reason).toMatch(/^keepNewest: must be a whole number of at least 1, not the number 0/m);
  expect(reason).toMatch(/^family: no scope: give family, namePrefix or tags/m);
  expect(reason).toMatch(/nothing was sent to the cloud/);

  // From a program whose installed package is a different version: that version answers, so a
  // destroy after an upgrade runs the upgraded code, not code frozen in the state.
  const dir = tempDir("retention-shim-");
  const pkg = path.join(dir, "node_modules", "pulumi-tencentcloud-images");
  mkdirSync(path.join(pkg, "dist", "retention"), { recursive: true });
  writeFileSync(
    path.join(pkg, "package.json"),
    JSON.stringify({ name: "pulumi-tencentcloud-images", version: "9.9.9" }),
  );
  writeFileSync(
    path.join(pkg, "dist", "retention", "index.js"),
    `exports.check = async () => ({ inputs: { upgraded: "9.9.9" }, failures: [] });`,
  );
  expect(checkFromText(text, dir, { keepNewest: 0 })).toEqual({ inputs: { upgraded: "9.9.9" }, failures: [] });
});

test("from an installed copy (node_modules), a retention's provider serializes as one require of the stable module", () => {
  // An installed package: package.json and dist under a program's node_modules; its own
  // dependencies (and @pulumi/pulumi) resolve from the workspace's node_modules through NODE_PATH.
  const dir = tempDir("retention-installed-");
  const pkg = path.join(dir, "node_modules", "pulumi-tencentcloud-images");
  mkdirSync(pkg, { recursive: true });
  cpSync(path.join(ROOT, "provider", "package.json"), path.join(pkg, "package.json"));
  cpSync(path.join(ROOT, "provider", "dist"), path.join(pkg, "dist"), { recursive: true });
  const env = { NODE_PATH: path.join(ROOT, "node_modules") };
  // The program declares a retention, as a user's does; the mock sees its inputs' __provider.
  const script = `
    const pulumi = require("@pulumi/pulumi");
    let inputs;
    pulumi.runtime.setMocks({
      newResource: (a) => { inputs = a.inputs; return { id: "retention-1", state: a.inputs }; },
      call: (a) => a.inputs,
    }, "proj", "dev", false);
    const { ImageRetention } = require("pulumi-tencentcloud-images");
    const r = new ImageRetention("keep", { family: "web", keepNewest: 3 });
    r.urn.apply(() => setImmediate(() => process.stdout.write(JSON.stringify({
      provider: inputs.__provider,
      loadedFrom: require.resolve("pulumi-tencentcloud-images"),
    }))));`;
  const { provider, loadedFrom } = runNode(script, dir, env) as { provider: string; loadedFrom: string };
  expect(loadedFrom.startsWith(pkg)).toBe(true);
  expect(provider).toContain('require("pulumi-tencentcloud-images/dist/resource/retention-provider-module.js")');
  expect(provider.match(/require\(/g)?.length).toBe(1);
  expect(provider).not.toMatch(/dist\/retention"|async check|imageRetentionProvider/);
  expect(provider.length).toBeLessThan(400);
  // Run from the program as the host runs it, that require reaches the installed implementation.
  const answer = checkFromText(provider, dir, { keepNewest: 0 }, env) as { failures: Array<{ reason: string }> };
  expect(answer.failures[0]?.reason).toMatch(/^keepNewest: must be a whole number of at least 1/m);
});
