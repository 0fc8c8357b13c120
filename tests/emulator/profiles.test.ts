/** The emulator's accounts as tccli credential profiles: `writeProfiles` and `cvm-image emulator --write-profiles DIR`. */
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { writeProfiles } from "../../emulator/src";
import { readProfile } from "../../provider/src/cloud/profiles";
import { client, start } from "./helpers";

test("writeProfiles: one .credential (secretId, secretKey; 0600) and one .configure (_sys_param region, output) per account, readable as tccli's", async () => {
  const emu = await start();
  try {
    const dir = mkdtempSync(path.join(tmpdir(), "cvm-emu-profiles-"));
    const written = writeProfiles(dir, emu, { accounts: ["alice", "100000000002"], names: { bob: "workload" } });
    expect(written.map((w) => `${w.profile}:${w.account}:${w.uin}`)).toEqual([
      "alice:alice:100000000001",
      "workload:bob:100000000002",
    ]);
    expect(readdirSync(dir).sort()).toEqual([
      "alice.configure",
      "alice.credential",
      "workload.configure",
      "workload.credential",
    ]);
    const bob = emu.accounts.find((a) => a.name === "bob")!;
    expect(JSON.parse(readFileSync(path.join(dir, "workload.credential"), "utf8"))).toEqual({
      secretId: bob.secretId,
      secretKey: bob.secretKey,
    });
    expect(JSON.parse(readFileSync(path.join(dir, "workload.configure"), "utf8"))).toEqual({
      _sys_param: { region: "ap-guangzhou", output: "json" },
    });
    expect(statSync(path.join(dir, "workload.credential")).mode & 0o777).toBe(0o600);
    // The provider's reader takes them as tccli's, and the keys work against the emulator.
    const profile = readProfile("workload", dir, { home: tmpdir() })!;
    expect(profile).toMatchObject({ credential: { secretId: bob.secretId }, region: "ap-guangzhou" });
    await expect(client(emu, "bob").DescribeImages({})).resolves.toBeDefined();
    expect(() => writeProfiles(dir, emu, { accounts: ["zed"] })).toThrow(/no emulator account zed/);
  } finally {
    await emu.stop();
  }
});

test("CLI: --write-profiles DIR writes every account and says so on stderr, never a key", async () => {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), "cvm-emu-cli-profiles-")), "tccli");
  const child = spawn(
    process.execPath,
    [
      "-r",
      "ts-node/register/transpile-only",
      path.join(__dirname, "../../emulator/src/cli.ts"),
      "emulator",
      "--port",
      "0",
      "--write-profiles",
      dir,
    ],
    {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, TS_NODE_PROJECT: path.join(__dirname, "../../emulator/tsconfig.json") },
    },
  );
  let err = "";
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on("data", (d) => {
      err += d;
      if (/Stop with Ctrl-C/.test(err)) resolve();
    });
    child.on("exit", (code) => reject(new Error(`cli exited ${code}: ${err}`)));
  });
  const exited = new Promise((r) => child.on("exit", r));
  child.kill("SIGTERM");
  await exited;
  expect(err).toContain(`profiles alice, bob, carol in ${dir}`);
  expect(readdirSync(dir).sort()).toEqual(
    ["alice", "bob", "carol"].flatMap((n) => [`${n}.configure`, `${n}.credential`]),
  );
  const alice = JSON.parse(readFileSync(path.join(dir, "alice.credential"), "utf8"));
  expect(err).not.toContain(alice.secretKey);
}, 30000);
