import { BOB, CAROL, change, describe as describeImage, Harness, provider, sharesOf, startHarness, up, waitGone } from "./harness";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

describe("create from an instance, update, read, delete", () => {
  test("full lifecycle with auto-name and shares", async () => {
    const props = { fromInstance: { instanceId: "ins-web00001" }, imageDescription: "golden", sharedWith: [BOB] };
    const { id, outs, inputs } = await up("web", props);
    expect(id).toMatch(/^img-/);
    expect(outs).toMatchObject({
      imageId: id,
      imageState: "NORMAL",
      imageType: "PRIVATE_IMAGE",
      region: "ap-guangzhou",
      imageDescription: "golden",
      sharedWith: [BOB],
      unmanagedShares: [],
      adopted: false,
      autoNamed: true,
      deletionPolicy: { unmanagedShares: "block", deleteSnapshots: false, instancesInUse: "warn" },
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
    expect(u.outs).toMatchObject({ imageName: outs.imageName, imageDescription: "golden v2", sharedWith: [CAROL], imageId: id, imageState: "NORMAL" });
    expect(u.outs!.deletionPolicy).toEqual(outs.deletionPolicy);
    expect(await sharesOf(h, id)).toEqual([CAROL]);

    // Read without drift reports the same.
    const r = await provider.read(id, u.outs!);
    expect(r.id).toBe(id);
    expect(r.props).toMatchObject({ imageName: outs.imageName, imageDescription: "golden v2", sharedWith: [CAROL], unmanagedShares: [] });

    // Delete cancels the managed share first.
    await provider.delete(id, u.outs!);
    expect(await describeImage(h, id)).toBeNull();
  });

  test("explicit name; policy-only change updates without API writes and returns full outputs", async () => {
    const { id, outs, inputs } = await up("named", { fromInstance: { instanceId: "ins-web00001" }, imageName: "named-image-1" });
    expect(outs.imageName).toBe("named-image-1");
    expect(outs.autoNamed).toBe(false);
    await h.clearCalls();
    const u = await change("named", id, inputs, outs, {
      fromInstance: { instanceId: "ins-web00001" },
      imageName: "named-image-1",
      deletionPolicy: { unmanagedShares: "unshare" },
      timeouts: { delete: "5m" },
    });
    expect(u.outs).toMatchObject({ imageId: id, imageName: "named-image-1", deletionPolicy: { unmanagedShares: "unshare" }, timeouts: { delete: "5m" } });
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
    const { id, outs } = await up("drift", { fromInstance: { instanceId: "ins-web00001" }, imageDescription: "orig", sharedWith: [BOB] });
    const sdk = h.sdk();
    await sdk.request("ModifyImageAttribute", { ImageId: id, ImageName: "hand-renamed", ImageDescription: "hand" });
    await sdk.request("ModifyImageSharePermission", { ImageId: id, AccountIds: [BOB], Permission: "CANCEL" });
    await sdk.request("ModifyImageSharePermission", { ImageId: id, AccountIds: [CAROL], Permission: "SHARE" });
    const r = await provider.read(id, outs);
    expect(r.id).toBe(id);
    expect(r.props).toMatchObject({ imageName: "hand-renamed", imageDescription: "hand", sharedWith: [], unmanagedShares: [CAROL] });
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
