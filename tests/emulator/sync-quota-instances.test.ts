/** SyncImages, DescribeImageQuota and DescribeInstances. */
import { RunningEmulator } from "../../emulator/src";
import { client, code, control, describeOne, GZ, reset, SH, start, waitForState } from "./helpers";

let emu: RunningEmulator;
beforeAll(async () => (emu = await start()));
afterAll(() => emu.stop());
beforeEach(() => reset(emu));

describe("SyncImages", () => {
  test("copies a custom image to another region: source SYNCING then NORMAL, copy SYNCING then NORMAL", async () => {
    await control(emu, "PATCH", "settings", { timing: { syncingMs: 1000 } });
    const gz = client(emu, "alice", GZ);
    const sh = client(emu, "alice", SH);
    const r = await gz.SyncImages({
      ImageIds: ["img-alicegz1"],
      DestinationRegions: [SH],
      ImageSetRequired: true,
      ImageName: "web-copy",
    });
    expect(r.ImageSet).toHaveLength(1);
    const copy = r.ImageSet![0]!;
    expect(copy.Region).toBe(SH);
    expect((await describeOne(gz, "img-alicegz1"))?.ImageState).toBe("SYNCING");
    expect((await describeOne(sh, copy.ImageId!))?.ImageState).toBe("SYNCING");
    await waitForState(sh, copy.ImageId!, "NORMAL");
    await waitForState(gz, "img-alicegz1", "NORMAL");
    const image = await describeOne(sh, copy.ImageId!);
    expect(image).toMatchObject({ ImageName: "web-copy", ImageType: "PRIVATE_IMAGE" });
    expect(image?.SnapshotSet).toHaveLength(1);
    expect(await describeOne(gz, copy.ImageId!)).toBeUndefined();
  });

  test("a shared image syncs into the recipient's own account in the same region", async () => {
    const a = client(emu);
    const r = await a.SyncImages({
      ImageIds: ["img-bobgz001"],
      DestinationRegions: [GZ],
      ImageSetRequired: true,
      ImageName: "my-copy-of-bob",
    });
    const copy = await describeOne(a, r.ImageSet![0]!.ImageId!);
    expect(copy).toMatchObject({ ImageType: "PRIVATE_IMAGE", ImageCreator: "100000000001" });
    expect(await code(a.SyncImages({ ImageIds: ["img-bobgz001"], DestinationRegions: [SH] }))).toBe(
      "InvalidParameterValue.InvalidRegion",
    );
  });

  test("DryRun does nothing", async () => {
    const a = client(emu);
    await a.SyncImages({ ImageIds: ["img-alicegz1"], DestinationRegions: [SH], DryRun: true });
    expect((await describeOne(a, "img-alicegz1"))?.ImageState).toBe("NORMAL");
  });

  test("errors", async () => {
    const a = client(emu);
    expect(await code(a.SyncImages({ ImageIds: ["img-alicegz1", "img-bobgz001"], DestinationRegions: [SH] }))).toBe(
      "InvalidParameterValue.LimitExceeded",
    );
    expect(await code(a.SyncImages({ ImageIds: ["img-zzzzzzzz"], DestinationRegions: [SH] }))).toBe(
      "InvalidImageId.NotFound",
    );
    expect(await code(a.SyncImages({ ImageIds: ["img"], DestinationRegions: [SH] }))).toBe("InvalidImageId.Malformed");
    expect(await code(a.SyncImages({ ImageIds: ["img-pubgz001"], DestinationRegions: [SH] }))).toBe(
      "InvalidParameterValue.InvalidImageId",
    );
    expect(await code(a.SyncImages({ ImageIds: ["img-alicegz1"], DestinationRegions: ["ap-mars"] }))).toBe(
      "InvalidParameterValue.InvalidRegion",
    );
    expect(await code(a.SyncImages({ ImageIds: ["img-alicegz1"], DestinationRegions: [GZ] }))).toBe(
      "InvalidParameterValue.InvalidRegion",
    );
    expect(await code(a.SyncImages({ ImageIds: ["img-alicegz1"], DestinationRegions: [SH], KmsKeyId: "k" }))).toBe(
      "InvalidParameter.InvalidKmsKeyId",
    );
    expect(
      await code(a.SyncImages({ ImageIds: ["img-alicegz1"], DestinationRegions: [SH], ImageName: "alice-batch-base" })),
    ).toBe("InvalidImageName.Duplicate");
    await control(emu, "PATCH", "settings", { limits: { imageQuota: 1 } });
    expect(await code(a.SyncImages({ ImageIds: ["img-alicegz1"], DestinationRegions: [SH] }))).toBe(
      "ImageQuotaLimitExceeded",
    );
    await control(emu, "PATCH", "settings", { limits: { imageQuota: 500 }, timing: { creatingMs: 60000 } });
    const { ImageId } = await a.CreateImage({ ImageName: "busy", InstanceId: "ins-alicgz01" });
    expect(await code(a.SyncImages({ ImageIds: [ImageId!], DestinationRegions: [SH] }))).toBe(
      "InvalidImageId.IncorrectState",
    );
    const { ImageId: whole } = await a.CreateImage({
      ImageName: "whole",
      SnapshotIds: ["snap-agzsys01", "snap-agzdat01"],
    });
    await control(emu, "PATCH", "settings", { timing: { creatingMs: 0 } });
    expect(await code(a.SyncImages({ ImageIds: [whole!], DestinationRegions: [SH] }))).toBe(
      "InvalidImageId.IncorrectState",
    );
  });
});

test("DescribeImageQuota reports the imageQuota setting", async () => {
  expect((await client(emu).DescribeImageQuota()).ImageNumQuota).toBe(500);
  await control(emu, "PATCH", "settings", { limits: { imageQuota: 20 } });
  expect((await client(emu, "bob", SH).DescribeImageQuota()).ImageNumQuota).toBe(20);
  expect(await code(client(emu).request("DescribeImageQuota", { Zone: "x" }))).toBe("UnknownParameter");
});

describe("DescribeInstances", () => {
  test("lists the caller's instances in the region, each with its ImageId and disks", async () => {
    const r = await client(emu).DescribeInstances({});
    expect(r.TotalCount).toBe(3);
    const db = r.InstanceSet!.find((i) => i.InstanceId === "ins-alicgz02")!;
    expect(db).toMatchObject({
      ImageId: "img-pubgz003",
      InstanceState: "STOPPED",
      SystemDisk: { DiskId: "disk-agz2sys1", DiskSize: 50 },
    });
    expect(db.DataDisks?.map((d) => d.DiskId)).toEqual(["disk-agz2dat1", "disk-agz2dat2"]);
    expect(db.Placement?.Zone).toBe("ap-guangzhou-3");
    expect((await client(emu, "alice", SH).DescribeInstances({})).InstanceSet?.map((i) => i.InstanceId).sort()).toEqual(
      ["ins-alicsh01", "ins-alicsh02"],
    );
    expect((await client(emu, "bob").DescribeInstances({})).InstanceSet?.map((i) => i.InstanceId)).toEqual([
      "ins-bobgz001",
    ]);
  });

  test("pages across more than 100 instances", async () => {
    const instances = Array.from({ length: 130 }, () => ({ owner: "alice", region: GZ, imageId: "img-alicegz1" }));
    await control(emu, "POST", "fixtures", { instances });
    const c = client(emu);
    const seen: string[] = [];
    let total = 0;
    for (let offset = 0; ; offset += 100) {
      const r = await c.DescribeInstances({ Offset: offset, Limit: 100 });
      total = r.TotalCount!;
      seen.push(...r.InstanceSet!.map((i) => i.InstanceId!));
      if (offset + 100 >= total) break;
    }
    expect(total).toBe(133);
    expect(new Set(seen).size).toBe(133);
    expect(seen.filter((id) => id.startsWith("ins-alicgz")).length).toBe(3);
    expect((await c.DescribeInstances({})).InstanceSet).toHaveLength(20);
  });

  test("filters; there is no image-id filter", async () => {
    const c = client(emu);
    expect((await c.DescribeInstances({ Filters: [{ Name: "instance-state", Values: ["RUNNING"] }] })).TotalCount).toBe(
      2,
    );
    expect(
      (await c.DescribeInstances({ Filters: [{ Name: "zone", Values: ["ap-guangzhou-4"] }] })).InstanceSet?.[0]
        ?.InstanceId,
    ).toBe("ins-alicgz03");
    expect((await c.DescribeInstances({ Filters: [{ Name: "instance-name", Values: ["db"] }] })).TotalCount).toBe(1);
    expect(await code(c.DescribeInstances({ Filters: [{ Name: "image-id", Values: ["img-pubgz001"] }] }))).toBe(
      "InvalidFilter",
    );
    expect(
      await code(c.DescribeInstances({ InstanceIds: ["ins-alicgz01"], Filters: [{ Name: "zone", Values: ["x"] }] })),
    ).toBe("InvalidParameter");
    expect(await code(c.DescribeInstances({ InstanceIds: ["i-123"] }))).toBe("InvalidInstanceId.Malformed");
    expect(await code(c.DescribeInstances({ Limit: 101 }))).toBe("InvalidParameterValue.LimitExceeded");
    expect(
      await code(c.DescribeInstances({ Filters: [{ Name: "zone", Values: ["1", "2", "3", "4", "5", "6"] }] })),
    ).toBe("InvalidFilterValue.LimitExceeded");
  });
});
