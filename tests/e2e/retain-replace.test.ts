// retainOnDelete, and replacements with an explicit name (delete first) or an auto-name (create first).
import { callLog, control, describeImage } from "../support/cloud";
import { CUSTOM_IMAGE_TYPE, declare, E2EWorld, expectNoCredentialsInState, newStack, startWorld } from "../support/e2e";
import { TestStack } from "../support/stack";

jest.setTimeout(300_000);

let world: E2EWorld;
let stack: TestStack;
let secondInstance: string;

beforeAll(async () => {
  world = await startWorld();
  stack = await newStack(world);
  const r = await world.alice.DescribeInstances({ Limit: 100 });
  secondInstance = r.InstanceSet!.map((i: any) => i.InstanceId).find((id: string) => id !== world.instanceId)!;
});
afterAll(async () => {
  stack?.dispose();
  await world?.emu.stop();
});

test("a new source with the same explicit name replaces delete-first; with an auto-name, create-first", async () => {
  declare(stack, [
    { name: "named", args: { fromInstance: { instanceId: world.instanceId }, imageName: "e2e-named" } },
    { name: "auto", args: { fromInstance: { instanceId: world.instanceId } } },
  ]);
  expect((await stack.up()).code).toBe(0);
  const before = await stack.outputs();

  declare(stack, [
    { name: "named", args: { fromInstance: { instanceId: secondInstance }, imageName: "e2e-named" } },
    { name: "auto", args: { fromInstance: { instanceId: secondInstance } } },
  ]);
  const preview = await stack.previewJson(["--show-replacement-steps"]);
  const order = (name: string) =>
    preview.steps.filter((s: any) => s.urn.endsWith(`::${name}`) && /replace/.test(s.op)).map((s: any) => s.op);
  expect(order("named")).toEqual(["delete-replaced", "replace", "create-replacement"]);
  expect(order("auto")).toEqual(["create-replacement", "replace", "delete-replaced"]);

  await control(world.emu, "DELETE", "calls");
  expect((await stack.up()).code).toBe(0);
  const after = await stack.outputs();

  expect(after.imageIds.named).not.toBe(before.imageIds.named);
  expect(after.imageNames.named).toBe("e2e-named");
  expect(await describeImage(world.alice, before.imageIds.named)).toBeUndefined();
  expect((await describeImage(world.alice, after.imageIds.named)).ImageName).toBe("e2e-named");

  expect(after.imageIds.auto).not.toBe(before.imageIds.auto);
  expect(after.imageNames.auto).not.toBe(before.imageNames.auto);
  expect(after.imageNames.auto).toMatch(/^auto-[a-z0-9]+$/);
  expect(await describeImage(world.alice, before.imageIds.auto)).toBeUndefined();
  expect(await describeImage(world.alice, after.imageIds.auto)).toBeDefined();
});

test("retainOnDelete keeps the image when the stack lets it go", async () => {
  const { imageIds } = await stack.outputs();
  declare(stack, [
    {
      name: "named",
      args: { fromInstance: { instanceId: secondInstance }, imageName: "e2e-named" },
      retainOnDelete: true,
    },
    { name: "auto", args: { fromInstance: { instanceId: secondInstance } } },
  ]);
  expect((await stack.up()).code).toBe(0);
  const [named] = (await stack.resourcesOfType(CUSTOM_IMAGE_TYPE)).filter((r) => r.urn.endsWith("::named"));
  expect(named.retainOnDelete).toBe(true);

  await control(world.emu, "DELETE", "calls");
  expect((await stack.destroy()).code).toBe(0);
  expect((await describeImage(world.alice, imageIds.named)).ImageState).toBe("NORMAL");
  expect(await describeImage(world.alice, imageIds.auto)).toBeUndefined();
  expect((await callLog(world.emu)).filter((c) => c.action === "DeleteImages")).toHaveLength(1);
  await expectNoCredentialsInState(stack, world);
});
