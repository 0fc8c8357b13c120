/**
 * `ImageRetention`'s provider against the emulator: a family of 30 images of different ages, one
 * the family's current image under a launch configuration by family, one shared outside the
 * stack, one managed by a CustomImage, one excluded, reduced to the kept set with each reason;
 * staged retirement (deprecate, unshare, delete) across runs, and its reversal; a dry run; the
 * second run with nothing due is a no-op; destroying the retention deletes nothing.
 */
import { imageRetentionProvider } from "pulumi-tencentcloud-images";
import { ALICE, BOB, describe as describeImage, sharesOf, useHarness } from "./harness";

const { resetProcess } =
  require("pulumi-tencentcloud-images/dist/cloud/process") as typeof import("../../provider/src/cloud/process");

const retention = imageRetentionProvider as Required<typeof imageRetentionProvider>;
const h = useHarness(async () => resetProcess());

const GZ = "ap-guangzhou";
let serial = 0;
const tag = () => `${process.pid % 1000}${serial++}`.padStart(6, "0").slice(-6);
const DAY = 86_400_000;

/** Seeds `n` images of family `f<tag>` owned by alice, image i made i days ago (img-r<tag><i>). */
async function seedFamily(n: number, extra: { shared?: number[]; lcFamily?: boolean; tagged?: number[] } = {}) {
  const t = tag();
  const family = `ret${t}`;
  const ids = Array.from({ length: n }, (_, i) => `img-r${t}${String(i).padStart(2, "0")}`);
  await h.control("POST", "fixtures", {
    images: ids.map((imageId, i) => ({
      imageId,
      owner: "alice",
      region: GZ,
      name: `${family}-${i}`,
      family,
      createdTime: new Date(Date.now() - (i + 1) * DAY).toISOString(),
      ...(extra.shared?.includes(i) ? { sharedWith: [{ accountId: BOB }] } : {}),
      ...(extra.tagged?.includes(i) ? { tags: [{ Key: "keep", Value: "true" }] } : {}),
    })),
    ...(extra.lcFamily
      ? { launchConfigurations: [{ owner: "alice", region: GZ, name: `${family}-lc`, imageFamily: family }] }
      : {}),
  });
  return { family, ids };
}

async function checked(props: Record<string, unknown>) {
  // The dynamic-provider host passes the serialized provider along with the inputs.
  const c = await retention.check({}, { ...props, __provider: "serialized-shim" });
  if (c.failures?.length) throw new Error(JSON.stringify(c.failures));
  return c.inputs;
}

/** Which of the images still exist (one DescribeImages call). */
async function existing(imageIds: string[]): Promise<string[]> {
  const r = await h.sdk("alice", GZ).request("DescribeImages", { ImageIds: imageIds, Limit: 100 });
  return ((r.ImageSet ?? []) as Array<{ ImageId: string }>).map((i) => i.ImageId).filter((i) => imageIds.includes(i));
}
const exists = async (imageId: string) => (await existing([imageId])).length === 1;

test("a family of 30 is reduced to the kept set, each image with its reason; a second run is a no-op", async () => {
  const { family, ids } = await seedFamily(30, { shared: [10], tagged: [12] });
  const inputs = await checked({
    family,
    keepNewest: 5,
    exclude: { tags: { keep: "true" } },
    managedImageIds: [ids[20]],
  });
  const { id, outs } = await retention.create(inputs);
  expect(id).toMatch(/^retention-/);
  const byId = Object.fromEntries((outs.images as any[]).map((d) => [d.imageId, d]));
  for (let i = 0; i < 5; i++)
    expect(byId[ids[i]!]).toMatchObject({ action: "keep", reason: expect.stringContaining("newest") });
  expect(byId[ids[10]!]).toMatchObject({ action: "keep", reason: expect.stringContaining(BOB) });
  expect(byId[ids[12]!]).toMatchObject({ action: "keep", reason: expect.stringContaining("exclude.tags") });
  expect(byId[ids[20]!]).toMatchObject({ action: "keep", reason: "managed by a CustomImage of this stack" });
  const deleted = ids.filter((_, i) => i >= 5 && ![10, 12, 20].includes(i));
  for (const d of deleted) expect(byId[d]).toMatchObject({ action: "delete" });
  expect(await existing(ids)).toEqual(ids.filter((d) => !deleted.includes(d)));
  expect(await sharesOf(h, ids[10]!)).toEqual([BOB]);
  expect(outs.summary).toEqual({ keep: 8, delete: 22 });

  const again = await retention.diff(id, outs, inputs);
  expect(again.changes).toBe(false);
  await retention.delete(id, outs);
  expect(await existing(ids)).toHaveLength(8);
});

test("staged: deprecate, then unshare (recorded), then delete; an image back in the keep set is restored", async () => {
  const { family, ids } = await seedFamily(4, { shared: [3] });
  const spec = {
    family,
    keepNewest: 2,
    retire: { deprecate: "1s", unshare: "1s" },
    deletionPolicy: { unmanagedShares: "unshare" },
  };
  const inputs = await checked(spec);
  const first = await retention.create(inputs);
  const action = (outs: any, i: number) => (outs.images as any[]).find((d) => d.imageId === ids[i]).action;
  expect([2, 3].map((i) => action(first.outs, i))).toEqual(["deprecate", "deprecate"]);
  expect((await describeImage(h, ids[3]!))!.ImageDeprecated).toBe(true);
  expect((await retention.diff(first.id, first.outs, inputs)).changes).toBe(false);

  await new Promise((r) => setTimeout(r, 1100));
  expect((await retention.diff(first.id, first.outs, inputs)).changes).toBe(true);
  const second = await retention.update(first.id, first.outs, inputs);
  expect(action(second.outs, 2)).toBe("delete");
  expect(action(second.outs, 3)).toBe("unshare");
  expect(await sharesOf(h, ids[3]!)).toEqual([]);
  expect(await exists(ids[2]!)).toBe(false);

  // Back in the keep set (keepNewest 3 now covers image 3 of the three left): restored.
  const wider = await checked({ ...spec, keepNewest: 3 });
  const third = await retention.update(first.id, second.outs, wider);
  expect(action(third.outs, 3)).toBe("restore");
  expect(await sharesOf(h, ids[3]!)).toEqual([BOB]);
  const after = await describeImage(h, ids[3]!);
  expect(after!.ImageDeprecated).toBe(false);
  expect((after!.Tags ?? []).filter((t: any) => t.Key.startsWith("retention:"))).toEqual([]);
});

test("dryRun: decisions recorded, nothing changed", async () => {
  const { family, ids } = await seedFamily(3);
  const inputs = await checked({ family, keepNewest: 1, dryRun: true });
  const { outs } = await retention.create(inputs);
  expect((outs.images as any[]).map((d) => d.action)).toEqual(["keep", "delete", "delete"]);
  expect(await existing(ids)).toEqual(ids);
});

test("the family's current image under a launch configuration by family is kept, named in the reason", async () => {
  const { family, ids } = await seedFamily(3, { lcFamily: true });
  const inputs = await checked({ family, keepYoungerThan: "1h" });
  const { outs } = await retention.create(inputs);
  const byId = Object.fromEntries((outs.images as any[]).map((d) => [d.imageId, d]));
  expect(byId[ids[0]!]).toMatchObject({ action: "keep", reason: expect.stringMatching(/launch configuration/i) });
  expect(byId[ids[1]!].action).toBe("delete");
  expect(await exists(ids[0]!)).toBe(true);
});

test("bad input is refused at check, naming the field and the fix", async () => {
  const reasons = async (props: Record<string, unknown>) =>
    ((await retention.check({}, props)).failures ?? []).map((f) => f.reason).join("\n");
  expect(await reasons({ keepNewest: 3 })).toMatch(/family: no scope: give family, namePrefix or tags/);
  expect(await reasons({ family: "web" })).toMatch(/keepNewest: nothing to keep/);
  expect(await reasons({ family: "web", keepNewest: 0 })).toMatch(/keepNewest: must be a whole number of at least 1/);
  expect(await reasons({ family: "web", keepNewest: 2.5 })).toMatch(/keepNewest: must be a whole number/);
  expect(await reasons({ family: "web", keepYoungerThan: "two weeks" })).toMatch(
    /keepYoungerThan: "two weeks" is not a duration/,
  );
  expect(await reasons({ family: "web", keepYoungerThan: "0d" })).toMatch(
    /keepYoungerThan: "0d" is not a duration of at least 1ms/,
  );
  expect(await reasons({ family: "9web", keepNewest: 1 })).toMatch(/family: "9web" is not accepted/);
  expect(await reasons({ family: "web", keepNewest: 1, exclude: { imageIds: ["ami-1"] } })).toMatch(
    /exclude.imageIds\[0\]: "ami-1" is not a valid image id/,
  );
  expect(await reasons({ family: "web", keepNewest: 1, retire: {} })).toMatch(/retire: retire lists no stage/);
  expect(await reasons({ family: "web", keepNewest: 1, keepNewset: 2 })).toMatch(/unknown property "keepNewset"/);
  void ALICE;
});
