/** DescribeImages: ids, filters, paging over more than 100 images, limits and region isolation. */
import { RunningEmulator } from "../../emulator/src";
import { client, code, control, GZ, reset, SH, start } from "./helpers";

let emu: RunningEmulator;
beforeAll(async () => (emu = await start()));
afterAll(() => emu.stop());
beforeEach(() => reset(emu));

const ids = (r: { ImageSet?: { ImageId?: string }[] }) => (r.ImageSet ?? []).map((i) => i.ImageId);

test("alice sees public images, her own and those shared with her, typed from her point of view", async () => {
  const r = await client(emu).DescribeImages({ Limit: 100 });
  const types = Object.fromEntries((r.ImageSet ?? []).map((i) => [i.ImageId, i.ImageType]));
  expect(types["img-alicegz1"]).toBe("PRIVATE_IMAGE");
  expect(types["img-bobgz001"]).toBe("SHARED_IMAGE");
  expect(types["img-pubgz001"]).toBe("PUBLIC_IMAGE");
  expect(r.TotalCount).toBe(7);
  const mine = r.ImageSet!.find((i) => i.ImageId === "img-alicegz1")!;
  expect(mine.ImageCreator).toBe("100000000001");
  expect(mine.SnapshotSet).toEqual([{ SnapshotId: "snap-alicegz1", DiskUsage: "SYSTEM_DISK", DiskSize: 50 }]);
  const pub = r.ImageSet!.find((i) => i.ImageId === "img-pubgz001")!;
  expect(pub).toMatchObject({ ImageCreator: "tencent", ImageSource: "OFFICIAL", SnapshotSet: [] });
});

test("bob sees his image as PRIVATE_IMAGE; carol does not see it at all", async () => {
  expect((await client(emu, "bob").DescribeImages({ ImageIds: ["img-bobgz001"] })).ImageSet?.[0]?.ImageType).toBe(
    "PRIVATE_IMAGE",
  );
  expect((await client(emu, "carol").DescribeImages({ ImageIds: ["img-bobgz001"] })).TotalCount).toBe(0);
});

test("region isolation: a region never sees another's images", async () => {
  const gz = await client(emu, "alice", GZ).DescribeImages({ Limit: 100 });
  const sh = await client(emu, "alice", SH).DescribeImages({ Limit: 100 });
  expect(ids(gz)).not.toContain("img-alicesh1");
  expect(ids(sh)).toContain("img-alicesh1");
  expect(ids(sh)).not.toContain("img-alicegz1");
  expect(ids(sh).every((id) => !id?.startsWith("img-pubgz"))).toBe(true);
  expect((await client(emu, "alice", SH).DescribeImages({ ImageIds: ["img-alicegz1"] })).TotalCount).toBe(0);
});

test("unknown but well-formed ids give an empty set; malformed ids InvalidImageId.Malformed", async () => {
  const r = await client(emu).DescribeImages({ ImageIds: ["img-zzzzzzzz", "img-alicegz1"] });
  expect(ids(r)).toEqual(["img-alicegz1"]);
  expect(r.TotalCount).toBe(1);
  expect((await client(emu).DescribeImages({ ImageIds: ["img-34vaef8fe"] })).TotalCount).toBe(0);
  expect(await code(client(emu).DescribeImages({ ImageIds: ["img-ABC12345"] }))).toBe("InvalidImageId.Malformed");
  expect(await code(client(emu).DescribeImages({ Filters: [{ Name: "image-id", Values: ["ami-1"] }] }))).toBe(
    "InvalidImageId.Malformed",
  );
});

test("filters: image-id, image-type, image-name (fuzzy), platform (fuzzy), AND across filters, OR within", async () => {
  const c = client(emu);
  expect(
    ids(await c.DescribeImages({ Filters: [{ Name: "image-id", Values: ["img-pubgz002", "img-alicegz1"] }] })).sort(),
  ).toEqual(["img-alicegz1", "img-pubgz002"]);
  expect(ids(await c.DescribeImages({ Filters: [{ Name: "image-type", Values: ["SHARED_IMAGE"] }] }))).toEqual([
    "img-bobgz001",
  ]);
  expect(ids(await c.DescribeImages({ Filters: [{ Name: "image-name", Values: ["WEB-BA"] }] }))).toEqual([
    "img-alicegz1",
  ]);
  const tencentos = await c.DescribeImages({ Filters: [{ Name: "platform", Values: ["tencent"] }] });
  expect(ids(tencentos).sort()).toEqual(["img-alicegz1", "img-bobgz001", "img-pubgz001"]);
  const both = await c.DescribeImages({
    Filters: [
      { Name: "platform", Values: ["tencent"] },
      { Name: "image-type", Values: ["PUBLIC_IMAGE"] },
    ],
  });
  expect(ids(both)).toEqual(["img-pubgz001"]);
});

test("tag filters: tag-key, tag-value, tag:<key>", async () => {
  const c = client(emu);
  expect(ids(await c.DescribeImages({ Filters: [{ Name: "tag-key", Values: ["team"] }] }))).toEqual(["img-alicegz1"]);
  expect(ids(await c.DescribeImages({ Filters: [{ Name: "tag-value", Values: ["web"] }] }))).toEqual(["img-alicegz1"]);
  expect(ids(await c.DescribeImages({ Filters: [{ Name: "tag:team", Values: ["web"] }] }))).toEqual(["img-alicegz1"]);
  expect(ids(await c.DescribeImages({ Filters: [{ Name: "tag:team", Values: ["db"] }] }))).toEqual([]);
  expect(await code(c.DescribeImages({ Filters: [{ Name: "tag:", Values: ["x"] }] }))).toBe(
    "FailedOperation.IllegalTagKey",
  );
});

test("ImageIds and Filters together → InvalidParameter.InvalidParameterCoexistImageIdsFilters", async () => {
  expect(
    await code(
      client(emu).DescribeImages({
        ImageIds: ["img-alicegz1"],
        Filters: [{ Name: "image-type", Values: ["PRIVATE_IMAGE"] }],
      }),
    ),
  ).toBe("InvalidParameter.InvalidParameterCoexistImageIdsFilters");
});

test("filter limits and unknown filters", async () => {
  const c = client(emu);
  const eleven = Array.from({ length: 11 }, () => ({ Name: "image-type", Values: ["PUBLIC_IMAGE"] }));
  expect(await code(c.DescribeImages({ Filters: eleven }))).toBe("InvalidParameterValue.LimitExceeded");
  expect(
    await code(c.DescribeImages({ Filters: [{ Name: "image-name", Values: ["a", "b", "c", "d", "e", "f"] }] })),
  ).toBe("InvalidFilterValue.LimitExceeded");
  expect(await code(c.DescribeImages({ Filters: [{ Name: "image-colour", Values: ["red"] }] }))).toBe("InvalidFilter");
  expect(await code(c.DescribeImages({ InstanceType: "not a type" }))).toBe("InvalidInstanceType.Malformed");
  expect((await c.DescribeImages({ InstanceType: "S5.MEDIUM4" })).TotalCount).toBe(7);
});

test("Limit above 100 → InvalidParameterValue.LimitExceeded; negative Offset → InvalidParameterValue", async () => {
  expect(await code(client(emu).DescribeImages({ Limit: 101 }))).toBe("InvalidParameterValue.LimitExceeded");
  expect(await code(client(emu).DescribeImages({ Offset: -1 }))).toBe("InvalidParameterValue");
});

test("paging across more than 100 images: default Limit 20, TotalCount, every image exactly once", async () => {
  const images = Array.from({ length: 250 }, (_, i) => ({
    owner: "alice",
    region: GZ,
    name: `bulk-${String(i).padStart(3, "0")}`,
  }));
  await control(emu, "POST", "fixtures", { images });
  const c = client(emu);
  const first = await c.DescribeImages({ Filters: [{ Name: "image-name", Values: ["bulk-"] }] });
  expect(first.TotalCount).toBe(250);
  expect(first.ImageSet).toHaveLength(20);
  const seen: string[] = [];
  for (let offset = 0; ; offset += 100) {
    const page = await c.DescribeImages({
      Filters: [{ Name: "image-type", Values: ["PRIVATE_IMAGE"] }],
      Offset: offset,
      Limit: 100,
    });
    expect(page.TotalCount).toBe(251);
    seen.push(...ids(page).map(String));
    if (offset + 100 >= page.TotalCount!) break;
  }
  expect(seen).toHaveLength(251);
  expect(new Set(seen).size).toBe(251);
  expect(seen[0]).toMatch(/^img-[a-z0-9]{8}$/);
  // newest first
  const names = (
    await c.DescribeImages({ Filters: [{ Name: "image-name", Values: ["bulk-"] }], Limit: 2 })
  ).ImageSet!.map((i) => i.ImageName);
  expect(names).toEqual(["bulk-249", "bulk-248"]);
  expect(
    (await c.DescribeImages({ Filters: [{ Name: "image-name", Values: ["bulk-"] }], Offset: 240, Limit: 100 }))
      .ImageSet,
  ).toHaveLength(10);
});
