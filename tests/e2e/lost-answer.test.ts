// A lost CreateImage answer through the real Pulumi CLI and language host, against the emulator:
// the cloud made the image but the connection dropped before the answer (the emulator's dropAfter).
import { control } from "../support/cloud";
import { CUSTOM_IMAGE_TYPE, declare, worldWithStack } from "../support/e2e";

jest.setTimeout(240_000);

const ctx = worldWithStack();

/** Ids of alice's images named exactly `name`. */
async function imagesNamed(name: string): Promise<string[]> {
  const r = await ctx.world.alice.DescribeImages({
    Filters: [
      { Name: "image-type", Values: ["PRIVATE_IMAGE"] },
      { Name: "image-name", Values: [name] },
    ],
    Limit: 100,
  });
  return (r.ImageSet ?? []).filter((i: any) => i.ImageName === name).map((i: any) => i.ImageId);
}

async function recorded(): Promise<Record<string, any>> {
  const resources = await ctx.stack.resourcesOfType(CUSTOM_IMAGE_TYPE);
  return Object.fromEntries(resources.map((r: any) => [r.urn.split("::").pop(), r]));
}

afterEach(() => control(ctx.world.emu, "DELETE", "faults"));

test("a lost CreateImage answer (auto-name and explicit name): one up makes exactly one image per resource, recorded in the state", async () => {
  const { world, stack } = ctx;
  declare(stack, [
    { name: "lost-auto", args: { fromInstance: { instanceId: world.instanceId }, sharedWith: [world.uins.bob] } },
    {
      name: "lost-named",
      args: {
        fromInstance: { instanceId: world.instanceId },
        imageName: "e2e-lost-named",
        sharedWith: [world.uins.bob],
      },
    },
  ]);
  await control(world.emu, "POST", "faults", { action: "CreateImage", dropAfter: true, times: 2 });
  const up = await stack.up();
  expect(up.code).toBe(0);
  const fired = (await control(world.emu, "GET", "faults")).faults[0].fired;
  expect(fired).toBe(2);

  const state = await recorded();
  for (const name of ["lost-auto", "lost-named"]) {
    const imageName = state[name].outputs.imageName;
    expect(await imagesNamed(imageName)).toEqual([state[name].id]);
    expect(state[name].outputs).toMatchObject({ imageState: "NORMAL", sharedWith: [world.uins.bob] });
  }
  expect(state["lost-named"].outputs.imageName).toBe("e2e-lost-named");

  // Nothing left to do, and a destroy leaves nothing behind.
  const again = await stack.up(["--expect-no-changes"]);
  expect(again.code).toBe(0);
  expect((await stack.destroy()).code).toBe(0);
  for (const name of ["lost-auto", "lost-named"]) expect(await imagesNamed(state[name].outputs.imageName)).toEqual([]);
});

test("the engine re-runs a failed create with a fresh check: an explicit name and an auto-name both find the image, never made twice", async () => {
  const { world, stack } = ctx;
  // The answer is lost and the lookup by name is refused: the create fails without an image id.
  const lostAndUnseen = [
    { action: "CreateImage", dropAfter: true, times: 1 },
    { action: "DescribeImages", error: "UnauthorizedOperation.PermissionDenied", times: 1 },
  ];

  declare(stack, [
    { name: "rerun-named", args: { fromInstance: { instanceId: world.instanceId }, imageName: "e2e-rerun-named" } },
  ]);
  await control(world.emu, "POST", "faults", lostAndUnseen);
  const failed = await stack.up();
  expect(failed.code).not.toBe(0);
  expect(failed.stdout + failed.stderr).toMatch(/it may have made the image/);
  const [made] = await imagesNamed("e2e-rerun-named");
  expect(made).toMatch(/^img-/);
  await control(world.emu, "DELETE", "faults");
  const rerun = await stack.up();
  expect(rerun.code).toBe(0);
  expect((await recorded())["rerun-named"].id).toBe(made);
  expect(await imagesNamed("e2e-rerun-named")).toEqual([made]);
  expect((await stack.destroy()).code).toBe(0);

  // An auto-name is drawn from the resource's URN and source, so the re-run's fresh check draws
  // the same name, and the re-run finds the image the lost answer made, as with an explicit name.
  declare(stack, [{ name: "rerun-auto", args: { fromInstance: { instanceId: world.instanceId } } }]);
  await control(world.emu, "POST", "faults", lostAndUnseen);
  const failedAuto = await stack.up();
  expect(failedAuto.code).not.toBe(0);
  const firstName = /may have made image \\?"(rerun-auto-[0-9a-f]{7})\\?"/.exec(
    failedAuto.stdout + failedAuto.stderr,
  )?.[1];
  expect(firstName).toBeDefined();
  expect(failedAuto.stdout + failedAuto.stderr).toMatch(/run `pulumi up` again/);
  const [leftover] = await imagesNamed(firstName!);
  await control(world.emu, "DELETE", "faults");
  const rerunAuto = await stack.up();
  expect(rerunAuto.code).toBe(0);
  expect((await recorded())["rerun-auto"].outputs.imageName).toBe(firstName);
  expect((await recorded())["rerun-auto"].id).toBe(leftover);
  expect(await imagesNamed(firstName!)).toEqual([leftover]);
  expect((await stack.destroy()).code).toBe(0);
});
