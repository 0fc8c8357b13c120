// Credential profiles against the emulator: two accounts through two profiles in one process, the
// profile recorded in the outputs and used by read and delete whatever the stack's credentials are
// by then, a change of profile (same account: in place; another: refused), and authentication
// errors that name the source of the credentials and the fix, never a secret.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { writeProfiles } from "@pulumi-tencentcloud-images/cvm-emulator";
import { ALICE, BOB, CAROL, describe as describeImage, provider, rejection, up, useHarness, waitGone } from "./harness";

const h = useHarness();
let dir: string;
const saved: Record<string, string | undefined> = {};
const ENV_NAMES = [
  "TENCENTCLOUD_SHARED_CREDENTIALS_DIR",
  "TENCENTCLOUD_SECRET_ID",
  "TENCENTCLOUD_SECRET_KEY",
  "TENCENTCLOUD_PROFILE",
];

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ptci-profiles-"));
  writeProfiles(dir, h.emu, { accounts: ["alice", "bob"], names: { alice: "build", bob: "workload" } });
  // A second name for alice's account (a renamed profile), and a profile with a wrong key.
  writeProfiles(dir, h.emu, { accounts: ["alice"], names: { alice: "build-2" } });
  const alice = h.emu.accounts.find((a) => a.name === "alice")!;
  fs.writeFileSync(
    path.join(dir, "broken.credential"),
    JSON.stringify({ secretId: alice.secretId, secretKey: "wrongSecretKey000000000000000000" }),
  );
  for (const k of ENV_NAMES) saved[k] = process.env[k];
  // The stack's own credentials are carol's: whatever a profile names, carol's keys must not be used for it.
  Object.assign(process.env, h.emu.env("carol"), { TENCENTCLOUD_SHARED_CREDENTIALS_DIR: dir });
});
afterAll(() => {
  for (const k of ENV_NAMES) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

const calls = async () =>
  (await h.control("GET", "calls")).log as Array<{ action: string; account: string; errorCode?: string }>;

test("the emulator's accounts written as profiles hold only what tccli writes", () => {
  const alice = h.emu.accounts.find((a) => a.name === "alice")!;
  expect(JSON.parse(fs.readFileSync(path.join(dir, "build.credential"), "utf8"))).toEqual({
    secretId: alice.secretId,
    secretKey: alice.secretKey,
  });
  expect(JSON.parse(fs.readFileSync(path.join(dir, "build.configure"), "utf8"))).toEqual({
    _sys_param: { region: "ap-guangzhou", output: "json" },
  });
  expect(fs.statSync(path.join(dir, "build.credential")).mode & 0o777).toBe(0o600);
});

test("two accounts through two profiles in one process; each image's delete uses its recorded profile", async () => {
  await h.clearCalls();
  // alice's golden image (profile build) shared with bob; bob's own image (profile workload) from his snapshot.
  const [golden, own] = await Promise.all([
    up("golden", { profile: "build", fromInstance: { instanceId: "ins-web00001" }, sharedWith: [BOB] }),
    up("bob-own", { profile: "workload", fromSnapshots: { snapshotIds: ["snap-bobs0001"] } }),
  ]);
  expect(golden.outs).toMatchObject({
    profile: "build",
    imageType: "PRIVATE_IMAGE",
    sharedWith: [BOB],
    region: "ap-guangzhou",
  });
  expect(own.outs).toMatchObject({ profile: "workload", imageType: "PRIVATE_IMAGE" });
  // Each image is its account's; bob sees alice's as shared with him.
  expect((await describeImage(h, golden.id, "alice")).ImageType).toBe("PRIVATE_IMAGE");
  expect((await describeImage(h, golden.id, "bob")).ImageType).toBe("SHARED_IMAGE");
  expect((await describeImage(h, own.id, "bob")).ImageType).toBe("PRIVATE_IMAGE");
  // No call went out with the stack's own (carol's) keys.
  const accounts = new Set((await calls()).map((c) => c.account));
  expect([...accounts].sort()).toEqual([ALICE, BOB].sort());
  expect(accounts.has(CAROL)).toBe(false);

  // A refresh and a delete use the recorded profile, whatever the stack's credentials are now.
  const read = await provider.read(golden.id, golden.outs);
  expect(read.props).toMatchObject({ profile: "build", sharedWith: [BOB] });
  await h.clearCalls();
  await Promise.all([provider.delete(golden.id, golden.outs), provider.delete(own.id, own.outs)]);
  await waitGone(h, golden.id);
  expect(await describeImage(h, own.id, "bob")).toBeNull();
  const deletes = (await calls()).filter((c) => c.action === "DeleteImages");
  expect(deletes.map((c) => c.account).sort()).toEqual([ALICE, BOB].sort());
});

test("a change of profile: to another name of the same account, in place; to another account, refused with nothing changed", async () => {
  const made = await up("moving", { profile: "build", fromInstance: { instanceId: "ins-web00001" } });
  const change = async (profile: string | undefined) => {
    const news = { ...made.inputs, profile, __provider: made.outs.__provider };
    if (profile === undefined) delete news.profile;
    const d = await provider.diff(made.id, made.outs, news);
    expect(d).toMatchObject({ changes: true, replaces: [] });
    return provider.update(made.id, made.outs, news);
  };
  const renamed = await change("build-2");
  expect(renamed.outs).toMatchObject({ profile: "build-2", imageId: made.id });

  await h.clearCalls();
  const refused = await rejection(change("workload"));
  expect(refused.message).toMatch(/^Failed to update image img-\w+ \("moving-\w+"\) in ap-guangzhou/);
  expect(refused.message).toMatch(
    /`profile` changed from profile `build` to profile `workload`, whose credentials \(profile `workload` from .*workload\.credential/,
  );
  expect(refused.message).toMatch(/see the image as a SHARED_IMAGE|do not see the image/);
  expect(refused.message).toMatch(
    /an image cannot move between accounts[\s\S]*nothing was changed[\s\S]*put `profile: "build"` back/,
  );
  expect(refused.properties).toBeUndefined(); // the state keeps the recorded profile
  expect((await calls()).filter((c) => c.action !== "DescribeImages")).toEqual([]);

  // Dropping the profile means the stack's credentials (carol's here): another account, refused too.
  const dropped = await rejection(change(undefined));
  expect(dropped.message).toMatch(/from profile `build` to the stack's credentials \(no `profile`\)/);
  await provider.delete(made.id, made.outs);
});

describe("authentication errors name the source and the fix, never a secret", () => {
  const secrets = () =>
    h.emu.accounts.flatMap((a) => [a.secretId, a.secretKey]).concat(["wrongSecretKey000000000000000000"]);
  const clean = (e: Error) => {
    for (const s of secrets()) expect(`${e.message}\n${e.stack}`).not.toContain(s);
  };

  test("a profile with a wrong key: create names the profile and its file", async () => {
    const e = await rejection(up("bad-profile", { profile: "broken", fromInstance: { instanceId: "ins-web00001" } }));
    expect(e.message).toMatch(
      /AuthFailure\.SignatureFailure\); they came from profile `broken` from .*broken\.credential \(the resource's `profile` input\)/,
    );
    expect(e.message).toMatch(/fix the keys in .*broken\.credential \(`tccli configure --profile broken`/);
    clean(e);
  });

  test("wrong keys in the environment: named, with the environment's fix", async () => {
    const good = { id: process.env.TENCENTCLOUD_SECRET_ID, key: process.env.TENCENTCLOUD_SECRET_KEY };
    process.env.TENCENTCLOUD_SECRET_KEY = "wrongSecretKey000000000000000000";
    try {
      const e = await rejection(up("bad-env", { fromInstance: { instanceId: "ins-web00001" } }));
      expect(e.message).toMatch(
        /they came from the environment \(TENCENTCLOUD_SECRET_ID \/ TENCENTCLOUD_SECRET_KEY\)\. To fix it: set the right TENCENTCLOUD_SECRET_ID/,
      );
      clean(e);
    } finally {
      process.env.TENCENTCLOUD_SECRET_ID = good.id;
      process.env.TENCENTCLOUD_SECRET_KEY = good.key;
    }
  });

  test("a wrong key in the stack config: a delete says the config was recorded and to use --run-program", async () => {
    const alice = h.emu.accounts.find((a) => a.name === "alice")!;
    const made = await up("cfg-delete", { profile: "build", fromInstance: { instanceId: "ins-web00001" } });
    const { profile: _p, ...withoutProfile } = made.outs; // as if made with the stack's credentials
    const cfg: Record<string, string> = {
      "tencentcloud:secretId": alice.secretId,
      "tencentcloud:secretKey": "wrongSecretKey000000000000000000",
    };
    await provider.configure({ config: { get: (k: string) => cfg[k], require: (k: string) => cfg[k] } } as never);
    try {
      const e = await rejection(provider.delete(made.id, withoutProfile));
      expect(e.message).toMatch(/^Failed to delete image img-\w+/);
      expect(e.message).toMatch(
        /they came from stack config tencentcloud:secretId \/ tencentcloud:secretKey\. To fix it: a `pulumi destroy`, a `pulumi refresh`, and a `pulumi up` whose program declares no CustomImage any more, use the stack config recorded at the last `pulumi up`/,
      );
      expect(e.message).toMatch(
        /run `pulumi destroy --run-program` or `pulumi refresh --run-program` \(or a `pulumi up` that still declares a CustomImage/,
      );
      expect(e.message).toMatch(
        /once tencentcloud:secretId \/ tencentcloud:secretKey are right in the stack config, run `pulumi destroy --run-program`.*the delete resumes from where it stopped/,
      );
      clean(e);
    } finally {
      await provider.configure({ config: { get: () => undefined, require: () => "" } } as never);
    }
    await provider.delete(made.id, made.outs);
  });

  test("a missing profile: the setting and the file, before any call", async () => {
    await h.clearCalls();
    const e = await rejection(up("no-profile", { profile: "nope", fromInstance: { instanceId: "ins-web00001" } }));
    expect(e.message).toMatch(
      /profile `nope` \(the resource's `profile` input\) not found: there is no .*nope\.credential/,
    );
    expect((await calls()).length).toBe(0);
  });
});

test("the fleet and the rate budgets are per account: two profiles never share a key", () => {
  const { fleetKey } = require("pulumi-tencentcloud-images/dist/cloud/describes") as { fleetKey(s: unknown): string };
  const { resolveSettings } = require("pulumi-tencentcloud-images/dist/cloud/settings") as {
    resolveSettings(o: object): Record<string, string>;
  };
  const build = resolveSettings({ profile: "build", region: "ap-guangzhou" });
  const workload = resolveSettings({ profile: "workload", region: "ap-guangzhou" });
  expect(fleetKey(build)).not.toBe(fleetKey(workload));
  expect(fleetKey(build)).not.toContain(build.secretId);
});
