// `pulumi refresh` reports images as they are in the cloud: renamed, re-shared or deleted out of band.
import { describeImage } from "../support/cloud";
import { CUSTOM_IMAGE_TYPE, declare, expectNoCredentialsInState, worldWithStack } from "../support/e2e";

jest.setTimeout(240_000);

const ctx = worldWithStack();

test("refresh picks up an image renamed, re-shared and deleted out of band", async () => {
  const { world, stack } = ctx;
  declare(stack, [
    {
      name: "renamed",
      args: {
        fromInstance: { instanceId: world.instanceId },
        imageName: "e2e-refresh-a",
        sharedWith: [world.uins.bob],
      },
    },
    { name: "reshared", args: { fromInstance: { instanceId: world.instanceId }, imageName: "e2e-refresh-b" } },
    { name: "vanished", args: { fromInstance: { instanceId: world.instanceId }, imageName: "e2e-refresh-c" } },
  ]);
  expect((await stack.up()).code).toBe(0);
  const { imageIds } = await stack.outputs();

  // Out of band, as someone in the console would.
  await world.alice.ModifyImageAttribute({ ImageId: imageIds.renamed, ImageName: "renamed-by-hand" });
  await world.alice.ModifyImageSharePermission({
    ImageId: imageIds.reshared,
    AccountIds: [world.uins.carol],
    Permission: "SHARE",
  });
  await world.alice.DeleteImages({ ImageIds: [imageIds.vanished] });
  // Let the deletion lag pass, so the image is really gone from DescribeImages.
  for (let i = 0; i < 50 && (await describeImage(world.alice, imageIds.vanished)); i++)
    await new Promise((r) => setTimeout(r, 100));

  const refresh = await stack.refresh();
  expect(refresh.code).toBe(0);

  const byName = Object.fromEntries(
    (await stack.resourcesOfType(CUSTOM_IMAGE_TYPE)).map((r) => [r.urn.split("::").pop(), r]),
  );
  expect(Object.keys(byName).sort()).toEqual(["renamed", "reshared"]);
  expect(byName.renamed.outputs.imageName).toBe("renamed-by-hand");
  expect(byName.reshared.outputs.unmanagedShares).toEqual([world.uins.carol]);

  // The program still says the old name: the next preview shows the drift as an update.
  const preview = await stack.previewJson();
  const ops = Object.fromEntries(preview.steps.map((s: any) => [s.urn.split("::").pop(), s.op]));
  expect(ops.renamed).toBe("update");
  expect(ops.vanished).toBe("create");

  // And up puts the name back.
  expect((await stack.up()).code).toBe(0);
  expect((await describeImage(world.alice, imageIds.renamed)).ImageName).toBe("e2e-refresh-a");
  await expectNoCredentialsInState(stack, world);

  // Clean up, unsharing carol's out-of-band share too.
  await world.alice.ModifyImageSharePermission({
    ImageId: imageIds.reshared,
    AccountIds: [world.uins.carol],
    Permission: "CANCEL",
  });
  expect((await stack.destroy()).code).toBe(0);
});
