/** DeleteImages and ModifyImageAttribute: success paths, lag, snapshots, DryRun, batches and every error code. */
import { RunningEmulator } from "../../emulator/src";
import { client, code, control, describeOne, GZ, reset, SH, start, waitForState, waitGone } from "./helpers";

let emu: RunningEmulator;
beforeAll(async () => (emu = await start({ timing: { deleteLagMs: 300 } })));
afterAll(() => emu.stop());
beforeEach(() => reset(emu));

const snapshotIds = async () =>
  ((await control(emu, "GET", "state")).snapshots as { snapshotId: string }[]).map((s) => s.snapshotId);

async function newImage(name: string, extra: Record<string, unknown> = {}) {
  const c = client(emu);
  const { ImageId } = await c.CreateImage({ ImageName: name, InstanceId: "ins-alicgz02", ...extra });
  await waitForState(c, ImageId!, "NORMAL");
  return ImageId!;
}

describe("DeleteImages", () => {
  test("deletes; the image stays visible for the lag, then is gone; quota and name are freed at once", async () => {
    const c = client(emu);
    const id = await newImage("to-delete");
    const r = await c.DeleteImages({ ImageIds: [id] });
    expect(r.RequestId).toBeDefined();
    expect((await describeOne(c, id))?.ImageState).toBe("NORMAL"); // lag
    expect(await code(c.DeleteImages({ ImageIds: [id] }))).toBe("InvalidImageId.NotFound");
    await c.CreateImage({ ImageName: "to-delete", InstanceId: "ins-alicgz01" });
    await waitGone(c, id);
  });

  test("keeps the snapshots by default; DeleteBindedSnap removes them", async () => {
    const c = client(emu);
    const keep = await newImage("keep-snaps", { DataDiskIds: ["disk-agz2dat1"] });
    const keepSnaps = (await describeOne(c, keep))!.SnapshotSet!.map((s) => s.SnapshotId!);
    await c.DeleteImages({ ImageIds: [keep] });
    expect(await snapshotIds()).toEqual(expect.arrayContaining(keepSnaps));

    const drop = await newImage("drop-snaps", { DataDiskIds: ["disk-agz2dat1"] });
    const dropSnaps = (await describeOne(c, drop))!.SnapshotSet!.map((s) => s.SnapshotId!);
    await c.DeleteImages({ ImageIds: [drop], DeleteBindedSnap: true });
    const after = await snapshotIds();
    for (const s of dropSnaps) expect(after).not.toContain(s);
  });

  test("DryRun checks without effect, and fails as the real call would", async () => {
    const c = client(emu);
    const r = await c.DeleteImages({ ImageIds: ["img-alicegz1"], DryRun: true, DeleteBindedSnap: true });
    expect(r.RequestId).toBeDefined();
    expect((await describeOne(c, "img-alicegz1"))?.ImageState).toBe("NORMAL");
    expect(await snapshotIds()).toContain("snap-alicegz1");
    expect(await code(c.DeleteImages({ ImageIds: ["img-bobgz001"], DryRun: true }))).toBe(
      "InvalidParameterValue.InvalidImageIdIsShared",
    );
  });

  test("DryRun answer is a setting (DryRunOperation)", async () => {
    await control(emu, "PATCH", "settings", { behaviour: { dryRunResult: "DryRunOperation" } });
    expect(await code(client(emu).DeleteImages({ ImageIds: ["img-alicegz1"], DryRun: true }))).toBe("DryRunOperation");
  });

  test("an image shared with others → InvalidImageId.InShared; after CANCEL it deletes", async () => {
    const b = client(emu, "bob");
    expect(await code(b.DeleteImages({ ImageIds: ["img-bobgz001"] }))).toBe("InvalidImageId.InShared");
    await b.ModifyImageSharePermission({ ImageId: "img-bobgz001", AccountIds: ["100000000001"], Permission: "CANCEL" });
    await b.DeleteImages({ ImageIds: ["img-bobgz001"] });
  });

  test("CREATING / IMPORTING / SYNCING → InvalidImageId.IncorrectState; CREATEFAILED can be deleted", async () => {
    await control(emu, "PATCH", "settings", { timing: { creatingMs: 60000, importingMs: 60000 } });
    const c = client(emu);
    const { ImageId: creating } = await c.CreateImage({ ImageName: "slow", InstanceId: "ins-alicgz01" });
    expect(await code(c.DeleteImages({ ImageIds: [creating!] }))).toBe("InvalidImageId.IncorrectState");
    const { ImageId: importing } = await c.ImportImage({
      Architecture: "x86_64",
      OsType: "Ubuntu",
      OsVersion: "22.04",
      ImageUrl: "https://b.cos.myqcloud.com/a.raw",
      ImageName: "imp",
    });
    expect(await code(c.DeleteImages({ ImageIds: [importing!] }))).toBe("InvalidImageId.IncorrectState");
    await control(emu, "PATCH", "settings", { timing: { syncingMs: 60000 } });
    await c.SyncImages({ ImageIds: ["img-alicegz1"], DestinationRegions: [SH] });
    expect((await describeOne(c, "img-alicegz1"))?.ImageState).toBe("SYNCING");
    expect(await code(c.DeleteImages({ ImageIds: ["img-alicegz1"] }))).toBe("InvalidImageId.IncorrectState");

    await control(emu, "PATCH", "settings", { timing: { creatingMs: 50 }, failImageNamesContaining: ["broken"] });
    const { ImageId: failed } = await c.CreateImage({ ImageName: "broken-1", InstanceId: "ins-alicgz01" });
    await waitForState(c, failed!, "CREATEFAILED");
    await c.DeleteImages({ ImageIds: [failed!] });
  });

  test("refuses public images, shared-to-me images, other accounts' and other regions' images", async () => {
    const c = client(emu);
    expect(await code(c.DeleteImages({ ImageIds: ["img-pubgz001"] }))).toBe("InvalidParameterValue.InvalidImageId");
    expect(await code(c.DeleteImages({ ImageIds: ["img-bobgz001"] }))).toBe(
      "InvalidParameterValue.InvalidImageIdIsShared",
    );
    expect(await code(c.DeleteImages({ ImageIds: ["img-carolsh1"] }))).toBe("InvalidImageId.NotFound");
    expect(await code(c.DeleteImages({ ImageIds: ["img-alicesh1"] }))).toBe("InvalidImageId.NotFound");
    expect(await code(client(emu, "carol", SH).DeleteImages({ ImageIds: ["img-alicesh1"] }))).toBe(
      "InvalidImageId.NotFound",
    );
  });

  test("NotFound and Malformed ids", async () => {
    const c = client(emu);
    expect(await code(c.DeleteImages({ ImageIds: ["img-zzzzzzzz"] }))).toBe("InvalidImageId.NotFound");
    expect(await code(c.DeleteImages({ ImageIds: ["image-1"] }))).toBe("InvalidImageId.Malformed");
    expect(await code(c.DeleteImages({ ImageIds: [] }))).toBe("MissingParameter");
  });

  test("a batch with one bad id fails as a whole and deletes nothing (default)", async () => {
    const c = client(emu);
    const a = await newImage("batch-a");
    expect(await code(c.DeleteImages({ ImageIds: [a, "img-zzzzzzzz"] }))).toBe("InvalidImageId.NotFound");
    expect((await describeOne(c, a))?.ImageState).toBe("NORMAL");
    await c.DeleteImages({ ImageIds: [a] });
  });

  test("non-atomic batches (setting) delete the good ids and still report the error", async () => {
    await control(emu, "PATCH", "settings", { behaviour: { deleteBatchAtomic: false }, timing: { deleteLagMs: 0 } });
    const c = client(emu);
    const a = await newImage("batch-b");
    expect(await code(c.DeleteImages({ ImageIds: [a, "img-pubgz001"] }))).toBe("InvalidParameterValue.InvalidImageId");
    expect(await describeOne(c, a)).toBeUndefined();
  });

  test("more ids than maxDeleteBatch → InvalidParameterValue.LimitExceeded", async () => {
    await control(emu, "PATCH", "settings", { limits: { maxDeleteBatch: 2 } });
    expect(await code(client(emu).DeleteImages({ ImageIds: ["img-aaaaaaaa", "img-bbbbbbbb", "img-cccccccc"] }))).toBe(
      "InvalidParameterValue.LimitExceeded",
    );
  });

  test("instances launched from an image do not block its deletion (default), but can (setting)", async () => {
    const c = client(emu);
    const id = await newImage("in-use");
    await control(emu, "POST", "fixtures", { instances: [{ owner: "alice", region: GZ, imageId: id }] });
    await control(emu, "PATCH", "settings", { behaviour: { instancesBlockDelete: true } });
    expect(await code(c.DeleteImages({ ImageIds: [id] }))).toBe("InvalidImageId.IncorrectState");
    await control(emu, "PATCH", "settings", { behaviour: { instancesBlockDelete: false } });
    await c.DeleteImages({ ImageIds: [id] });
  });
});

describe("ModifyImageAttribute", () => {
  test("changes name, description, family and deprecation", async () => {
    const c = client(emu);
    await c.ModifyImageAttribute({
      ImageId: "img-alicegz1",
      ImageName: "renamed",
      ImageDescription: "new",
      ImageFamily: "web",
      ImageDeprecated: true,
    });
    expect(await describeOne(c, "img-alicegz1")).toMatchObject({
      ImageName: "renamed",
      ImageDescription: "new",
      ImageFamily: "web",
      ImageDeprecated: true,
    });
    await c.ModifyImageAttribute({ ImageId: "img-alicegz1", ImageName: "renamed" }); // same name on itself is fine
  });

  test("errors", async () => {
    const c = client(emu);
    const other = await newImage("other-name");
    expect(await code(c.ModifyImageAttribute({ ImageId: other, ImageName: "alice-web-base" }))).toBe(
      "InvalidImageName.Duplicate",
    );
    expect(await code(c.ModifyImageAttribute({ ImageId: "img-bobgz001", ImageName: "mine" }))).toBe(
      "UnsupportedOperation.SharedImageModifyUnsupported",
    );
    expect(await code(c.ModifyImageAttribute({ ImageId: "img-zzzzzzzz", ImageName: "x" }))).toBe(
      "InvalidImageId.NotFound",
    );
    expect(await code(c.ModifyImageAttribute({ ImageId: "img-pubgz001", ImageName: "x" }))).toBe(
      "InvalidImageId.NotFound",
    );
    expect(await code(c.ModifyImageAttribute({ ImageId: "bad", ImageName: "x" }))).toBe("InvalidImageId.Malformed");
    expect(await code(c.ModifyImageAttribute({ ImageId: other, ImageName: "x".repeat(61) }))).toBe(
      "InvalidParameterValue.TooLarge",
    );
    expect(await code(c.ModifyImageAttribute({ ImageId: other, ImageDescription: "x".repeat(257) }))).toBe(
      "InvalidParameterValue.TooLarge",
    );
    expect(await code(c.ModifyImageAttribute({ ImageId: other, ImageFamily: "_" }))).toBe(
      "InvalidParameterValue.InvalidImageFamily",
    );
    await control(emu, "PATCH", "settings", { timing: { creatingMs: 60000 } });
    const { ImageId } = await c.CreateImage({ ImageName: "busy", InstanceId: "ins-alicgz01" });
    expect(await code(c.ModifyImageAttribute({ ImageId: ImageId!, ImageName: "y" }))).toBe(
      "InvalidImageId.IncorrectState",
    );
  });
});
