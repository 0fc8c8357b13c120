// The whole life of images through the real Pulumi CLI and language host, against the emulator:
// preview, up, a refactor that drops an image, destroy.
import { callLog, control, describeImage, sharesOf } from "../support/cloud";
import { CUSTOM_IMAGE_TYPE, declare, expectNoCredentialsInState, worldWithStack } from "../support/e2e";

jest.setTimeout(240_000);

const ctx = worldWithStack();

test("preview shows the creates, up makes NORMAL images with the declared shares", async () => {
  const { world, stack } = ctx;
  declare(stack, [
    {
      name: "web",
      args: { fromInstance: { instanceId: world.instanceId }, sharedWith: [world.uins.bob, world.uins.carol] },
    },
    {
      name: "batch",
      args: { fromInstance: { instanceId: world.instanceId }, imageName: "e2e-batch", sharedWith: [world.uins.bob] },
    },
  ]);

  const preview = await stack.previewJson();
  const creates = preview.steps.filter((s: any) => s.op === "create" && s.newState?.type === CUSTOM_IMAGE_TYPE);
  expect(creates.map((s: any) => s.urn.split("::").pop()).sort()).toEqual(["batch", "web"]);
  // A preview changes nothing in the cloud.
  expect((await callLog(world.emu)).filter((c) => /^(CreateImage|ModifyImageSharePermission)$/.test(c.action))).toEqual(
    [],
  );

  const up = await stack.up();
  expect(up.code).toBe(0);

  const { imageIds, imageNames } = await stack.outputs();
  const web = await describeImage(world.alice, imageIds.web);
  const batch = await describeImage(world.alice, imageIds.batch);
  expect(web.ImageState).toBe("NORMAL");
  expect(batch.ImageState).toBe("NORMAL");
  expect(web.ImageType).toBe("PRIVATE_IMAGE");
  expect(batch.ImageName).toBe("e2e-batch");
  // Auto-named after the resource, with a random suffix.
  expect(imageNames.web).toMatch(/^web-[a-z0-9]+$/);
  expect(web.ImageName).toBe(imageNames.web);
  expect(await sharesOf(world.alice, imageIds.web)).toEqual([world.uins.bob, world.uins.carol].sort());
  expect(await sharesOf(world.alice, imageIds.batch)).toEqual([world.uins.bob]);

  // A second up with nothing changed does nothing.
  await control(world.emu, "DELETE", "calls");
  const again = await stack.up();
  expect(again.code).toBe(0);
  const writes = (await callLog(world.emu)).filter((c) => !c.action.startsWith("Describe"));
  expect(writes).toEqual([]);
});

test("dropping an image from the program cancels its managed shares, then deletes it", async () => {
  const { world, stack } = ctx;
  const { imageIds } = await stack.outputs();
  await control(world.emu, "DELETE", "calls");
  declare(stack, [
    {
      name: "batch",
      args: { fromInstance: { instanceId: world.instanceId }, imageName: "e2e-batch", sharedWith: [world.uins.bob] },
    },
  ]);

  const preview = await stack.previewJson();
  const deletes = preview.steps.filter((s: any) => s.op === "delete");
  expect(deletes.map((s: any) => s.oldState.id)).toEqual([imageIds.web]);

  const up = await stack.up();
  expect(up.code).toBe(0);
  expect(await describeImage(world.alice, imageIds.web)).toBeUndefined();
  expect(await describeImage(world.alice, imageIds.batch)).toBeDefined();

  const actions = (await callLog(world.emu)).map((c) => c.action);
  const cancel = actions.indexOf("ModifyImageSharePermission");
  const del = actions.indexOf("DeleteImages");
  expect(cancel).toBeGreaterThanOrEqual(0);
  expect(del).toBeGreaterThan(cancel);

  const left = await stack.resourcesOfType(CUSTOM_IMAGE_TYPE);
  expect(left.map((r) => r.id)).toEqual([imageIds.batch]);
});

test("destroy removes the rest, and no credential ever reached the state", async () => {
  const { world, stack } = ctx;
  const { imageIds } = await stack.outputs();
  await expectNoCredentialsInState(stack, world);
  const destroy = await stack.destroy();
  expect(destroy.code).toBe(0);
  expect(await describeImage(world.alice, imageIds.batch)).toBeUndefined();
  expect(await stack.resourcesOfType(CUSTOM_IMAGE_TYPE)).toEqual([]);
  await expectNoCredentialsInState(stack, world);
});
