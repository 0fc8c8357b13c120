// A destroy after a fixed credential, through the real engine. The stack config holds the keys (no
// keys in the environment). A `pulumi up` records a wrong key; the key is fixed in the config; a
// plain `pulumi destroy` still runs with the configuration recorded at that `up`, so it fails, and
// its message names the source (the stack config) and the fix (`--run-program`), never a secret;
// `pulumi destroy --run-program` uses the current config and succeeds.
import { describeImage } from "../support/cloud";
import { CUSTOM_IMAGE_TYPE, declare, e2eProgramDir, E2EWorld, startWorld } from "../support/e2e";
import { TestStack } from "../support/stack";

jest.setTimeout(300_000);

let world: E2EWorld;
let stack: TestStack;
const WRONG_KEY = "wrongSecretKeyForTheE2ETest000000";

beforeAll(async () => {
  world = await startWorld();
  const { TENCENTCLOUD_CVM_ENDPOINT, TENCENTCLOUD_REGION } = world.emu.env("alice");
  stack = new TestStack({
    programDir: e2eProgramDir,
    env: {
      TENCENTCLOUD_CVM_ENDPOINT,
      TENCENTCLOUD_REGION,
      TENCENTCLOUD_SECRET_ID: "",
      TENCENTCLOUD_SECRET_KEY: "",
      TENCENTCLOUD_SESSION_TOKEN: "",
      TENCENTCLOUD_SECURITY_TOKEN: "",
      TENCENTCLOUD_PROFILE: "",
      CVM_IMAGE_POLL_MS: "250",
    },
  });
  await stack.init();
});
afterAll(async () => {
  stack?.dispose();
  await world?.emu.stop();
});

const setSecret = (key: string, value: string) =>
  stack.ok(["config", "set", "--secret", key, value, "--stack", stack.stackName, "--config-file", stack.configFile]);

test("wrong key recorded at up, fixed in config: plain destroy names the recorded stack config and --run-program; destroy --run-program succeeds", async () => {
  const alice = world.emu.accounts.find((a) => a.name === "alice")!;
  declare(stack, [{ name: "fixed", args: { fromInstance: { instanceId: world.instanceId } } }]);
  await setSecret("tencentcloud:secretId", alice.secretId);
  await setSecret("tencentcloud:secretKey", alice.secretKey);
  const first = await stack.up();
  if (first.code !== 0) throw new Error(`first up failed:\n${first.stdout}\n${first.stderr}`);
  const [image] = await stack.resourcesOfType(CUSTOM_IMAGE_TYPE);
  expect((await describeImage(world.alice, image.id)).ImageState).toBe("NORMAL");

  // A wrong key, recorded by an up that has nothing to change in the cloud.
  await setSecret("tencentcloud:secretKey", WRONG_KEY);
  const wrong = await stack.up();
  expect(wrong.code).toBe(0);

  // Fixed in the config; a plain destroy still uses the recorded (wrong) key.
  await setSecret("tencentcloud:secretKey", alice.secretKey);
  const plain = await stack.destroy();
  const output = `${plain.stdout}\n${plain.stderr}`;
  expect(plain.code).not.toBe(0);
  expect(output).toMatch(
    /AuthFailure\.SignatureFailure\); they came from stack config tencentcloud:secretId \/ tencentcloud:secretKey/,
  );
  expect(output).toMatch(/use the stack config recorded at the last `pulumi up` that declared one/);
  expect(output).toMatch(/pulumi destroy --run-program/);
  // The way forward agrees: the command that uses the fixed config, not a plain re-run.
  expect(output).toMatch(
    /once tencentcloud:secretId \/ tencentcloud:secretKey are right in the stack config, run `pulumi destroy --run-program`/,
  );
  for (const secret of [alice.secretKey, alice.secretId, WRONG_KEY]) expect(output).not.toContain(secret);
  expect((await describeImage(world.alice, image.id)).ImageState).toBe("NORMAL");

  // With --run-program the engine configures the provider from the current config.
  const fixed = await stack.destroy(["--run-program"]);
  if (fixed.code !== 0) throw new Error(`destroy --run-program failed:\n${fixed.stdout}\n${fixed.stderr}`);
  expect(await describeImage(world.alice, image.id)).toBeUndefined();
  expect(await stack.resourcesOfType(CUSTOM_IMAGE_TYPE)).toEqual([]);
});

test("images dropped from the program: a `pulumi up` that still declares a CustomImage deletes them with the current config; one that declares none, with the recorded config", async () => {
  const alice = world.emu.accounts.find((a) => a.name === "alice")!;
  const keep = { name: "keep", args: { fromInstance: { instanceId: world.instanceId } } };
  const dropA = { name: "drop-a", args: { fromInstance: { instanceId: world.instanceId } } };
  // `declare` rewrites the stack's config file: the keys are set again after it.
  const shape = async (images: Array<typeof keep>, key: string) => {
    declare(stack, images);
    await setSecret("tencentcloud:secretId", alice.secretId);
    await setSecret("tencentcloud:secretKey", key);
  };
  await shape([keep, dropA], alice.secretKey);
  expect((await stack.up()).code).toBe(0);
  await shape([keep, dropA], WRONG_KEY);
  expect((await stack.up()).code).toBe(0); // records the wrong key

  // Fixed, and drop-a removed while keep stays: the program registers the provider with the current config.
  await shape([keep], alice.secretKey);
  const partial = await stack.up();
  if (partial.code !== 0) throw new Error(`up dropping one image failed:\n${partial.stdout}\n${partial.stderr}`);

  // Wrong key recorded again, then fixed and every image removed: no CustomImage registers the provider,
  // so the deletes run with the recorded (wrong) config, and the message says how to get past it.
  await shape([keep], WRONG_KEY);
  expect((await stack.up()).code).toBe(0);
  await shape([], alice.secretKey);
  const none = await stack.up();
  expect(none.code).not.toBe(0);
  expect(`${none.stdout}\n${none.stderr}`).toMatch(/or a `pulumi up` that still declares a CustomImage/);
  const fixed = await stack.destroy(["--run-program"]);
  expect(fixed.code).not.toBe(0); // the program declares none either: still the recorded config
  await shape([keep], alice.secretKey);
  expect((await stack.up()).code).toBe(0); // records the current config
  expect((await stack.destroy()).code).toBe(0);
  expect(await stack.resourcesOfType(CUSTOM_IMAGE_TYPE)).toEqual([]);
});
