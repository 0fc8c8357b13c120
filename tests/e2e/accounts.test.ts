// Two accounts in one program through the real engine, each through a credential profile as
// tccli writes them (the emulator's accounts written by `writeProfiles`), with no keys in the
// environment or the stack config: the golden image is made in the build account (alice) and
// shared into the workload account (bob), found there by `getImage` and read by `CustomImage.get`;
// the destroy deletes it through the profile recorded in the state.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { writeProfiles } from "../../emulator/src";
import { callLog, cvmClient, describeImage, sharesOf } from "../support/cloud";
import { CUSTOM_IMAGE_TYPE, E2EWorld, expectNoCredentialsInState, startWorld } from "../support/e2e";
import { TestStack } from "../support/stack";
import { repoRoot } from "../support/toolchain";

jest.setTimeout(300_000);

let world: E2EWorld;
let stack: TestStack;
let profiles: string;

beforeAll(async () => {
  world = await startWorld();
  profiles = fs.mkdtempSync(path.join(os.tmpdir(), "ptci-tccli-"));
  writeProfiles(profiles, world.emu, { accounts: ["alice", "bob"], names: { alice: "build", bob: "workload" } });
  const { TENCENTCLOUD_CVM_ENDPOINT } = world.emu.env("alice");
  // No keys and no region anywhere but in the profiles (their .configure files give the region).
  stack = new TestStack({
    programDir: path.join(repoRoot, "tests", "e2e", "accounts"),
    env: {
      TENCENTCLOUD_CVM_ENDPOINT,
      TENCENTCLOUD_SECRET_ID: "",
      TENCENTCLOUD_SECRET_KEY: "",
      TENCENTCLOUD_SESSION_TOKEN: "",
      TENCENTCLOUD_SECURITY_TOKEN: "",
      TENCENTCLOUD_REGION: "",
      TENCENTCLOUD_PROFILE: "",
      CVM_IMAGE_POLL_MS: "250",
    },
  });
  await stack.init();
});
afterAll(async () => {
  stack?.dispose();
  await world?.emu.stop();
  if (profiles) fs.rmSync(profiles, { recursive: true, force: true });
});

test("a program with two profiles: made in one account, shared into the other, found and read there, destroyed", async () => {
  const bob = cvmClient(world.emu, "bob");
  stack.setConfig({
    "tencentcloud:sharedCredentialsDir": profiles,
    "e2e-accounts:instanceId": world.instanceId,
    "e2e-accounts:workloadUin": world.uins.bob,
    "e2e-accounts:existingName": "alice-web-base",
  });

  const up = await stack.up();
  if (up.code !== 0) throw new Error(`pulumi up failed:\n${up.stdout}\n${up.stderr}`);
  const out = await stack.outputs();

  // Made in the build account (alice), recorded with its profile; shared with the workload account.
  expect(out.goldenProfile).toBe("build");
  expect(out.goldenRegion).toBe(world.emu.defaultRegion); // from the profile's .configure
  expect((await describeImage(world.alice, out.goldenId)).ImageType).toBe("PRIVATE_IMAGE");
  expect(await sharesOf(world.alice, out.goldenId)).toEqual([world.uins.bob]);
  // The workload account sees it as shared with it: getImage found it there, CustomImage.get read it.
  expect((await describeImage(bob, out.goldenId)).ImageType).toBe("SHARED_IMAGE");
  expect(out).toMatchObject({
    foundId: out.goldenId,
    foundType: "SHARED_IMAGE",
    seenType: "SHARED_IMAGE",
    seenProfile: "workload",
  });
  expect(out.seenName).toMatch(/^golden-/);
  expect(out.existingId).toBe("img-alicegz1");
  // Each account's calls went out with its own keys.
  const log = await callLog(world.emu);
  expect(log.filter((c) => c.action === "CreateImage").map((c) => c.account)).toEqual([world.uins.alice]);
  expect(log.some((c) => c.action === "DescribeImages" && c.account === world.uins.bob)).toBe(true);

  // The state holds the profile names, never a key; the lookup is recorded as read, not managed.
  await expectNoCredentialsInState(stack, world);
  const resources = await stack.resourcesOfType(CUSTOM_IMAGE_TYPE);
  const managed = resources.find((r: any) => r.urn.endsWith("::golden"));
  const read = resources.find((r: any) => r.urn.endsWith("::golden-in-workload"));
  expect(managed.outputs.profile).toBe("build");
  expect(read.external).toBe(true);

  // A second up changes nothing.
  const again = await stack.up();
  expect(again.code).toBe(0);
  expect(again.stdout).not.toMatch(/[1-9]\d* (created|updated|replaced|deleted)/);

  // Destroy: the golden image's shares are cancelled and it is deleted through its recorded profile;
  // the image read by `get` is only forgotten.
  const destroy = await stack.destroy();
  if (destroy.code !== 0) throw new Error(`pulumi destroy failed:\n${destroy.stdout}\n${destroy.stderr}`);
  expect(await describeImage(world.alice, out.goldenId)).toBeUndefined();
  const deletes = (await callLog(world.emu)).filter((c) => c.action === "DeleteImages");
  expect(deletes.map((c) => c.account)).toEqual([world.uins.alice]);
  expect(await describeImage(world.alice, "img-alicegz1")).toBeDefined();
});
