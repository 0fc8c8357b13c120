/** Sharing across accounts: ModifyImageSharePermission, DescribeImageSharePermission and what recipients see. */
import { RunningEmulator } from "../../emulator/src";
import { ALICE, BOB, CAROL, client, code, control, describeOne, GZ, reset, SH, start } from "./helpers";

let emu: RunningEmulator;
beforeAll(async () => (emu = await start()));
afterAll(() => emu.stop());
beforeEach(() => reset(emu));

const shared = async (account: string, imageId: string) =>
  ((await client(emu, account).DescribeImageSharePermission({ ImageId: imageId })).SharePermissionSet ?? [])
    .map((s) => s.AccountId)
    .sort();

test("SHARE makes the image SHARED_IMAGE for the recipient in the same region only; CANCEL hides it again", async () => {
  const a = client(emu);
  await a.ModifyImageSharePermission({ ImageId: "img-alicegz1", AccountIds: [BOB, CAROL], Permission: "SHARE" });
  expect(await shared("alice", "img-alicegz1")).toEqual([BOB, CAROL]);
  const perm = (await a.DescribeImageSharePermission({ ImageId: "img-alicegz1" })).SharePermissionSet![0]!;
  expect(perm.CreatedTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  expect((await describeOne(client(emu, "bob"), "img-alicegz1"))?.ImageType).toBe("SHARED_IMAGE");
  const sharedList = await client(emu, "carol").DescribeImages({
    Filters: [{ Name: "image-type", Values: ["SHARED_IMAGE"] }],
  });
  expect(sharedList.ImageSet?.map((i) => i.ImageId)).toEqual(["img-alicegz1"]);
  expect(await describeOne(client(emu, "bob", SH), "img-alicegz1")).toBeUndefined();

  await a.ModifyImageSharePermission({ ImageId: "img-alicegz1", AccountIds: [BOB], Permission: "CANCEL" });
  expect(await describeOne(client(emu, "bob"), "img-alicegz1")).toBeUndefined();
  expect(await shared("alice", "img-alicegz1")).toEqual([CAROL]);
});

test("a recipient can neither delete, modify, share nor read the permissions of a shared image", async () => {
  const a = client(emu);
  expect(await code(a.DeleteImages({ ImageIds: ["img-bobgz001"] }))).toBe(
    "InvalidParameterValue.InvalidImageIdIsShared",
  );
  expect(await code(a.ModifyImageAttribute({ ImageId: "img-bobgz001", ImageName: "x" }))).toBe(
    "UnsupportedOperation.SharedImageModifyUnsupported",
  );
  expect(
    await code(a.ModifyImageSharePermission({ ImageId: "img-bobgz001", AccountIds: [CAROL], Permission: "SHARE" })),
  ).toBe("UnauthorizedOperation.ImageNotBelongToAccount");
  expect(await code(a.DescribeImageSharePermission({ ImageId: "img-bobgz001" }))).toBe(
    "UnauthorizedOperation.ImageNotBelongToAccount",
  );
});

test("an image with no shares answers an empty set", async () => {
  expect(await shared("alice", "img-alicegz1")).toEqual([]);
});

test("share errors: self, already shared, bad account, public image, not found, malformed, Permission", async () => {
  const a = client(emu);
  expect(
    await code(a.ModifyImageSharePermission({ ImageId: "img-alicegz1", AccountIds: [ALICE], Permission: "SHARE" })),
  ).toBe("FailedOperation.AccountIsYourSelf");
  await a.ModifyImageSharePermission({ ImageId: "img-alicegz1", AccountIds: [BOB], Permission: "SHARE" });
  expect(
    await code(a.ModifyImageSharePermission({ ImageId: "img-alicegz1", AccountIds: [BOB], Permission: "SHARE" })),
  ).toBe("FailedOperation.AccountAlreadyExists");
  expect(
    await code(a.ModifyImageSharePermission({ ImageId: "img-alicegz1", AccountIds: ["qq-user"], Permission: "SHARE" })),
  ).toBe("InvalidAccountId.NotFound");
  expect(
    await code(a.ModifyImageSharePermission({ ImageId: "img-pubgz001", AccountIds: [BOB], Permission: "SHARE" })),
  ).toBe("InvalidParameterValue.InvalidImageId");
  expect(
    await code(a.ModifyImageSharePermission({ ImageId: "img-zzzzzzzz", AccountIds: [BOB], Permission: "SHARE" })),
  ).toBe("InvalidImageId.NotFound");
  expect(await code(a.ModifyImageSharePermission({ ImageId: "img_bad", AccountIds: [BOB], Permission: "SHARE" }))).toBe(
    "InvalidImageId.Malformed",
  );
  expect(
    await code(a.ModifyImageSharePermission({ ImageId: "img-alicegz1", AccountIds: [BOB], Permission: "GIVE" })),
  ).toBe("InvalidParameterValue");
  expect(await code(a.DescribeImageSharePermission({ ImageId: "img-zzzzzzzz" }))).toBe("InvalidImageId.NotFound");
  expect(await code(a.DescribeImageSharePermission({ ImageId: "zzz" }))).toBe("InvalidImageId.Malformed");
});

test("only NORMAL images can be shared or unshared", async () => {
  await control(emu, "PATCH", "settings", { timing: { creatingMs: 60000 } });
  const a = client(emu);
  const { ImageId } = await a.CreateImage({ ImageName: "creating", InstanceId: "ins-alicgz01" });
  expect(await code(a.ModifyImageSharePermission({ ImageId: ImageId!, AccountIds: [BOB], Permission: "SHARE" }))).toBe(
    "InvalidParameterValue.InvalidImageState",
  );
  await control(emu, "PATCH", "settings", { behaviour: { shareStateError: "InvalidImageId.IncorrectState" } });
  expect(await code(a.ModifyImageSharePermission({ ImageId: ImageId!, AccountIds: [BOB], Permission: "CANCEL" }))).toBe(
    "InvalidImageId.IncorrectState",
  );
});

test("per-image share cap → OverQuota; per-call account cap → InvalidParameterValue.LimitExceeded", async () => {
  await control(emu, "PATCH", "settings", { limits: { shareCapPerImage: 3, maxShareAccountsPerCall: 2 } });
  const a = client(emu);
  expect(
    await code(
      a.ModifyImageSharePermission({
        ImageId: "img-alicegz1",
        AccountIds: ["200000000001", "200000000002", "200000000003"],
        Permission: "SHARE",
      }),
    ),
  ).toBe("InvalidParameterValue.LimitExceeded");
  await a.ModifyImageSharePermission({
    ImageId: "img-alicegz1",
    AccountIds: ["200000000001", "200000000002"],
    Permission: "SHARE",
  });
  await a.ModifyImageSharePermission({ ImageId: "img-alicegz1", AccountIds: ["200000000003"], Permission: "SHARE" });
  expect(
    await code(
      a.ModifyImageSharePermission({ ImageId: "img-alicegz1", AccountIds: ["200000000004"], Permission: "SHARE" }),
    ),
  ).toBe("OverQuota");
});

test("whole-instance and BYOL images cannot be shared", async () => {
  await control(emu, "PATCH", "settings", { timing: { creatingMs: 0, importingMs: 0 } });
  const a = client(emu);
  const { ImageId: whole } = await a.CreateImage({
    ImageName: "whole",
    InstanceId: "ins-alicgz02",
    DataDiskIds: ["disk-agz2dat1"],
  });
  await describeOne(a, whole!); // settles the transition
  expect(await code(a.ModifyImageSharePermission({ ImageId: whole!, AccountIds: [BOB], Permission: "SHARE" }))).toBe(
    "InvalidParameter.InstanceImageNotSupport",
  );
  const { ImageId: byol } = await a.ImportImage({
    Architecture: "x86_64",
    OsType: "Windows",
    OsVersion: "2022",
    ImageUrl: "https://b.cos.myqcloud.com/w.vhd",
    ImageName: "byol",
    LicenseType: "BYOL",
  });
  await describeOne(a, byol!);
  expect(await code(a.ModifyImageSharePermission({ ImageId: byol!, AccountIds: [BOB], Permission: "SHARE" }))).toBe(
    "FailedOperation.BYOLImageShareFailed",
  );
});

test("CANCEL for an account not shared succeeds by default; empty AccountIds is a no-op; both are settings", async () => {
  const a = client(emu);
  await a.ModifyImageSharePermission({ ImageId: "img-alicegz1", AccountIds: [BOB], Permission: "CANCEL" });
  await a.ModifyImageSharePermission({ ImageId: "img-alicegz1", AccountIds: [], Permission: "CANCEL" });
  await control(emu, "PATCH", "settings", {
    behaviour: { cancelNotShared: "InvalidAccountId.NotFound", emptyAccountIds: "MissingParameter" },
  });
  expect(
    await code(a.ModifyImageSharePermission({ ImageId: "img-alicegz1", AccountIds: [BOB], Permission: "CANCEL" })),
  ).toBe("InvalidAccountId.NotFound");
  expect(
    await code(a.ModifyImageSharePermission({ ImageId: "img-alicegz1", AccountIds: [], Permission: "CANCEL" })),
  ).toBe("MissingParameter");
});

test("shares are per region: bob's share lives in ap-guangzhou only", async () => {
  expect(await describeOne(client(emu, "alice", GZ), "img-bobgz001")).toBeDefined();
  expect(await describeOne(client(emu, "alice", SH), "img-bobgz001")).toBeUndefined();
});
