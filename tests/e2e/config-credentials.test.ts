// Credentials from stack config (`tencentcloud:secretId` / `tencentcloud:secretKey`, set as secrets),
// with none in the environment: the provider uses them, and they stay encrypted in the state.
import { describeImage } from "../support/cloud";
import { CUSTOM_IMAGE_TYPE, declare, e2eProgramDir, E2EWorld, startWorld } from "../support/e2e";
import { TestStack } from "../support/stack";

jest.setTimeout(240_000);

let world: E2EWorld;
let stack: TestStack;

beforeAll(async () => {
  world = await startWorld();
  const { TENCENTCLOUD_SECRET_ID: _id, TENCENTCLOUD_SECRET_KEY: _key, ...rest } = world.emu.env("alice");
  stack = new TestStack({
    programDir: e2eProgramDir,
    env: { ...rest, TENCENTCLOUD_SECRET_ID: "", TENCENTCLOUD_SECRET_KEY: "", CVM_IMAGE_POLL_MS: "250" },
  });
  await stack.init();
});
afterAll(async () => {
  stack?.dispose();
  await world?.emu.stop();
});

test("secret stack config credentials work and never appear in plaintext in the state", async () => {
  const alice = world.emu.accounts.find((a) => a.name === "alice")!;
  declare(stack, [{ name: "cfg", args: { fromInstance: { instanceId: world.instanceId } } }]);
  for (const [key, value] of [
    ["tencentcloud:secretId", alice.secretId],
    ["tencentcloud:secretKey", alice.secretKey],
  ]) {
    await stack.ok([
      "config",
      "set",
      "--secret",
      key,
      value,
      "--stack",
      stack.stackName,
      "--config-file",
      stack.configFile,
    ]);
  }

  expect((await stack.up()).code).toBe(0);
  const [image] = await stack.resourcesOfType(CUSTOM_IMAGE_TYPE);
  expect((await describeImage(world.alice, image.id)).ImageState).toBe("NORMAL");

  // The state as stored: the keys are encrypted wherever the engine records the config.
  const stored = await stack.exportState(false);
  expect(stored.text).not.toContain(alice.secretKey);
  expect(stored.text).not.toContain(alice.secretId);
  // Even decrypted, the image's own inputs, outputs and serialized provider hold no credential:
  // only the engine's record of the stack config (the default provider's inputs) has them.
  const shown = await stack.exportState(true);
  for (const r of shown.json.deployment.resources.filter((x: any) => x.type !== "pulumi:providers:pulumi-nodejs")) {
    const text = JSON.stringify(r);
    expect(text).not.toContain(alice.secretKey);
    expect(text).not.toContain(alice.secretId);
  }

  expect((await stack.destroy()).code).toBe(0);
  expect(await describeImage(world.alice, image.id)).toBeUndefined();
});
