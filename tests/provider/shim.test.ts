import * as pulumi from "@pulumi/pulumi";
import { execFileSync } from "child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { customImageProvider } from "pulumi-tencentcloud-images";
import { Harness, provider, startHarness } from "./harness";

const ROOT = path.resolve(__dirname, "../..");
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await provider.configure({ config: { get: () => undefined, require: () => "" } } as never);
  await h.stop();
});

async function serialized(): Promise<{ text: string; containsSecrets: boolean }> {
  return pulumi.runtime.serializeFunction(() => customImageProvider, { allowSecrets: true });
}

/** Runs the serialized text as the dynamic-provider host does (require-from-string, from `cwd`), and calls check. */
function runSerialized(text: string, cwd: string): unknown {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "shim-text-")), "provider-text.js");
  writeFileSync(file, text);
  const script = `
    const rfs = require(${JSON.stringify(require.resolve("require-from-string", { paths: [require.resolve("@pulumi/pulumi")] }))});
    const code = require("fs").readFileSync(${JSON.stringify(file)}, "utf8");
    const p = rfs(code).handler();
    p.check({}, { fromInstance: { instanceId: "bad" }, region: "ap-guangzhou", resourceName: "x" })
      .then((r) => process.stdout.write(JSON.stringify(r)), (e) => { process.stderr.write(String(e)); process.exit(1); });`;
  return JSON.parse(
    execFileSync(process.execPath, ["-e", script], { cwd, env: { PATH: process.env.PATH ?? "" } }).toString(),
  );
}

test("the serialized provider holds no credential, even after configure with secrets", async () => {
  const env = h.emu.env("alice");
  const bob = h.emu.env("bob");
  const config: Record<string, string> = {
    "tencentcloud:secretId": bob.TENCENTCLOUD_SECRET_ID,
    "tencentcloud:secretKey": bob.TENCENTCLOUD_SECRET_KEY,
    "tencentcloud:region": "ap-guangzhou",
  };
  await provider.configure({ config: { get: (k: string) => config[k], require: (k: string) => config[k] } } as never);
  // Exercise the implementation so that every module is loaded and holds its state.
  await provider.read("img-alic0001", { region: "ap-guangzhou" }).catch(() => undefined);
  const { text, containsSecrets } = await serialized();
  expect(containsSecrets).toBe(false);
  for (const secret of [
    env.TENCENTCLOUD_SECRET_ID,
    env.TENCENTCLOUD_SECRET_KEY,
    bob.TENCENTCLOUD_SECRET_ID,
    bob.TENCENTCLOUD_SECRET_KEY,
  ]) {
    expect(text).not.toContain(secret);
  }
  // Thin: seven methods that each require the implementation by package name, and nothing else.
  expect(text.match(/require\("pulumi-tencentcloud-images\/dist\/provider"\)/g)?.length).toBe(7);
  expect(text).not.toMatch(/tencentcloud-sdk|callApi|secretKey|TENCENTCLOUD_/);
  expect(text.length).toBeLessThan(4000);
  await provider.configure({ config: { get: () => undefined, require: () => "" } } as never);
});

test("stack config credentials are used when the environment has none", async () => {
  const bob = h.emu.env("bob");
  const saved = { id: process.env.TENCENTCLOUD_SECRET_ID, key: process.env.TENCENTCLOUD_SECRET_KEY };
  delete process.env.TENCENTCLOUD_SECRET_ID;
  delete process.env.TENCENTCLOUD_SECRET_KEY;
  try {
    await expect(provider.read("img-bobs0001", { region: "ap-guangzhou" })).rejects.toThrow(
      /no Tencent Cloud credentials found/,
    );
    const config: Record<string, string> = {
      "tencentcloud:secretId": bob.TENCENTCLOUD_SECRET_ID,
      "tencentcloud:secretKey": bob.TENCENTCLOUD_SECRET_KEY,
    };
    await provider.configure({ config: { get: (k: string) => config[k], require: (k: string) => config[k] } } as never);
    // As bob, his image is PRIVATE_IMAGE (as alice it is SHARED_IMAGE).
    const r = await provider.read("img-bobs0001", { region: "ap-guangzhou", sharedWith: [] });
    expect(r.props).toMatchObject({ imageType: "PRIVATE_IMAGE", unmanagedShares: ["100000000001"] });
  } finally {
    process.env.TENCENTCLOUD_SECRET_ID = saved.id;
    process.env.TENCENTCLOUD_SECRET_KEY = saved.key;
    await provider.configure({ config: { get: () => undefined, require: () => "" } } as never);
  }
});

test("the serialized text loads today's code from the installed package", async () => {
  const { text } = await serialized();
  // From the project: the real implementation answers (its validation message).
  const real = runSerialized(text, ROOT) as { failures: Array<{ property: string; reason: string }> };
  expect(real.failures[0]?.reason).toMatch(/^fromInstance\.instanceId: .*not a valid instance id/m);

  // From a program whose installed package is a different version: that version answers, so a
  // destroy after an upgrade runs the upgraded code, not code frozen in the state.
  const dir = mkdtempSync(path.join(tmpdir(), "shim-"));
  const pkg = path.join(dir, "node_modules", "pulumi-tencentcloud-images", "dist", "provider");
  mkdirSync(pkg, { recursive: true });
  writeFileSync(
    path.join(dir, "node_modules", "pulumi-tencentcloud-images", "package.json"),
    JSON.stringify({ name: "pulumi-tencentcloud-images", version: "9.9.9" }),
  );
  writeFileSync(
    path.join(pkg, "index.js"),
    `exports.check = async () => ({ inputs: { upgraded: "9.9.9" }, failures: [] });`,
  );
  expect(runSerialized(text, dir)).toEqual({ inputs: { upgraded: "9.9.9" }, failures: [] });
});
