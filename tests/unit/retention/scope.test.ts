/**
 * `planScope` against the emulator: what a retention reads of the cloud, and how often. The account's
 * custom images come from one paged DescribeImages listing (past 100 images too); only the images
 * that may retire have their shares listed (never the kept or excluded ones); the usage scan is read
 * once, and none of it when nothing may retire; an image the listing still shows but whose share
 * listing finds it gone (deleted, not yet out of the listing) is dropped; other accounts' and public
 * images are never in it.
 */
import { BOB, useHarness } from "../../provider/harness";
import { planScope } from "../../../provider/src/retention/scope";
import { resolveSettings } from "../../../provider/src/cloud/settings";
import { resetProcess } from "../../../provider/src/cloud/process";
import type { RetentionSpec } from "../../../provider/src/schema/retention";

type Rec = Record<string, any>;

const h = useHarness(async () => resetProcess(), { rateLimits: false });

const GZ = "ap-guangzhou";
const DAY = 86_400_000;
const USAGE_SCAN = ["DescribeInstances", "DescribeLaunchTemplates", "DescribeLaunchConfigurations"];

const settings = () => resolveSettings({ env: process.env, config: {}, region: GZ, readFile: () => undefined });

let serial = 0;
/** Seeds `n` images of a fresh family (image i made i + 1 days ago); `extra(i)` adds fields to image i. */
async function seedFamily(
  n: number,
  extra: (i: number) => Rec = () => ({}),
): Promise<{ family: string; ids: string[] }> {
  const t = (serial++).toString(36).padStart(3, "0");
  const family = `scope${t}`;
  const ids = Array.from({ length: n }, (_, i) => `img-s${t}${i.toString(36).padStart(4, "0")}`);
  const now = Date.now();
  await h.control("POST", "fixtures", {
    images: ids.map((imageId, i) => ({
      imageId,
      owner: "alice",
      region: GZ,
      name: `${family}-${i}`,
      family,
      createdTime: new Date(now - (i + 1) * DAY).toISOString(),
      ...extra(i),
    })),
  });
  return { family, ids };
}

const spec = (s: Partial<RetentionSpec>): RetentionSpec =>
  ({ deletionPolicy: { unmanagedShares: "block", deleteSnapshots: false }, ...s }) as RetentionSpec;

/** How many of alice's custom images the region lists (the pages of one listing: 100 a page). */
async function ownImageCount(): Promise<number> {
  const r = await h.sdk("alice", GZ).request("DescribeImages", {
    Filters: [{ Name: "image-type", Values: ["PRIVATE_IMAGE"] }],
    Limit: 1,
  });
  return r.TotalCount as number;
}

/** Delay-only fault rules (they change nothing) that count the share listings of each image. */
async function countShareListings(ids: string[]): Promise<() => Promise<Record<string, number>>> {
  const { ids: rules } = await h.control(
    "POST",
    "faults",
    ids.map((imageId) => ({ action: "DescribeImageSharePermission", imageId, account: "alice", delayMs: 1 })),
  );
  return async () => {
    const { faults } = await h.control("GET", "faults");
    const fired = new Map((faults as Array<{ id: string; fired: number }>).map((f) => [f.id, f.fired]));
    return Object.fromEntries(ids.map((id, i) => [id, fired.get(rules[i]) ?? 0]));
  };
}

test("one DescribeImages listing, the usage scan once, and the shares of only the images that may retire", async () => {
  // Images 0 and 1 are the newest, 3 is excluded by its tag: kept, their shares never listed.
  const { family, ids } = await seedFamily(6, (i) => ({
    ...(i === 3 ? { tags: [{ Key: "keep", Value: "true" }] } : {}),
    ...(i === 4 ? { sharedWith: [{ accountId: BOB }] } : {}),
  }));
  const listings = await countShareListings(ids);
  const pages = Math.ceil((await ownImageCount()) / 100);
  await h.clearCalls();

  const { images, decisions } = await planScope(
    settings(),
    spec({ family, keepNewest: 2, exclude: { tags: { keep: "true" } } }),
  );

  expect(await h.counts()).toEqual({
    DescribeImages: pages,
    ...Object.fromEntries(USAGE_SCAN.map((a) => [a, 1])),
    DescribeImageSharePermission: 3,
  });
  expect(await listings()).toEqual(Object.fromEntries(ids.map((id, i) => [id, [2, 4, 5].includes(i) ? 1 : 0])));
  // The images that may retire carry their shares and usage; the kept ones carry neither.
  const byId = new Map(images.map((i) => [i.imageId, i]));
  for (const [i, id] of ids.entries()) {
    const image = byId.get(id)!;
    if ([2, 4, 5].includes(i)) {
      expect([id, image.shares, image.usage?.instances]).toEqual([id, i === 4 ? [BOB] : [], []]);
    } else expect([id, image.shares, image.usage]).toEqual([id, undefined, undefined]);
  }
  expect(decisions.map((d) => d.imageId)).toEqual(ids);
  expect(decisions.map((d) => d.action)).toEqual(["keep", "keep", "delete", "keep", "keep", "delete"]);
  expect(decisions[4]!.reason).toContain(BOB);
});

test("nothing may retire: one listing, no usage scan, no share listing", async () => {
  const { family, ids } = await seedFamily(3, () => ({ sharedWith: [{ accountId: BOB }] }));
  const listings = await countShareListings(ids);
  const pages = Math.ceil((await ownImageCount()) / 100);
  await h.clearCalls();

  const { decisions } = await planScope(settings(), spec({ family, keepNewest: 3, keepYoungerThan: "30d" }));

  expect(await h.counts()).toEqual({ DescribeImages: pages });
  expect(Object.values(await listings())).toEqual([0, 0, 0]);
  expect(decisions.map((d) => d.action)).toEqual(["keep", "keep", "keep"]);
});

test("an image the listing still shows but its share listing finds gone is dropped from the scope", async () => {
  // Image 1 was deleted a moment ago: DescribeImages lists it for a while, its share listing says it is not found.
  const { family, ids } = await seedFamily(3, (i) => (i === 1 ? { goneAt: Date.now() + 600_000 } : {}));
  const listed = await h.sdk("alice", GZ).request("DescribeImages", { ImageIds: ids });
  expect((listed.ImageSet as Rec[]).map((i) => i.ImageId).sort()).toEqual([...ids].sort());
  await h.clearCalls();

  const { images, decisions } = await planScope(settings(), spec({ family, keepNewest: 1 }));

  expect(images.map((i) => i.imageId)).not.toContain(ids[1]);
  expect(images.map((i) => i.imageId)).toEqual(expect.arrayContaining([ids[0], ids[2]]));
  expect(decisions.map((d) => [d.imageId, d.action])).toEqual([
    [ids[0], "keep"],
    [ids[2], "delete"],
  ]);
  expect((await h.counts()).DescribeImageSharePermission).toBe(2);
});

test("the usage scan's findings reach the images that may retire: one in use is kept, named", async () => {
  const { family, ids } = await seedFamily(3);
  await h.control("POST", "fixtures", {
    instances: [
      { instanceId: `ins-scop${String(serial).padStart(4, "0")}`, owner: "alice", region: GZ, imageId: ids[2] },
    ],
  });
  await h.clearCalls();

  const { images, decisions } = await planScope(settings(), spec({ family, keepNewest: 1 }));

  const image = images.find((i) => i.imageId === ids[2])!;
  expect(image.usage!.instances.map((i) => i.instanceId)).toHaveLength(1);
  expect(decisions.map((d) => d.action)).toEqual(["keep", "delete", "keep"]);
  expect(decisions[2]!.reason).toMatch(/instance/);
  expect((await h.counts()).DescribeInstances).toBe(1);
});

test("pages past 100 images: every image of the scope, each listing page of 100 once", async () => {
  const { family, ids } = await seedFamily(150);
  const total = await ownImageCount();
  expect(total).toBeGreaterThan(150);
  await h.clearCalls();

  const { images, decisions } = await planScope(settings(), spec({ family, keepNewest: 140 }));

  expect(await h.counts()).toEqual({
    DescribeImages: Math.ceil(total / 100),
    ...Object.fromEntries(USAGE_SCAN.map((a) => [a, 1])),
    DescribeImageSharePermission: 10,
  });
  expect(images.filter((i) => i.imageFamily === family)).toHaveLength(150);
  expect(decisions.map((d) => d.imageId)).toEqual(ids);
  expect(decisions.filter((d) => d.action === "delete").map((d) => d.imageId)).toEqual(ids.slice(140));
});

test("only this account's custom images: images shared with it and public images are never in the scope", async () => {
  const { images } = await planScope(settings(), spec({ namePrefix: "", keepNewest: 1000 }));
  const listed = images.map((i) => i.imageId);
  expect(listed).toContain("img-alic0001");
  expect(listed).not.toContain("img-bobs0001"); // bob's, shared with alice
  expect(listed).not.toContain("img-pub00001");
  expect(images.every((i) => i.imageType === "PRIVATE_IMAGE")).toBe(true);
});
