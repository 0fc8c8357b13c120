// A stale state never deletes another stack's image: stack `dev` made an image; the emulator was
// restarted without its state (with the same seed, so it hands out the same ids again); stack `dev2`
// then got an image under the same id. Destroying `dev` must leave dev2's image alone.
import { startEmulator } from "../../emulator/src";
import { cvmClient, describeImage, instanceIds } from "../support/cloud";
import { declare, e2eProgramDir, type RunningEmulator } from "../support/e2e";
import { TestStack } from "../support/stack";

jest.setTimeout(240_000);

/** A seed given on purpose: the only way the emulator hands out an id twice (see the emulator's id-sequence tests). */
const SEED = 4242;
const timing = { creatingMs: 400, importingMs: 400, syncingMs: 400, deleteLagMs: 200 };

let emu: RunningEmulator | undefined;
const stacks: TestStack[] = [];
afterAll(async () => {
  for (const s of stacks) s.dispose();
  await emu?.stop();
});

async function stackWithImage(name: string): Promise<{ stack: TestStack; imageId: string; imageName: string }> {
  const stack = new TestStack({
    programDir: e2eProgramDir,
    stackName: `${name}${process.pid}`,
    env: { ...emu!.env("alice"), CVM_IMAGE_POLL_MS: "250" },
  });
  stacks.push(stack);
  await stack.init();
  const [instanceId] = await instanceIds(cvmClient(emu!));
  declare(stack, [{ name: "app", args: { fromInstance: { instanceId } } }]);
  const up = await stack.up();
  expect({ code: up.code, output: up.code ? up.stdout + up.stderr : "" }).toEqual({ code: 0, output: "" });
  const { imageIds, imageNames } = await stack.outputs();
  return { stack, imageId: imageIds.app, imageName: imageNames.app };
}

test("destroying a stale stack leaves the image another stack now has under the same id", async () => {
  emu = await startEmulator({ port: 0, randomSeed: SEED, timing });
  const port = emu.port;
  const dev = await stackWithImage("dev");

  // The emulator restarts without a state file, on the same port and seed: the ids start over.
  await emu.stop();
  emu = await startEmulator({ port, randomSeed: SEED, timing });
  const dev2 = await stackWithImage("dev2");
  expect(dev2.imageId).toBe(dev.imageId); // the premise: the same id names dev2's image now
  expect(dev2.imageName).not.toBe(dev.imageName);

  const destroy = await dev.stack.destroy();
  expect(destroy.code).toBe(0);
  const output = destroy.stdout + destroy.stderr;
  expect(output).toContain(`${dev.imageId} now names another image ("${dev2.imageName}"`);
  expect(output).toContain(`than the one the state recorded ("${dev.imageName}"`);
  expect(output).toContain("it is not the stack's to delete and is left alone");
  // dev2's image is still there, and dev's state is empty.
  expect((await describeImage(cvmClient(emu), dev2.imageId))?.ImageName).toBe(dev2.imageName);
  expect(await dev.stack.resourcesOfType("pulumi-nodejs:dynamic/tencentcloud-images:CustomImage")).toEqual([]);

  // dev2 still owns and deletes it.
  expect((await dev2.stack.destroy()).code).toBe(0);
  expect(await describeImage(cvmClient(emu), dev2.imageId)).toBeUndefined();
});

test("a stale refresh drops the recorded image and keeps the other stack's", async () => {
  const dev = await stackWithImage("dev3");
  const port = emu!.port;
  await emu!.stop();
  emu = await startEmulator({ port, randomSeed: SEED, timing });
  // Same seed, fresh emulator: replay the creates up to dev3's id (dev, dev2 were made before dev3 in the first emulator of this seed).
  let other: Awaited<ReturnType<typeof stackWithImage>> | undefined;
  for (let i = 0; i < 3 && other?.imageId !== dev.imageId; i++) other = await stackWithImage(`other${i}`);
  expect(other!.imageId).toBe(dev.imageId);

  const refresh = await dev.stack.refresh();
  expect(refresh.code).toBe(0);
  expect(refresh.stdout + refresh.stderr).toContain(
    "the refresh drops the recorded image from the state and leaves this one alone",
  );
  expect(await dev.stack.resourcesOfType("pulumi-nodejs:dynamic/tencentcloud-images:CustomImage")).toEqual([]);
  expect(await describeImage(cvmClient(emu!), dev.imageId)).toBeDefined();
});
