import { BOB, CAROL, change, describe as describeImage, provider, sharesOf, up, waitGone, useHarness } from "./harness";
import { withOutputDefaults } from "../../provider/src/schema/stored";

const h = useHarness();

describe("create from an instance, update, read, delete", () => {
  test("full lifecycle with auto-name and shares", async () => {
    const props = { fromInstance: { instanceId: "ins-web00001" }, imageDescription: "golden", sharedWith: [BOB] };
    const { id, outs, inputs } = await up("web", props);
    expect(id).toMatch(/^img-/);
    expect(withOutputDefaults(outs)).toMatchObject({
      imageId: id,
      imageState: "NORMAL",
      imageType: "PRIVATE_IMAGE",
      region: "ap-guangzhou",
      imageDescription: "golden",
      sharedWith: [BOB],
      unmanagedShares: [],
      adopted: false,
      autoNamed: true,
      deletionPolicy: {
        unmanagedShares: "block",
        deleteSnapshots: false,
        inUse: { instances: "warn", launchTemplates: "warn", launchConfigurations: "warn" },
      },
      timeouts: { create: "60m", update: "20m", delete: "30m" },
    });
    expect(outs.imageName).toMatch(/^web-[0-9a-f]{7}$/);
    expect(outs.snapshotIds.length).toBeGreaterThanOrEqual(1);
    expect(await sharesOf(h, id)).toEqual([BOB]);
    expect((await describeImage(h, id)).ImageName).toBe(outs.imageName);

    // Update: the auto-name is stable; shares: add carol, remove bob; description changes.
    const u = await change("web", id, inputs, outs, { ...props, imageDescription: "golden v2", sharedWith: [CAROL] });
    expect(u.news.imageName).toBe(outs.imageName);
    expect(u.diff).toMatchObject({ changes: true, replaces: [] });
    expect(u.outs).toMatchObject({
      imageName: outs.imageName,
      imageDescription: "golden v2",
      sharedWith: [CAROL],
      imageId: id,
      imageState: "NORMAL",
    });
    expect(u.outs!.deletionPolicy).toEqual(outs.deletionPolicy);
    expect(await sharesOf(h, id)).toEqual([CAROL]);

    // Read without drift reports the same.
    const r = await provider.read(id, u.outs!);
    expect(r.id).toBe(id);
    expect(withOutputDefaults(r.props)).toMatchObject({
      imageName: outs.imageName,
      imageDescription: "golden v2",
      sharedWith: [CAROL],
      unmanagedShares: [],
    });

    // Delete cancels the managed share first.
    await provider.delete(id, u.outs!);
    expect(await describeImage(h, id)).toBeNull();
  });

  test("explicit name; policy-only change updates without API writes and returns full outputs", async () => {
    const { id, outs, inputs } = await up("named", {
      fromInstance: { instanceId: "ins-web00001" },
      imageName: "named-image-1",
    });
    expect(outs.imageName).toBe("named-image-1");
    expect(withOutputDefaults(outs).autoNamed).toBe(false);
    await h.clearCalls();
    const u = await change("named", id, inputs, outs, {
      fromInstance: { instanceId: "ins-web00001" },
      imageName: "named-image-1",
      deletionPolicy: { unmanagedShares: "unshare" },
      timeouts: { delete: "5m" },
    });
    expect(u.outs).toMatchObject({
      imageId: id,
      imageName: "named-image-1",
      deletionPolicy: { unmanagedShares: "unshare" },
      timeouts: { delete: "5m" },
    });
    const counts = await h.counts();
    expect(counts.ModifyImageAttribute ?? 0).toBe(0);
    expect(counts.ModifyImageSharePermission ?? 0).toBe(0);
    await provider.delete(id, u.outs!);
    await waitGone(h, id);
  });

  test("whole-machine image (data disks), renamed in place", async () => {
    const src = { instanceId: "ins-web00001", dataDiskIds: ["disk-dat00001"] };
    const { id, outs, inputs } = await up("ren", { fromInstance: src, imageName: "rename-me" });
    expect(outs.snapshotIds.length).toBe(2);
    const u = await change("ren", id, inputs, outs, { fromInstance: src, imageName: "renamed", imageFamily: "fam1" });
    expect(u.diff.replaces).toEqual([]);
    expect(u.outs).toMatchObject({ imageName: "renamed", imageFamily: "fam1" });
    expect((await describeImage(h, id)).ImageName).toBe("renamed");
    await provider.delete(id, u.outs!);
  });
});

describe("read reports drift", () => {
  test("renamed, re-described and re-shared out of band; then deleted out of band", async () => {
    const { id, outs } = await up("drift", {
      fromInstance: { instanceId: "ins-web00001" },
      imageDescription: "orig",
      sharedWith: [BOB],
    });
    const sdk = h.sdk();
    await sdk.request("ModifyImageAttribute", { ImageId: id, ImageName: "hand-renamed", ImageDescription: "hand" });
    await sdk.request("ModifyImageSharePermission", { ImageId: id, AccountIds: [BOB], Permission: "CANCEL" });
    await sdk.request("ModifyImageSharePermission", { ImageId: id, AccountIds: [CAROL], Permission: "SHARE" });
    const r = await provider.read(id, outs);
    expect(r.id).toBe(id);
    expect(withOutputDefaults(r.props)).toMatchObject({
      imageName: "hand-renamed",
      imageDescription: "hand",
      sharedWith: [],
      unmanagedShares: [CAROL],
    });
    // The next diff against the program brings it back.
    const d = await provider.diff(id, r.props, { ...outs });
    expect(d.changes).toBe(true);

    await sdk.request("ModifyImageSharePermission", { ImageId: id, AccountIds: [CAROL], Permission: "CANCEL" });
    await sdk.request("DeleteImages", { ImageIds: [id] });
    await waitGone(h, id);
    const gone = await provider.read(id, outs);
    expect(gone.id).toBe("");
  });
});

describe("replacement, as the engine runs it", () => {
  test("auto-name: the new image is created first under a fresh name, then the old one is deleted", async () => {
    const old = await up("rep", { fromInstance: { instanceId: "ins-web00001" } });
    const props = { fromSnapshots: { snapshotIds: ["snap-sys00001"] } };
    const c = await provider.check(old.inputs, { ...props, resourceName: "rep" });
    const d = await provider.diff(old.id, old.outs, c.inputs);
    expect(d).toMatchObject({ changes: true, replaces: ["fromSnapshots"] });
    expect(d.deleteBeforeReplace).toBeFalsy();
    // The engine re-checks without olds for a replacement: a fresh auto-name.
    const fresh = await provider.check({}, { ...props, resourceName: "rep" });
    expect(fresh.inputs.imageName).not.toBe(old.outs.imageName);
    const created = await provider.create(fresh.inputs);
    expect((await describeImage(h, old.id)).ImageName).toBe(old.outs.imageName);
    await provider.delete(old.id, old.outs);
    expect(await describeImage(h, old.id)).toBeNull();
    await provider.delete(created.id, created.outs);
  });

  test("same explicit name: delete before replace, so the name is free for the new image", async () => {
    const old = await up("fixed", { fromInstance: { instanceId: "ins-web00001" }, imageName: "fixed-name" });
    const props = { fromSnapshots: { snapshotIds: ["snap-sys00001"] }, imageName: "fixed-name" };
    const c = await provider.check(old.inputs, { ...props, resourceName: "fixed" });
    const d = await provider.diff(old.id, old.outs, c.inputs);
    expect(d).toMatchObject({ changes: true, replaces: ["fromSnapshots"], deleteBeforeReplace: true });
    await provider.delete(old.id, old.outs);
    const created = await provider.create((await provider.check({}, { ...props, resourceName: "fixed" })).inputs);
    expect(created.outs).toMatchObject({ imageName: "fixed-name" });
    await provider.delete(created.id, created.outs);
  });
});

test("update after drift restores the managed share and leaves out-of-band shares alone", async () => {
  const props = { fromInstance: { instanceId: "ins-web00001" }, sharedWith: [BOB] };
  const { id, outs, inputs } = await up("heal", props);
  await h.sdk().request("ModifyImageSharePermission", { ImageId: id, AccountIds: [BOB], Permission: "CANCEL" });
  await h.sdk().request("ModifyImageSharePermission", { ImageId: id, AccountIds: [CAROL], Permission: "SHARE" });
  const refreshed = (await provider.read(id, outs)).props as Record<string, unknown>;
  const u = await change("heal", id, inputs, refreshed, props);
  expect(u.outs).toMatchObject({ sharedWith: [BOB], unmanagedShares: [CAROL] });
  expect(await sharesOf(h, id)).toEqual([BOB, CAROL]);
  await provider.delete(id, { ...u.outs!, deletionPolicy: { ...u.outs!.deletionPolicy, unmanagedShares: "unshare" } });
});
