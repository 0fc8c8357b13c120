/** State surviving a restart (library and command line), the CLI's output and signals, the control surface basics. */
import { ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { startEmulator } from "../../emulator/src";
import { BOB, client, control, describeOne, FAST, waitForState } from "./helpers";

const dir = mkdtempSync(path.join(tmpdir(), "cvm-emu-"));

test("library: state survives stop/start with statePath, including ids never being reused", async () => {
  const statePath = path.join(dir, "lib.json");
  let emu = await startEmulator({ ...FAST, statePath });
  const c = client(emu);
  const { ImageId } = await c.CreateImage({ ImageName: "persisted", InstanceId: "ins-alicgz01" });
  await c.ModifyImageSharePermission({ ImageId: "img-alicegz1", AccountIds: [BOB], Permission: "SHARE" });
  // deleted with its snapshots, still in its delete lag when the emulator stops
  const { ImageId: doomed } = await c.CreateImage({ ImageName: "doomed", SnapshotIds: ["snap-agzsys01"] });
  await waitForState(c, doomed!, "NORMAL");
  await emu.stop();
  emu = await startEmulator({ ...FAST, statePath, timing: { deleteLagMs: 60000 } });
  await client(emu).DeleteImages({ ImageIds: [doomed!], DeleteBindedSnap: true });
  await emu.stop();
  expect(JSON.parse(readFileSync(statePath, "utf8")).format).toBe("cvm-emulator-state/1");

  emu = await startEmulator({ ...FAST, statePath });
  try {
    const c2 = client(emu);
    await waitForState(c2, ImageId!, "NORMAL");
    expect(
      (await c2.DescribeImageSharePermission({ ImageId: "img-alicegz1" })).SharePermissionSet?.map((s) => s.AccountId),
    ).toEqual([BOB]);
    expect((await describeOne(c2, doomed!))?.SnapshotSet).toEqual([]);
    const { ImageId: next } = await c2.CreateImage({ ImageName: "after-restart", InstanceId: "ins-alicgz01" });
    expect(next).not.toBe(ImageId);
  } finally {
    await emu.stop();
  }
});

test("seed from a file replaces the default fixtures; reset goes back to it", async () => {
  const seedPath = path.join(dir, "seed.json");
  writeFileSync(
    seedPath,
    JSON.stringify({
      regions: ["ap-singapore"],
      accounts: [
        {
          name: "dave",
          uin: "200000000009",
          secretId: "AKIDdavedavedavedavedavedavedave0000",
          secretKey: "davedavedavedavedavedavedave0000",
        },
      ],
      images: [{ imageId: "img-dave0001", owner: "dave", region: "ap-singapore", name: "dave-img" }],
    }),
  );
  const emu = await startEmulator({ ...FAST, seedPath });
  try {
    expect(emu.defaultRegion).toBe("ap-singapore");
    expect(emu.env()).toMatchObject({
      TENCENTCLOUD_REGION: "ap-singapore",
      TENCENTCLOUD_SECRET_ID: "AKIDdavedavedavedavedavedavedave0000",
      TENCENTCLOUD_CVM_ENDPOINT: emu.url,
    });
    const c = client(emu, "dave", "ap-singapore");
    await c.ModifyImageAttribute({ ImageId: "img-dave0001", ImageName: "changed" });
    await control(emu, "POST", "reset");
    expect((await describeOne(c, "img-dave0001"))?.ImageName).toBe("dave-img");
  } finally {
    await emu.stop();
  }
});

test("control surface: health, accounts, settings, fixtures validation, unknown routes", async () => {
  const emu = await startEmulator(FAST);
  try {
    expect((await control(emu, "GET", "health")).status).toBe("ok");
    const accounts = await control(emu, "GET", "accounts");
    expect(accounts.accounts.map((a: { name: string; uin: string }) => `${a.name}:${a.uin}`)).toEqual([
      "alice:100000000001",
      "bob:100000000002",
      "carol:100000000003",
    ]);
    expect(accounts.accounts[0].secretId).toMatch(/^AKID[A-Za-z0-9]{32}$/);
    expect(accounts.accounts[0].secretKey).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(accounts.defaultAccount).toBe("alice");
    expect((await control(emu, "PATCH", "settings", { latencyMs: 5 })).latencyMs).toBe(5);
    await expect(control(emu, "PATCH", "settings", { latencyMs: "x" })).rejects.toThrow(/400/);
    await expect(control(emu, "PATCH", "settings", { nope: 1 })).rejects.toThrow(/400/);
    await expect(
      control(emu, "POST", "fixtures", { images: [{ owner: "zed", region: "ap-guangzhou", name: "x" }] }),
    ).rejects.toThrow(/unknown account/);
    await expect(
      control(emu, "POST", "fixtures", {
        images: [{ imageId: "img-alicegz1", owner: "alice", region: "ap-guangzhou", name: "x" }],
      }),
    ).rejects.toThrow(/already exists/);
    const added = await control(emu, "POST", "fixtures", {
      snapshots: [{ owner: "alice", region: "ap-guangzhou", diskUsage: "SYSTEM_DISK" }],
    });
    expect(added.added.snapshots[0]).toMatch(/^snap-[a-z0-9]{8}$/);
    const { ImageId } = await client(emu).CreateImage({ ImageName: "from-added", SnapshotIds: added.added.snapshots });
    expect(ImageId).toMatch(/^img-/);
    const state = await control(emu, "GET", "state");
    expect(state.images.some((i: { imageId: string }) => i.imageId === ImageId)).toBe(true);
    const res = await fetch(`${emu.url}/_emulator/nothing`);
    expect(res.status).toBe(404);
  } finally {
    await emu.stop();
  }
});

/** Run the CLI (from source through ts-node) and read its stdout up to the last export line, and its stderr up to the URL. */
function runCli(args: string[]): Promise<{ child: ChildProcess; lines: string[]; url: string }> {
  const child = spawn(
    process.execPath,
    ["-r", "ts-node/register/transpile-only", path.join(__dirname, "../../emulator/src/cli.ts"), "emulator", ...args],
    {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, TS_NODE_PROJECT: path.join(__dirname, "../../emulator/tsconfig.json") },
    },
  );
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    const ready = () => {
      const lines = out.split("\n").filter(Boolean);
      const url = /listening on (http:\/\/\S+?);/.exec(err)?.[1];
      if (url && lines.some((l) => l.startsWith("export TENCENTCLOUD_CVM_ENDPOINT="))) resolve({ child, lines, url }); // the last line
    };
    child.stderr!.on("data", (d) => {
      err += d;
      ready();
    });
    child.stdout!.on("data", (d) => {
      out += d;
      ready();
    });
    child.on("exit", (code) => reject(new Error(`cli exited ${code}: ${err}`)));
  });
}

const exitCode = (child: ChildProcess) => new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));

/** `export K='v'` lines (values without quotes inside) to an object; throws on any other line. */
const parseExports = (lines: string[]) =>
  Object.fromEntries(
    lines.map((l) => {
      const m = /^export (\w+)='([^']*)'$/.exec(l);
      if (!m) throw new Error(`not an export line: ${l}`);
      return [m[1]!, m[2]!];
    }),
  );

test("CLI: prints only export lines on stdout and the URL on stderr, serves, saves state on SIGTERM, exits 0, restarts with it", async () => {
  const statePath = path.join(dir, "cli.json");
  const first = await runCli(["--port", "0", "--state", statePath, "--no-rate-limits", "--creating-ms", "50"]);
  const url = first.url;
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  const env = parseExports(first.lines);
  expect(Object.keys(env)).toEqual([
    "TENCENTCLOUD_SECRET_ID",
    "TENCENTCLOUD_SECRET_KEY",
    "TENCENTCLOUD_SESSION_TOKEN",
    "TENCENTCLOUD_SECURITY_TOKEN",
    "TENCENTCLOUD_REGION",
    "TENCENTCLOUD_CVM_ENDPOINT",
  ]);
  expect(env.TENCENTCLOUD_SESSION_TOKEN).toBe("");
  expect(env.TENCENTCLOUD_SECURITY_TOKEN).toBe("");
  expect(env.TENCENTCLOUD_CVM_ENDPOINT).toBe(url);
  expect(env.TENCENTCLOUD_REGION).toBe("ap-guangzhou");
  const sdk = (endpointUrl: string, e: Record<string, string>) =>
    new (require("tencentcloud-sdk-nodejs-cvm").cvm.v20170312.Client)({
      credential: { secretId: e.TENCENTCLOUD_SECRET_ID, secretKey: e.TENCENTCLOUD_SECRET_KEY },
      region: e.TENCENTCLOUD_REGION,
      profile: { httpProfile: { endpoint: new URL(endpointUrl).host, protocol: "http://" } },
    });
  const { ImageId } = await sdk(url!, env).CreateImage({ ImageName: "cli-made", InstanceId: "ins-alicgz01" });
  const exited = exitCode(first.child);
  first.child.kill("SIGTERM");
  expect(await exited).toBe(0);

  const second = await runCli(["--state", statePath]);
  try {
    const env2 = parseExports(second.lines);
    expect(env2.TENCENTCLOUD_CVM_ENDPOINT).toBe(second.url);
    const r = await sdk(second.url, env2).DescribeImages({ ImageIds: [ImageId] });
    expect(r.ImageSet?.[0]?.ImageName).toBe("cli-made");
  } finally {
    const exited2 = exitCode(second.child);
    second.child.kill("SIGINT");
    expect(await exited2).toBe(0);
  }
}, 30000);

test("CLI: bad flags exit 1 with usage", async () => {
  const child = spawn(
    process.execPath,
    ["-r", "ts-node/register/transpile-only", path.join(__dirname, "../../emulator/src/cli.ts"), "emulator", "--bogus"],
    {
      stdio: "ignore",
      env: { ...process.env, TS_NODE_PROJECT: path.join(__dirname, "../../emulator/tsconfig.json") },
    },
  );
  expect(await exitCode(child)).toBe(1);
});
