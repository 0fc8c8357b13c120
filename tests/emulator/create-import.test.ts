/** CreateImage and ImportImage: success paths, snapshots, state transitions, failures and every error code. */
import { RunningEmulator } from "../../emulator/src";
import { client, code, control, describeOne, GZ, reset, SH, start, waitForState } from "./helpers";

let emu: RunningEmulator;
beforeAll(async () => (emu = await start({ failImageNamesContaining: ["doomed"] })));
afterAll(() => emu.stop());
beforeEach(() => reset(emu));

describe("CreateImage", () => {
  test("from an instance with data disks: CREATING, then NORMAL, with system and data snapshots", async () => {
    const c = client(emu);
    const { ImageId } = await c.CreateImage({
      ImageName: "db-full",
      InstanceId: "ins-alicgz02",
      DataDiskIds: ["disk-agz2dat1", "disk-agz2dat2"],
      ImageDescription: "whole machine",
      ForcePoweroff: "true",
      TagSpecification: [{ ResourceType: "image", Tags: [{ Key: "env", Value: "test" }] }],
      ImageFamily: "db-family",
    });
    expect(ImageId).toMatch(/^img-[a-z0-9]{8}$/);
    const creating = await describeOne(c, ImageId!);
    expect(creating).toMatchObject({
      ImageState: "CREATING",
      ImageType: "PRIVATE_IMAGE",
      ImageSource: "CREATE_IMAGE",
      ImageName: "db-full",
      ImageFamily: "db-family",
    });
    expect(creating?.Tags).toEqual([{ Key: "env", Value: "test" }]);
    await waitForState(c, ImageId!, "NORMAL");
    const image = await describeOne(c, ImageId!);
    expect(image?.SnapshotSet?.map((s) => s.DiskUsage)).toEqual(["SYSTEM_DISK", "DATA_DISK", "DATA_DISK"]);
    expect(image?.SnapshotSet?.map((s) => s.DiskSize)).toEqual([50, 100, 200]);
    expect(image?.SnapshotSet?.every((s) => /^snap-[a-z0-9]{8}$/.test(s.SnapshotId!))).toBe(true);
    expect(image?.Platform).toBe("Ubuntu");
  });

  test("from an instance's system disk only", async () => {
    const c = client(emu);
    const { ImageId } = await c.CreateImage({ ImageName: "web-sys", InstanceId: "ins-alicgz01" });
    await waitForState(c, ImageId!, "NORMAL");
    expect((await describeOne(c, ImageId!))?.SnapshotSet).toHaveLength(1);
  });

  test("from snapshots: the system snapshot first, then data", async () => {
    const c = client(emu);
    const { ImageId } = await c.CreateImage({
      ImageName: "from-snaps",
      SnapshotIds: ["snap-agzdat01", "snap-agzsys01"],
    });
    await waitForState(c, ImageId!, "NORMAL");
    expect((await describeOne(c, ImageId!))?.SnapshotSet?.map((s) => s.SnapshotId)).toEqual([
      "snap-agzsys01",
      "snap-agzdat01",
    ]);
  });

  test("a name in failImageNamesContaining ends in CREATEFAILED", async () => {
    const c = client(emu);
    const { ImageId } = await c.CreateImage({ ImageName: "doomed-1", InstanceId: "ins-alicgz01" });
    expect((await describeOne(c, ImageId!))?.ImageState).toBe("CREATING");
    await waitForState(c, ImageId!, "CREATEFAILED");
  });

  test("DryRun validates without creating anything", async () => {
    const c = client(emu);
    const r = await c.CreateImage({ ImageName: "dry", InstanceId: "ins-alicgz01", DryRun: true });
    expect(r.ImageId).toBeUndefined();
    expect((await c.DescribeImages({ Filters: [{ Name: "image-name", Values: ["dry"] }] })).TotalCount).toBe(0);
    expect(await code(c.CreateImage({ ImageName: "alice-web-base", InstanceId: "ins-alicgz01", DryRun: true }))).toBe(
      "InvalidImageName.Duplicate",
    );
  });

  test("names: unique per account and region, at most 60 characters, description at most 256", async () => {
    const c = client(emu);
    expect(await code(c.CreateImage({ ImageName: "alice-web-base", InstanceId: "ins-alicgz01" }))).toBe(
      "InvalidImageName.Duplicate",
    );
    // bob's name does not collide with alice's, nor another region's
    await client(emu, "bob").CreateImage({ ImageName: "alice-web-base", InstanceId: "ins-bobgz001" });
    await client(emu, "alice", SH).CreateImage({ ImageName: "alice-web-base", InstanceId: "ins-alicsh01" });
    expect(await code(c.CreateImage({ ImageName: "n".repeat(61), InstanceId: "ins-alicgz01" }))).toBe(
      "InvalidParameterValue.TooLarge",
    );
    await c.CreateImage({ ImageName: "n".repeat(60), InstanceId: "ins-alicgz01" });
    expect(
      await code(c.CreateImage({ ImageName: "d", InstanceId: "ins-alicgz01", ImageDescription: "d".repeat(257) })),
    ).toBe("InvalidParameterValue.TooLarge");
  });

  test("quota → ImageQuotaLimitExceeded", async () => {
    await control(emu, "PATCH", "settings", { limits: { imageQuota: 2 } });
    const c = client(emu);
    expect((await c.DescribeImageQuota()).ImageNumQuota).toBe(2);
    await c.CreateImage({ ImageName: "q1", InstanceId: "ins-alicgz01" });
    expect(await code(c.CreateImage({ ImageName: "q2", InstanceId: "ins-alicgz01" }))).toBe("ImageQuotaLimitExceeded");
  });

  test("instance and disk errors", async () => {
    const c = client(emu);
    expect(await code(c.CreateImage({ ImageName: "x" }))).toBe("InvalidParameter.SpecifyOneParameter");
    expect(
      await code(c.CreateImage({ ImageName: "x", InstanceId: "ins-alicgz01", SnapshotIds: ["snap-agzsys01"] })),
    ).toBe("InvalidParameterConflict");
    expect(await code(c.CreateImage({ ImageName: "x", InstanceId: "ins-zzzzzzzz" }))).toBe(
      "InvalidInstanceId.NotFound",
    );
    expect(await code(c.CreateImage({ ImageName: "x", InstanceId: "ins-bobgz001" }))).toBe(
      "InvalidInstanceId.NotFound",
    );
    expect(await code(c.CreateImage({ ImageName: "x", InstanceId: "ins-alicsh01" }))).toBe(
      "InvalidInstanceId.NotFound",
    );
    expect(
      await code(c.CreateImage({ ImageName: "x", InstanceId: "ins-alicgz02", DataDiskIds: ["disk-agz2sys1"] })),
    ).toBe("InvalidParameter.DataDiskIdContainsRootDisk");
    expect(
      await code(c.CreateImage({ ImageName: "x", InstanceId: "ins-alicgz02", DataDiskIds: ["disk-agz1dat1"] })),
    ).toBe("InvalidParameter.DataDiskNotBelongSpecifiedInstance");
    expect(
      await code(c.CreateImage({ ImageName: "x", SnapshotIds: ["snap-agzsys01"], DataDiskIds: ["disk-agz1dat1"] })),
    ).toBe("InvalidParameter.InvalidDependence");
    expect(await code(c.CreateImage({ ImageName: "x", InstanceId: "ins-alicgz01", ForcePoweroff: "yes" }))).toBe(
      "InvalidParameterValue",
    );
  });

  test("instance state errors and local disks", async () => {
    await control(emu, "POST", "fixtures", {
      instances: [
        { instanceId: "ins-stopping", owner: "alice", region: GZ, state: "STOPPING", imageId: "img-pubgz001" },
        { instanceId: "ins-rescue01", owner: "alice", region: GZ, state: "RESCUE_MODE", imageId: "img-pubgz001" },
        { instanceId: "ins-pending1", owner: "alice", region: GZ, state: "PENDING", imageId: "img-pubgz001" },
        {
          instanceId: "ins-localdsk",
          owner: "alice",
          region: GZ,
          imageId: "img-pubgz001",
          dataDisks: [{ diskId: "disk-local001", diskType: "LOCAL_SSD" }],
        },
      ],
    });
    const c = client(emu);
    expect(await code(c.CreateImage({ ImageName: "x", InstanceId: "ins-stopping" }))).toBe(
      "UnsupportedOperation.InstanceStateStopping",
    );
    expect(await code(c.CreateImage({ ImageName: "x", InstanceId: "ins-rescue01" }))).toBe(
      "UnsupportedOperation.InstanceStateRescueMode",
    );
    expect(await code(c.CreateImage({ ImageName: "x", InstanceId: "ins-pending1" }))).toBe(
      "InvalidInstance.NotSupported",
    );
    expect(
      await code(c.CreateImage({ ImageName: "x", InstanceId: "ins-localdsk", DataDiskIds: ["disk-local001"] })),
    ).toBe("InvalidParameter.LocalDataDiskNotSupport");
  });

  test("snapshot errors", async () => {
    const c = client(emu);
    expect(await code(c.CreateImage({ ImageName: "x", SnapshotIds: ["snap-zzzzzzzz"] }))).toBe(
      "InvalidParameter.SnapshotNotFound",
    );
    expect(await code(c.CreateImage({ ImageName: "x", SnapshotIds: ["snap-bobgz001"] }))).toBe(
      "InvalidParameter.SnapshotNotFound",
    );
    expect(await code(c.CreateImage({ ImageName: "x", SnapshotIds: ["snap-agzdat01"] }))).toBe(
      "InvalidParameter.SystemSnapshotNotFound",
    );
    expect(await code(c.CreateImage({ ImageName: "x", SnapshotIds: ["snap-agzsys01", "snap-alicegz1"] }))).toBe(
      "InvalidParameter.DuplicateSystemSnapshots",
    );
  });

  test("tag and family errors", async () => {
    const c = client(emu);
    expect(await code(c.CreateImage({ ImageName: "x", InstanceId: "ins-alicgz01", ImageFamily: "9bad family" }))).toBe(
      "InvalidParameterValue.InvalidImageFamily",
    );
    expect(
      await code(
        c.CreateImage({
          ImageName: "x",
          InstanceId: "ins-alicgz01",
          TagSpecification: [{ ResourceType: "image", Tags: [{ Key: "", Value: "v" }] }],
        }),
      ),
    ).toBe("InvalidParameterValue.TagKeyNotFound");
    const many = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: "v" }));
    expect(
      await code(
        c.CreateImage({
          ImageName: "x",
          InstanceId: "ins-alicgz01",
          TagSpecification: [{ ResourceType: "image", Tags: many }],
        }),
      ),
    ).toBe("InvalidParameterValue.TagQuotaLimitExceeded");
  });

  test("an instance added at run time whose ImageId is a custom image shows it in DescribeInstances", async () => {
    const c = client(emu);
    const { ImageId } = await c.CreateImage({ ImageName: "launch-src", InstanceId: "ins-alicgz01" });
    await control(emu, "POST", "fixtures", {
      instances: [{ instanceId: "ins-fromcust", owner: "alice", region: GZ, imageId: ImageId }],
    });
    const r = await c.DescribeInstances({ InstanceIds: ["ins-fromcust"] });
    expect(r.InstanceSet?.[0]?.ImageId).toBe(ImageId);
  });
});

describe("ImportImage", () => {
  const base = {
    Architecture: "x86_64",
    OsType: "CentOS",
    OsVersion: "7",
    ImageUrl: "https://bucket-1250000000.cos.ap-guangzhou.myqcloud.com/disk.qcow2",
  };

  test("IMPORTING, then NORMAL, source EXTERNAL_IMPORT, with snapshots", async () => {
    const c = client(emu);
    const { ImageId } = await c.ImportImage({
      ...base,
      ImageName: "imported",
      ImportImageDataDiskList: [{ ImageUrl: base.ImageUrl.replace("disk", "data") }],
    });
    expect((await describeOne(c, ImageId!))?.ImageState).toBe("IMPORTING");
    await waitForState(c, ImageId!, "NORMAL");
    const image = await describeOne(c, ImageId!);
    expect(image).toMatchObject({
      ImageSource: "EXTERNAL_IMPORT",
      Platform: "CentOS",
      Architecture: "x86_64",
      LicenseType: "TencentCloud",
    });
    expect(image?.SnapshotSet?.map((s) => s.DiskUsage)).toEqual(["SYSTEM_DISK", "DATA_DISK"]);
  });

  test("a name in failImageNamesContaining ends in IMPORTFAILED", async () => {
    const c = client(emu);
    const { ImageId } = await c.ImportImage({ ...base, ImageName: "doomed-import" });
    await waitForState(c, ImageId!, "IMPORTFAILED");
  });

  test("DryRun creates nothing", async () => {
    const c = client(emu);
    await c.ImportImage({ ...base, ImageName: "dry-import", DryRun: true });
    expect((await c.DescribeImages({ Filters: [{ Name: "image-name", Values: ["dry-import"] }] })).TotalCount).toBe(0);
  });

  test("every validation error", async () => {
    const c = client(emu);
    expect(await code(c.ImportImage({ ...base, ImageName: "alice-web-base" }))).toBe("InvalidImageName.Duplicate");
    expect(await code(c.ImportImage({ ...base, ImageName: "x", OsType: "BeOS" }))).toBe(
      "InvalidImageOsType.Unsupported",
    );
    expect(await code(c.ImportImage({ ...base, ImageName: "x", OsVersion: "!" }))).toBe(
      "InvalidImageOsVersion.Unsupported",
    );
    expect(await code(c.ImportImage({ ...base, ImageName: "x", ImageUrl: "ftp://x/y.raw" }))).toBe(
      "InvalidParameter.InvalidParameterUrlError",
    );
    expect(
      await code(c.ImportImage({ ...base, ImageName: "x", ImageUrl: "https://b.cos.myqcloud.com/disk.exe" })),
    ).toBe("InvalidParameter.InvalidParameterUrlError");
    expect(
      await code(c.ImportImage({ ...base, ImageName: "x", ImageUrl: "https://b.cos.myqcloud.com/disk.iso" })),
    ).toBe("InvalidParameterValue.ISOMustImportByForce");
    await c.ImportImage({
      ...base,
      ImageName: "iso-forced",
      ImageUrl: "https://b.cos.myqcloud.com/disk.iso",
      Force: true,
    });
    expect(await code(c.ImportImage({ ...base, ImageName: "x", LicenseType: "GPL" }))).toBe(
      "InvalidParameterValue.InvalidLicenseType",
    );
    expect(await code(c.ImportImage({ ...base, ImageName: "x", BootMode: "Coreboot" }))).toBe(
      "InvalidParameterValue.InvalidBootMode",
    );
    expect(await code(c.ImportImage({ ...base, ImageName: "x", ImageFamily: "-" }))).toBe(
      "InvalidParameterValue.InvalidImageFamily",
    );
    expect(await code(c.ImportImage({ ...base, ImageName: "x".repeat(61) }))).toBe("InvalidParameterValue.TooLarge");
    expect(
      await code(
        c.ImportImage({
          ...base,
          ImageName: "x",
          TagSpecification: [{ ResourceType: "image", Tags: [{ Key: " ", Value: "" }] }],
        }),
      ),
    ).toBe("InvalidParameterValue.TagKeyNotFound");
    expect(await code(c.ImportImage({ ...base, ImageName: "x", Architecture: "sparc" }))).toBe("InvalidParameterValue");
    await control(emu, "PATCH", "settings", { limits: { imageQuota: 1 } });
    expect(await code(c.ImportImage({ ...base, ImageName: "x" }))).toBe("ImageQuotaLimitExceeded");
  });
});
