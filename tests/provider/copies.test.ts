/**
 * Cross-region copies (`copyTo`) against the emulator: made with SyncImages and shared per region,
 * re-read on refresh (a copy deleted or shared outside the stack), kept in step by updates (a region
 * added or removed, shares changed), and deleted with the image under its policy: a copy shared
 * outside the stack blocks the whole delete with nothing changed, and the preflight's assessment
 * says so. A lost SyncImages answer makes no second copy.
 */
import { assessDeletions } from "pulumi-tencentcloud-images";
import { BOB, CAROL, change, describe as describeImage, provider, rejection, up, useHarness } from "./harness";
import { withOutputDefaults } from "../../provider/src/schema/stored";

const GZ = "ap-guangzhou";
const SH = "ap-shanghai";
const BJ = "ap-beijing";

const h = useHarness();
beforeAll(() => h.control("POST", "fixtures", { regions: [BJ] }));

const base = { fromInstance: { instanceId: "ins-web00001" } };

async function sharesIn(region: string, imageId: string): Promise<string[]> {
  const r = await h.sdk("alice", region).request("DescribeImageSharePermission", { ImageId: imageId });
  return (r.SharePermissionSet ?? []).map((p: { AccountId: string }) => p.AccountId).sort();
}

/** Every image of alice in a region with the name. */
async function named(region: string, name: string): Promise<string[]> {
  const r = await h.sdk("alice", region).request("DescribeImages", {
    Filters: [
      { Name: "image-type", Values: ["PRIVATE_IMAGE"] },
      { Name: "image-name", Values: [name] },
    ],
  });
  return (r.ImageSet ?? [])
    .filter((i: { ImageName: string }) => i.ImageName === name)
    .map((i: { ImageId: string }) => i.ImageId);
}

async function waitGoneIn(region: string, imageId: string) {
  const end = Date.now() + 3000;
  while (Date.now() < end) {
    if (!(await describeImage(h, imageId, "alice", region))) return;
    await new Promise((r) => setTimeout(r, 30));
  }
  throw new Error(`${imageId} still shows in ${region}`);
}

test("create copies to each region, shares every copy, and records them; delete removes the copies with the image", async () => {
  const { id, outs } = await up("copied", { ...base, imageName: "copied", sharedWith: [BOB], copyTo: [BJ, SH] });
  expect(outs.copyTo).toEqual([BJ, SH]);
  expect(Object.keys(outs.copies).sort()).toEqual([BJ, SH]);
  for (const region of [SH, BJ]) {
    const copy = outs.copies[region];
    expect(copy).toEqual({ imageId: expect.stringMatching(/^img-/), sharedWith: [BOB], unmanagedShares: [] });
    expect((await describeImage(h, copy.imageId, "alice", region)).ImageState).toBe("NORMAL");
    expect(await sharesIn(region, copy.imageId)).toEqual([BOB]);
  }
  expect(outs.imageState).toBe("NORMAL"); // the source has left SYNCING

  await provider.delete(id, outs);
  for (const region of [SH, BJ]) await waitGoneIn(region, outs.copies[region].imageId);
  expect(await describeImage(h, id)).toBeNull();
});

test("a copy shared outside the stack blocks the delete before anything changes; with unshare the delete goes through", async () => {
  const { id, inputs, outs } = await up("copy-guarded", {
    ...base,
    imageName: "copy-guarded",
    sharedWith: [BOB],
    copyTo: [SH, BJ],
  });
  const sh = outs.copies[SH].imageId;
  const bj = outs.copies[BJ].imageId;
  await h
    .sdk("alice", SH)
    .request("ModifyImageSharePermission", { ImageId: sh, AccountIds: [CAROL], Permission: "SHARE" });

  // refresh shows it on the copy
  const read = await provider.read(id, outs);
  expect(read.props.copies[SH]).toEqual({ imageId: sh, sharedWith: [BOB], unmanagedShares: [CAROL] });

  // the preflight's assessment lists the copies and their outcomes; the blocked copy blocks the image
  const [assessed] = await assessDeletions([{ imageId: id, outputs: read.props }], { env: process.env });
  expect(assessed.outcome).toBe("blocked");
  expect(assessed.reasons.join(" ")).toContain(`copy ${sh} in ${SH}`);
  expect(assessed.copies.map((c) => [c.region, c.imageId, c.outcome, c.unmanagedShares])).toEqual(
    expect.arrayContaining([
      [SH, sh, "blocked", [CAROL]],
      [BJ, bj, "delete", []],
    ]),
  );

  await h.clearCalls();
  const e = await rejection(provider.delete(id, read.props));
  expect(e.message).toContain(sh);
  expect(e.message).toContain(CAROL);
  expect(e.message).toContain("Already done: nothing was changed");
  const counts = await h.counts();
  expect(counts.DeleteImages ?? 0).toBe(0);
  expect(counts.ModifyImageSharePermission ?? 0).toBe(0);
  expect(await sharesIn(SH, sh)).toEqual([BOB, CAROL]);
  expect(await sharesIn(BJ, bj)).toEqual([BOB]);
  expect(await sharesIn(GZ, id)).toEqual([BOB]);

  const u = await change("copy-guarded", id, inputs, read.props, {
    ...base,
    imageName: "copy-guarded",
    sharedWith: [BOB],
    copyTo: [SH, BJ],
    deletionPolicy: { unmanagedShares: "unshare" },
  });
  expect(u.outs!.deletionPolicy.unmanagedShares).toBe("unshare");
  await provider.delete(id, u.outs!);
  await waitGoneIn(SH, sh);
  await waitGoneIn(BJ, bj);
  expect(await describeImage(h, id)).toBeNull();
});

test("update: a removed region's copy is deleted, an added region is copied to, and shares follow sharedWith on every copy", async () => {
  const { id, inputs, outs } = await up("copy-moves", {
    ...base,
    imageName: "copy-moves",
    sharedWith: [BOB],
    copyTo: [SH],
  });
  const sh = outs.copies[SH].imageId;
  const u = await change("copy-moves", id, inputs, outs, {
    ...base,
    imageName: "copy-moves",
    sharedWith: [CAROL],
    copyTo: [BJ],
  });
  expect(u.diff.replaces).toEqual([]);
  expect(u.outs!.copyTo).toEqual([BJ]);
  await waitGoneIn(SH, sh);
  const bj = u.outs!.copies[BJ].imageId;
  expect(await sharesIn(BJ, bj)).toEqual([CAROL]);
  expect(await sharesIn(GZ, id)).toEqual([CAROL]);

  // sharedWith and the name change on the image and on its copy
  const v = await change("copy-moves", id, u.news, u.outs!, {
    ...base,
    imageName: "copy-moves-2",
    sharedWith: [BOB],
    copyTo: [BJ],
  });
  expect(v.outs!.copies[BJ]).toEqual({ imageId: bj, sharedWith: [BOB], unmanagedShares: [] });
  expect(await sharesIn(BJ, bj)).toEqual([BOB]);
  expect((await describeImage(h, bj, "alice", BJ)).ImageName).toBe("copy-moves-2");
  await provider.delete(id, v.outs!);
  await waitGoneIn(BJ, bj);
});

test("refresh drops a copy deleted outside the stack and warns; the next update copies again", async () => {
  const { id, inputs, outs } = await up("copy-lost", {
    ...base,
    imageName: "copy-lost",
    sharedWith: [BOB],
    copyTo: [SH],
  });
  const sh = outs.copies[SH].imageId;
  await h
    .sdk("alice", SH)
    .request("ModifyImageSharePermission", { ImageId: sh, AccountIds: [BOB], Permission: "CANCEL" });
  await h.sdk("alice", SH).request("DeleteImages", { ImageIds: [sh] });
  await waitGoneIn(SH, sh);
  const read = await provider.read(id, outs);
  expect(withOutputDefaults(read.props).copyTo).toEqual([]);
  expect(withOutputDefaults(read.props).copies).toEqual({});
  const u = await change("copy-lost", id, inputs, read.props, {
    ...base,
    imageName: "copy-lost",
    sharedWith: [BOB],
    copyTo: [SH],
  });
  expect(u.diff.changes).toBe(true);
  const again = u.outs!.copies[SH].imageId;
  expect(again).not.toBe(sh);
  expect(await sharesIn(SH, again)).toEqual([BOB]);
  await provider.delete(id, u.outs!);
});

test("a copy that lost a managed share outside the stack is shared again by the next update", async () => {
  const { id, inputs, outs } = await up("copy-unshared", {
    ...base,
    imageName: "copy-unshared",
    sharedWith: [BOB],
    copyTo: [SH],
  });
  const sh = outs.copies[SH].imageId;
  await h
    .sdk("alice", SH)
    .request("ModifyImageSharePermission", { ImageId: sh, AccountIds: [BOB], Permission: "CANCEL" });
  const read = await provider.read(id, outs);
  expect(read.props.copies[SH].sharedWith).toEqual([]);
  const u = await change("copy-unshared", id, inputs, read.props, {
    ...base,
    imageName: "copy-unshared",
    sharedWith: [BOB],
    copyTo: [SH],
  });
  expect(u.diff.changes).toBe(true);
  expect(u.outs!.copies[SH].sharedWith).toEqual([BOB]);
  expect(await sharesIn(SH, sh)).toEqual([BOB]);
  await provider.delete(id, u.outs!);
});

test("a SyncImages whose answer was lost is reconciled by name: one copy per region, recorded", async () => {
  await h.control("POST", "faults", { action: "SyncImages", dropAfter: true, times: 1 });
  const { id, outs } = await up("copy-lost-answer", { ...base, imageName: "copy-lost-answer", copyTo: [SH, BJ] });
  for (const region of [SH, BJ]) expect(await named(region, "copy-lost-answer")).toEqual([outs.copies[region].imageId]);
  await provider.delete(id, outs);
  for (const region of [SH, BJ]) await waitGoneIn(region, outs.copies[region].imageId);
});

test("check refuses copying to the image's own region, and copying a whole-machine image", async () => {
  const own = await provider.check({}, { ...base, region: GZ, copyTo: [GZ], resourceName: "own" });
  expect(own.failures).toEqual([{ property: "", reason: expect.stringMatching(/^copyTo: .*own region/m) }]);
  const whole = await provider.check(
    {},
    {
      fromInstance: { instanceId: "ins-web00001", dataDiskIds: ["disk-dat00001"] },
      region: GZ,
      copyTo: [SH],
      resourceName: "whole",
    },
  );
  expect(whole.failures).toEqual([{ property: "", reason: expect.stringMatching(/^copyTo: .*whole-machine/m) }]);
});
