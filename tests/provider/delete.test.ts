import {
  BOB,
  CAROL,
  describe as describeImage,
  provider,
  rejection,
  sharesOf,
  up,
  waitGone,
  useHarness,
} from "./harness";
import { withOutputDefaults } from "../../provider/src/schema/stored";
// The provider runs from the built package (as the serialized shim requires it): its warning sink is that module's.
const { setWarningSink } =
  require("pulumi-tencentcloud-images/dist/cloud/diagnostics") as typeof import("../../provider/src/cloud/diagnostics");

// The same module instance the shim loads (jest resolves the package name to the same file).
const { resetProcess } =
  require("pulumi-tencentcloud-images/dist/cloud/process") as typeof import("../../provider/src/cloud/process");

const h = useHarness(async (h) => {
  await h.control("PATCH", "settings", { timing: { creatingMs: 250 } });
  process.env.CVM_IMAGE_INSTANCE_SCAN_TTL_MS = "0";
});

const base = { fromInstance: { instanceId: "ins-web00001" } };
const snapshotIdsInEmulator = async () =>
  ((await h.state()).snapshots as Array<{ snapshotId: string }>).map((s) => s.snapshotId);

test("already gone counts as deleted", async () => {
  await expect(provider.delete("img-zzzz9999", { region: "ap-guangzhou", imageName: "x" })).resolves.toBeUndefined();
});

test("refuses an image that is not this account's custom image", async () => {
  const e = await rejection(provider.delete("img-bobs0001", { region: "ap-guangzhou", imageName: "bob-shared" }));
  expect(e.message).toMatch(/Failed to delete image img-bobs0001 \("bob-shared"\) in ap-guangzhou/);
  expect(e.message).toMatch(/not this account's custom image \(PRIVATE_IMAGE\)/);
  expect(e.message).toMatch(/Already done: nothing was changed/);
  // An expected refusal: what the dynamic-provider host echoes (`${e}: ${e.stack}`) carries no trace and no second copy.
  expect(`${e}: ${e.stack}`).toBe(": ");
  expect(await describeImage(h, "img-bobs0001")).not.toBeNull();
});

test("managed shares are cancelled, then the image is deleted; bound snapshots kept by default", async () => {
  const { id, outs } = await up("shared", { ...base, sharedWith: [BOB, CAROL] });
  const snaps: string[] = outs.snapshotIds;
  expect(snaps.length).toBeGreaterThan(0);
  await provider.delete(id, outs);
  expect(await describeImage(h, id)).toBeNull();
  const left = await snapshotIdsInEmulator();
  for (const s of snaps) expect(left).toContain(s);
});

test("deleteSnapshots deletes the bound snapshots", async () => {
  const { id, outs } = await up("snapdel", { ...base, deletionPolicy: { deleteSnapshots: true } });
  const snaps: string[] = outs.snapshotIds;
  await provider.delete(id, outs);
  expect(await describeImage(h, id)).toBeNull();
  const left = await snapshotIdsInEmulator();
  for (const s of snaps) expect(left).not.toContain(s);
});

test("out-of-band share under block: refuses, changes nothing, names accounts and ways forward; retry under unshare succeeds", async () => {
  const { id, outs } = await up("oob", { ...base, sharedWith: [BOB] });
  await h.sdk().request("ModifyImageSharePermission", { ImageId: id, AccountIds: [CAROL], Permission: "SHARE" });
  const e = await rejection(provider.delete(id, outs));
  expect(e.message).toContain(`Failed to delete image ${id} ("${outs.imageName}")`);
  expect(e.message).toContain(`1 account (${CAROL})`);
  // Both ways forward, each fit for an image still in the program and one already removed from it.
  expect(e.message).toContain(
    `Next: cancel those shares yourself with \`tccli cvm ModifyImageSharePermission --region ap-guangzhou --endpoint ${h.emu.url} --ImageId ${id} --AccountIds '["${CAROL}"]' --Permission CANCEL\`, then run the command again; ` +
      'or set `deletionPolicy: { unmanagedShares: "unshare" }` on the resource (put it back in the program first if it was removed), run `pulumi up`, then delete it again.',
  );
  expect(e.message.match(/nothing was changed/g)).toHaveLength(1);
  expect(await sharesOf(h, id)).toEqual([BOB, CAROL]); // nothing changed, not even the managed share
  // The way forward: switch the policy (as `pulumi up` would store it), then retry.
  await provider.delete(id, { ...outs, deletionPolicy: { ...outs.deletionPolicy, unmanagedShares: "unshare" } });
  expect(await describeImage(h, id)).toBeNull();
});

test("a failure after cancelling shares puts them back and says so; a retry finishes", async () => {
  const { id, outs } = await up("partial", { ...base, sharedWith: [BOB, CAROL] });
  await h.control("POST", "faults", {
    action: "DeleteImages",
    imageId: id,
    error: "FailedOperation",
    message: "boom",
    times: 1,
  });
  const e = await rejection(provider.delete(id, outs));
  expect(e.message).toContain(
    `Already done: the stack's shares with 2 accounts (${BOB}, ${CAROL}) were cancelled and have been restored.`,
  );
  expect(e.message).toMatch(/Next: run the command again/);
  expect(await sharesOf(h, id)).toEqual([BOB, CAROL]);
  await provider.delete(id, outs);
  expect(await describeImage(h, id)).toBeNull();
});

test("under unshare, a failure after cancelling puts back the stack's and the out-of-band shares", async () => {
  const { id, outs } = await up("partial-unshare", {
    ...base,
    sharedWith: [BOB],
    deletionPolicy: { unmanagedShares: "unshare" },
  });
  await h.sdk().request("ModifyImageSharePermission", { ImageId: id, AccountIds: [CAROL], Permission: "SHARE" });
  await h.control("POST", "faults", {
    action: "DeleteImages",
    imageId: id,
    error: "UnauthorizedOperation.PermissionDenied",
    times: 1,
  });
  const e = await rejection(provider.delete(id, outs));
  expect(e.message).toContain(
    `Already done: the stack's shares with 1 account (${BOB}) and the shares made outside the stack with 1 account (${CAROL}) were cancelled and have been restored.`,
  );
  expect(await sharesOf(h, id)).toEqual([BOB, CAROL]);
  await provider.delete(id, outs);
  expect(await describeImage(h, id)).toBeNull();
});

test("when the shares cannot be put back, the message says so and how to bring them back", async () => {
  const { id, outs } = await up("partial-no-restore", { ...base, sharedWith: [BOB] });
  await h.control("POST", "faults", [
    { action: "DeleteImages", imageId: id, error: "UnauthorizedOperation.PermissionDenied", times: 1 },
    { action: "ModifyImageSharePermission", imageId: id, delayMs: 1, times: 1 },
    { action: "ModifyImageSharePermission", imageId: id, error: "UnauthorizedOperation.PermissionDenied", times: 1 },
  ]);
  const e = await rejection(provider.delete(id, outs));
  expect(e.message).toContain(
    `Already done: cancelled sharing with 1 account (${BOB}), then sharing them again failed (`,
  );
  expect(e.message).toMatch(
    /Next: the state still lists the cancelled shares: run `pulumi refresh` .* then `pulumi up` to share them again/,
  );
  expect(await sharesOf(h, id)).toEqual([]);
  await provider.delete(id, outs);
  expect(await describeImage(h, id)).toBeNull();
});

test("with managed shares: one look that the image is the recorded one, one share listing, then the shares go, then the image", async () => {
  const { id, outs } = await up("listed-first", { ...base, sharedWith: [BOB] });
  await h.clearCalls();
  await provider.delete(id, outs);
  const log = ((await h.control("GET", "calls")).log as Array<{ action: string }>)
    .map((c) => c.action)
    .filter((a) => a.endsWith("Image") || a.endsWith("Images") || a.endsWith("Permission"));
  expect(log.slice(0, 4)).toEqual([
    "DescribeImages",
    "DescribeImageSharePermission",
    "ModifyImageSharePermission",
    "DeleteImages",
  ]);
  expect(await describeImage(h, id)).toBeNull();
});

test("with managed shares, an image made busy outside the stack (SYNCING) is looked at and waited out, then deleted", async () => {
  const { id, outs } = await up("listed-busy", { ...base, sharedWith: [BOB] });
  await h.control("PATCH", "settings", { timing: { syncingMs: 700 } });
  await h.sdk().request("SyncImages", { ImageIds: [id], DestinationRegions: ["ap-shanghai"] });
  expect((await describeImage(h, id)).ImageState).toBe("SYNCING");
  await provider.delete(id, { ...outs, timeouts: { ...outs.timeouts, delete: "10s" } });
  expect(await describeImage(h, id)).toBeNull();
  expect(await sharesOf(h, id).catch(() => [])).toEqual([]);
  await h.control("PATCH", "settings", { timing: { syncingMs: 250 } });
});

test("waits out CREATING, then deletes", async () => {
  await h.control("PATCH", "settings", { timing: { creatingMs: 700 } });
  const r = await h.sdk().request("CreateImage", { ImageName: "busy-1", InstanceId: "ins-web00001" });
  const id = r.ImageId as string;
  expect((await describeImage(h, id)).ImageState).toBe("CREATING");
  await provider.delete(id, { region: "ap-guangzhou", imageName: "busy-1", timeouts: { delete: "10s" } });
  expect(await describeImage(h, id)).toBeNull();
});

test("CREATING beyond timeouts.delete fails clearly and deletes nothing", async () => {
  await h.control("PATCH", "settings", { timing: { creatingMs: 5000 } });
  const r = await h.sdk().request("CreateImage", { ImageName: "busy-2", InstanceId: "ins-web00001" });
  const id = r.ImageId as string;
  const e = await rejection(
    provider.delete(id, { region: "ap-guangzhou", imageName: "busy-2", timeouts: { delete: "500ms" } }),
  );
  expect(e.message).toMatch(/still CREATING after waiting .*timeouts.delete = 500ms/);
  expect(e.message).toMatch(/raise timeouts.delete/);
  expect(await describeImage(h, id)).not.toBeNull();
});

describe("instances still running from the image", () => {
  async function imageWithInstance(name: string) {
    const img = await up(name, base);
    await h.control("POST", "fixtures", {
      instances: [{ region: "ap-guangzhou", owner: "alice", name: `${name}-vm`, imageId: img.id, systemDisk: {} }],
    });
    return img;
  }

  test("warn (default): deletes, and the warning names the instances", async () => {
    const { id, outs } = await imageWithInstance("inuse-warn");
    const shown: Array<{ urn: string | undefined; message: string }> = [];
    setWarningSink({ warn: async (urn, message) => void shown.push({ urn, message }) });
    let text = "";
    try {
      await provider.delete(id, { ...outs, resourceUrn: "urn:pulumi:dev::p::t::inuse-warn" });
      text = shown.map((w) => w.message).join("\n");
    } finally {
      setWarningSink(undefined);
    }
    expect(shown.every((w) => w.urn === "urn:pulumi:dev::p::t::inuse-warn")).toBe(true);
    expect(await describeImage(h, id)).toBeNull();
    expect(text).toMatch(/instances still run from the image.*ins-[a-z0-9]+ "inuse-warn-vm" \(RUNNING\)/);
  });

  test("block: refuses and names them", async () => {
    const { id, outs } = await imageWithInstance("inuse-block");
    const e = await rejection(
      provider.delete(id, {
        ...outs,
        deletionPolicy: {
          ...withOutputDefaults(outs).deletionPolicy,
          inUse: { ...withOutputDefaults(outs).deletionPolicy.inUse, instances: "block" },
        },
      }),
    );
    expect(e.message).toMatch(/"inuse-block-vm" \(RUNNING\)/);
    expect(e.message).toMatch(/deletionPolicy.inUse.instances is "block"/);
    expect(await describeImage(h, id)).not.toBeNull();
  });
});

test("concurrent deletes share one instance scan", async () => {
  const images = await Promise.all(["c1", "c2", "c3", "c4"].map((n) => up(n, base)));
  process.env.CVM_IMAGE_INSTANCE_SCAN_TTL_MS = "60000";
  resetProcess();
  await h.clearCalls();
  await Promise.all(images.map((i) => provider.delete(i.id, i.outs)));
  const counts = await h.counts();
  // Deletes may share DeleteImages calls (coalescing) but never need more than one each.
  expect(counts.DeleteImages).toBeGreaterThanOrEqual(1);
  expect(counts.DeleteImages).toBeLessThanOrEqual(4);
  expect(counts.DescribeInstances).toBe(1);
  for (const i of images) await waitGone(h, i.id);
});
