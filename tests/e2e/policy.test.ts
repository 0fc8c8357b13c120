// The unmanaged-shares policy through the real engine: block by default, unshare on request.
import { describeImage, sharesOf } from "../support/cloud";
import { CUSTOM_IMAGE_TYPE, declare, expectNoCredentialsInState, worldWithStack } from "../support/e2e";

jest.setTimeout(240_000);

const ctx = worldWithStack();

test("an out-of-band share blocks destroy by default; after switching to unshare, destroy succeeds", async () => {
  const { world, stack } = ctx;
  const args = {
    fromInstance: { instanceId: world.instanceId },
    imageName: "e2e-policy",
    sharedWith: [world.uins.bob],
  };
  declare(stack, [{ name: "guarded", args }]);
  expect((await stack.up()).code).toBe(0);
  const { imageIds } = await stack.outputs();
  const id = imageIds.guarded;

  // Someone shares the image with carol from the console.
  await world.alice.ModifyImageSharePermission({ ImageId: id, AccountIds: [world.uins.carol], Permission: "SHARE" });

  const blocked = await stack.destroy();
  expect(blocked.code).not.toBe(0);
  const said = blocked.stdout + blocked.stderr;
  expect(said).toContain(id);
  expect(said).toContain(world.uins.carol);
  expect(said).toMatch(/unshare/);
  // Nothing lost: the image, all its shares and its state entry are still there.
  expect((await describeImage(world.alice, id)).ImageState).toBe("NORMAL");
  // The refusal came before any change: even the managed share with bob is still in place.
  expect(await sharesOf(world.alice, id)).toEqual([world.uins.bob, world.uins.carol].sort());
  expect((await stack.resourcesOfType(CUSTOM_IMAGE_TYPE)).map((r) => r.id)).toEqual([id]);

  // The way forward the error names: switch the policy, apply it, destroy again.
  declare(stack, [{ name: "guarded", args: { ...args, deletionPolicy: { unmanagedShares: "unshare" } } }]);
  expect((await stack.up()).code).toBe(0);
  const [state] = await stack.resourcesOfType(CUSTOM_IMAGE_TYPE);
  expect(state.outputs.deletionPolicy.unmanagedShares).toBe("unshare");

  const destroy = await stack.destroy();
  expect(destroy.code).toBe(0);
  expect(await describeImage(world.alice, id)).toBeUndefined();
  await expectNoCredentialsInState(stack, world);
});
