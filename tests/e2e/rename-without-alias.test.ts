// A resource renamed without `aliases` that keeps its explicit image name, source and attributes:
// the engine creates the new name and deletes the old one. The create takes the existing image over
// (it is this resource's image by every sign the cloud has); the old name's delete must then leave
// it to the new resource, never delete the image the stack now records.
import { describeImage } from "../support/cloud";
import { CUSTOM_IMAGE_TYPE, declare, worldWithStack } from "../support/e2e";

jest.setTimeout(240_000);

const ctx = worldWithStack();

test("a rename without aliases keeps the image, recorded under the new name, with a warning", async () => {
  const { world, stack } = ctx;
  const args = { fromInstance: { instanceId: world.instanceId }, imageName: "e2e-rename-kept" };
  declare(stack, [{ name: "app", args }]);
  expect((await stack.up()).code).toBe(0);
  const [before] = await stack.resourcesOfType(CUSTOM_IMAGE_TYPE);

  declare(stack, [{ name: "app-image", args }]);
  const up = await stack.up();
  expect(up.code).toBe(0);
  expect(up.stdout).toMatch(/was not deleted: another resource of this stack took it over/);
  const after = await stack.resourcesOfType(CUSTOM_IMAGE_TYPE);
  expect(after.map((r) => [r.urn.split("::").pop(), r.id])).toEqual([["app-image", before.id]]);
  expect((await describeImage(world.alice, before.id))?.ImageName).toBe("e2e-rename-kept");

  expect((await stack.destroy()).code).toBe(0);
  expect(await describeImage(world.alice, before.id)).toBeUndefined();
});
