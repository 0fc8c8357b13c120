// Cross-region copies through the real engine: an image copied to two regions and shared; a copy
// shared outside the stack blocks the destroy with nothing changed (and the preflight says so); a
// region removed from `copyTo` deletes its copy; the destroy deletes the copies with the image.
import { runPreflight } from "../../provider/src/preflight";
import { control, cvmClient, describeImage, sharesOf } from "../support/cloud";
import {
  CUSTOM_IMAGE_TYPE,
  declare,
  expectNoCredentialsInState,
  preflightThrough,
  worldWithStack,
} from "../support/e2e";

jest.setTimeout(300_000);

const ctx = worldWithStack();
const SH = "ap-shanghai";
const BJ = "ap-beijing";

test("copies follow their image: shared per region, blocking when shared outside the stack, deleted with it", async () => {
  const { world, stack } = ctx;
  await control(world.emu, "POST", "fixtures", { regions: [BJ] });
  const client = (region: string) => cvmClient(world.emu, "alice", region);
  const { bob, carol } = world.uins;
  const args = {
    fromInstance: { instanceId: world.instanceId },
    imageName: "e2e-copies",
    sharedWith: [bob],
    copyTo: [SH, BJ],
  };
  declare(stack, [{ name: "golden", args }]);
  const up = await stack.up();
  expect(up.stdout + up.stderr).not.toMatch(/error:/);
  expect(up.code).toBe(0);
  const [state] = await stack.resourcesOfType(CUSTOM_IMAGE_TYPE);
  const id = state.id as string;
  const copies = state.outputs.copies as Record<string, { imageId: string }>;
  expect(state.outputs.copyTo).toEqual([BJ, SH]);
  for (const region of [SH, BJ]) {
    expect((await describeImage(client(region), copies[region]!.imageId)).ImageState).toBe("NORMAL");
    expect(await sharesOf(client(region), copies[region]!.imageId)).toEqual([bob]);
  }

  // Someone shares the Shanghai copy with carol from the console: refresh shows it, preflight and destroy block.
  await client(SH).ModifyImageSharePermission({
    ImageId: copies[SH]!.imageId,
    AccountIds: [carol],
    Permission: "SHARE",
  });
  expect((await stack.refresh()).code).toBe(0);
  const report = await runPreflight({ ...preflightThrough(stack), destroy: true });
  const [golden] = report.images;
  expect(golden!.status).toBe("blocked");
  expect(golden!.copies.map((c) => [c.region, c.status]).sort()).toEqual([
    [BJ, "delete"],
    [SH, "blocked"],
  ]);
  const blocked = await stack.destroy();
  expect(blocked.code).not.toBe(0);
  expect(blocked.stdout + blocked.stderr).toContain(copies[SH]!.imageId);
  expect(blocked.stdout + blocked.stderr).toContain("nothing was changed");
  expect(await sharesOf(client(SH), copies[SH]!.imageId)).toEqual([bob, carol].sort());
  expect(await sharesOf(client(BJ), copies[BJ]!.imageId)).toEqual([bob]);
  expect(await sharesOf(world.alice, id)).toEqual([bob]);

  // The share is cancelled; Beijing leaves copyTo: `pulumi up` deletes that copy only.
  await client(SH).ModifyImageSharePermission({
    ImageId: copies[SH]!.imageId,
    AccountIds: [carol],
    Permission: "CANCEL",
  });
  declare(stack, [{ name: "golden", args: { ...args, copyTo: [SH] } }]);
  expect((await stack.up()).code).toBe(0);
  expect(await describeImage(client(BJ), copies[BJ]!.imageId)).toBeUndefined();
  expect((await describeImage(client(SH), copies[SH]!.imageId)).ImageState).toBe("NORMAL");

  const destroy = await stack.destroy();
  expect(destroy.code).toBe(0);
  expect(await describeImage(client(SH), copies[SH]!.imageId)).toBeUndefined();
  expect(await describeImage(world.alice, id)).toBeUndefined();
  await expectNoCredentialsInState(stack, world);
});
