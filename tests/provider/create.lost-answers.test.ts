/**
 * Answers that say "already so" or get lost: a SHARE retried after its answer was lost
 * (AccountAlreadyExists), a CANCEL of an account no longer shared (both emulator choices), a
 * DeleteImages retried after it took effect (NotFound), and a failed share listing at the end of
 * create. Each counts as done or records the image; no message says "fix sharedWith" or
 * "nothing was changed" when something was.
 *
 * And a CreateImage or ImportImage whose answer is lost (dropped before or after it took effect):
 * the image it made is found by its name and continued with, never made twice; a same-named image
 * that is not the one the resource made (other snapshots, other attributes) is not taken.
 */
import {
  BOB,
  CAROL,
  DAVE,
  change,
  describe as describeImage,
  provider,
  rejection,
  sharesOf,
  up,
  useHarness,
} from "./harness";
import { withOutputDefaults } from "../../provider/src/schema/stored";

const h = useHarness((h) =>
  h.control("PATCH", "settings", {
    behaviour: { cancelNotShared: "success", shareAlreadyShared: "FailedOperation.AccountAlreadyExists" },
  }),
);

const base = { fromInstance: { instanceId: "ins-web00001" } };
const log = async () =>
  (await h.control("GET", "calls")).log as Array<{ action: string; errorCode?: string; dropped?: boolean }>;

test("create: a SHARE whose answer was lost is retried, answered AccountAlreadyExists, and counts as done", async () => {
  await h.control("POST", "faults", { action: "ModifyImageSharePermission", dropAfter: true, times: 1 });
  await h.clearCalls();
  const { id, outs } = await up("lost-share", { ...base, sharedWith: [BOB, CAROL] });
  expect(withOutputDefaults(outs)).toMatchObject({ sharedWith: [BOB, CAROL], unmanagedShares: [] });
  expect(await sharesOf(h, id)).toEqual([BOB, CAROL]);
  const shareCalls = (await log()).filter((c) => c.action === "ModifyImageSharePermission");
  expect(shareCalls.map((c) => c.errorCode ?? (c.dropped ? "dropped" : "ok"))).toEqual([
    "dropped",
    "FailedOperation.AccountAlreadyExists",
  ]);
  await provider.delete(id, outs);
});

test("update: a lost SHARE answer counts as done; a later failure lists the share as made", async () => {
  const { id, inputs, outs } = await up("lost-share-update", { ...base, sharedWith: [BOB] });
  // SHARE of CAROL takes effect but its answer is lost; the retry answers AccountAlreadyExists.
  await h.control("POST", "faults", { action: "ModifyImageSharePermission", imageId: id, dropAfter: true, times: 1 });
  const next = { ...base, sharedWith: [BOB, CAROL] };
  const u = await change("lost-share-update", id, inputs, outs, next);
  expect(u.outs).toMatchObject({ sharedWith: [BOB, CAROL] });

  // SHARE of DAVE is lost (the retry answers AccountAlreadyExists), then the CANCEL of BOB is refused.
  await h.control("DELETE", "faults");
  await h.control("POST", "faults", [
    { action: "ModifyImageSharePermission", imageId: id, dropAfter: true, times: 1 },
    { action: "ModifyImageSharePermission", imageId: id, delayMs: 1, times: 1 },
    { action: "ModifyImageSharePermission", imageId: id, error: "UnauthorizedOperation.PermissionDenied", times: 1 },
  ]);
  const e = await rejection(change("lost-share-update", id, u.news, u.outs!, { ...base, sharedWith: [CAROL, DAVE] }));
  expect(e.message).toMatch(/UnauthorizedOperation.PermissionDenied/);
  expect(e.message).toContain(`Already done: shared with 1 account (${DAVE})`);
  expect(e.message).not.toMatch(/nothing was changed|fix sharedWith/);
  expect(e.id).toBe(id);
  expect([...e.properties.sharedWith].sort()).toEqual([BOB, CAROL, DAVE]);
  expect(await sharesOf(h, id)).toEqual([BOB, CAROL, DAVE]);
  await h.control("DELETE", "faults");
  await provider.delete(id, e.properties);
});

test("a SHARE answered AccountAlreadyExists for part of a chunk shares the rest", async () => {
  const { id, inputs, outs } = await up("part-shared", { ...base, sharedWith: [] });
  await h.sdk().request("ModifyImageSharePermission", { ImageId: id, AccountIds: [BOB], Permission: "SHARE" });
  const u = await change("part-shared", id, inputs, outs, { ...base, sharedWith: [BOB, CAROL] });
  expect(withOutputDefaults(u.outs!)).toMatchObject({ sharedWith: [BOB, CAROL], unmanagedShares: [] });
  expect(await sharesOf(h, id)).toEqual([BOB, CAROL]);
  await provider.delete(id, u.outs!);
});

describe.each([["success"], ["InvalidAccountId.NotFound"]])(
  "CANCEL of an account no longer shared (emulator answers %s)",
  (answer) => {
    test("update: a lost CANCEL answer counts as done", async () => {
      await h.control("PATCH", "settings", { behaviour: { cancelNotShared: answer } });
      const { id, inputs, outs } = await up("lost-cancel", { ...base, sharedWith: [BOB, CAROL] });
      await h.control("POST", "faults", {
        action: "ModifyImageSharePermission",
        imageId: id,
        dropAfter: true,
        times: 1,
      });
      await h.clearCalls();
      const u = await change("lost-cancel", id, inputs, outs, { ...base, sharedWith: [BOB] });
      expect(withOutputDefaults(u.outs!)).toMatchObject({ sharedWith: [BOB], unmanagedShares: [] });
      expect(await sharesOf(h, id)).toEqual([BOB]);
      const cancels = (await log()).filter((c) => c.action === "ModifyImageSharePermission");
      expect(cancels.map((c) => c.errorCode ?? (c.dropped ? "dropped" : "ok"))).toEqual([
        "dropped",
        answer === "success" ? "ok" : answer,
      ]);
      await provider.delete(id, u.outs!);
    });

    test("delete: a lost CANCEL answer counts as done, and the image is deleted", async () => {
      await h.control("PATCH", "settings", { behaviour: { cancelNotShared: answer } });
      const { id, outs } = await up("lost-cancel-delete", { ...base, sharedWith: [BOB] });
      await h.control("POST", "faults", {
        action: "ModifyImageSharePermission",
        imageId: id,
        dropAfter: true,
        times: 1,
      });
      await provider.delete(id, outs);
      expect(await describeImage(h, id)).toBeNull();
    });
  },
);

test("a CANCEL refused with InvalidAccountId.NotFound while the account is still shared is a real error", async () => {
  const { id, inputs, outs } = await up("real-cancel-error", { ...base, sharedWith: [BOB] });
  await h.control("POST", "faults", {
    action: "ModifyImageSharePermission",
    imageId: id,
    error: "InvalidAccountId.NotFound",
    times: 1,
  });
  const e = await rejection(change("real-cancel-error", id, inputs, outs, { ...base, sharedWith: [] }));
  expect(e.message).toMatch(/InvalidAccountId.NotFound/);
  expect(e.message).toMatch(/Already done: nothing was changed/);
  expect(await sharesOf(h, id)).toEqual([BOB]);
  await h.control("DELETE", "faults");
  await provider.delete(id, e.properties);
});

test("a DeleteImages whose answer was lost is retried, answered NotFound, and counts as done", async () => {
  const { id, outs } = await up("lost-delete", base);
  await h.control("POST", "faults", { action: "DeleteImages", imageId: id, dropAfter: true, times: 1 });
  await h.clearCalls();
  await provider.delete(id, outs);
  const deletes = (await log()).filter((c) => c.action === "DeleteImages");
  expect(deletes.map((c) => c.errorCode ?? (c.dropped ? "dropped" : "ok"))).toEqual([
    "dropped",
    "InvalidImageId.NotFound",
  ]);
});

test("create: a failed share listing at the end records the NORMAL, shared image (init error with its outputs)", async () => {
  await h.control("POST", "faults", {
    action: "DescribeImageSharePermission",
    error: "UnauthorizedOperation.PermissionDenied",
    times: 1,
  });
  const e = await rejection(up("listing-fails", { ...base, sharedWith: [BOB] }));
  expect(e.id).toMatch(/^img-/);
  expect(e.message).toMatch(/listing the shares at the end failed: .*UnauthorizedOperation.PermissionDenied/);
  expect(e.message).toContain(
    `Already done: started CreateImage (${e.id}), then ${e.id} became NORMAL, then shared with 1 account (${BOB})`,
  );
  expect(e.message).not.toMatch(/fix sharedWith|nothing was changed/);
  expect(withOutputDefaults(e.properties)).toMatchObject({
    imageId: e.id,
    imageState: "NORMAL",
    sharedWith: [BOB],
    unmanagedShares: [],
    __provider: expect.any(String),
  });
  expect(await sharesOf(h, e.id)).toEqual([BOB]);
  await provider.delete(e.id, e.properties);
});

test("create: a share refused for a cause outside sharedWith does not say to fix sharedWith", async () => {
  await h.control("POST", "faults", {
    action: "ModifyImageSharePermission",
    error: "UnauthorizedOperation.PermissionDenied",
    times: 1,
  });
  const e = await rejection(up("share-denied", { ...base, sharedWith: [BOB] }));
  expect(e.id).toMatch(/^img-/);
  expect(e.message).toMatch(/fix the cause and run `pulumi up` again to finish sharing/);
  expect(e.message).not.toMatch(/fix sharedWith/);
  await provider.delete(e.id, e.properties);
});

test("update: a SHARE that never gets an answer says it may have taken effect, and records the cloud", async () => {
  const { id, inputs, outs } = await up("share-no-answer", { ...base, sharedWith: [] });
  // Every attempt takes effect and loses its answer, so the call layer gives up with a network error.
  await h.control("POST", "faults", { action: "ModifyImageSharePermission", imageId: id, dropAfter: true });
  const e = await rejection(change("share-no-answer", id, inputs, outs, { ...base, sharedWith: [BOB] }));
  expect(e.message).toContain(
    `Already done: SHARE for 1 account (${BOB}) got no clear answer, so it may have taken effect.`,
  );
  expect(e.message).not.toMatch(/nothing was changed/);
  expect(withOutputDefaults(e.properties)).toMatchObject({ sharedWith: [BOB], unmanagedShares: [] });
  expect(await sharesOf(h, id)).toEqual([BOB]);
  await h.control("DELETE", "faults");
  await provider.delete(id, e.properties);
});

describe("CreateImage and ImportImage answers that get lost", () => {
  test("a dropped CreateImage does not leave a duplicate image", async () => {
    await h.control("POST", "faults", { action: "CreateImage", drop: true, times: 1 });
    const { id, outs } = await up("dropped", { ...base, imageName: "dropped-create-1" });
    const r = await h
      .sdk()
      .request("DescribeImages", { Filters: [{ Name: "image-name", Values: ["dropped-create-1"] }] });
    const same = (r.ImageSet as Array<{ ImageName: string; ImageId: string }>).filter(
      (i) => i.ImageName === "dropped-create-1",
    );
    expect(same.map((i) => i.ImageId)).toEqual([id]);
    await provider.delete(id, outs);
  });

  const sameNamed = async (name: string) => {
    const r = await h.sdk().request("DescribeImages", { Filters: [{ Name: "image-name", Values: [name] }] });
    return (r.ImageSet as Array<{ ImageName: string; ImageId: string }>)
      .filter((i) => i.ImageName === name)
      .map((i) => i.ImageId);
  };

  test("a CreateImage dropped after it took effect leaves exactly one image, adopted by the resource", async () => {
    await h.control("POST", "faults", { action: "CreateImage", dropAfter: true, times: 1 });
    await h.clearCalls();
    const { id, outs } = await up("dropped-after", {
      fromSnapshots: { snapshotIds: ["snap-sys00001"] },
      imageName: "dropped-after-1",
    });
    expect(await sameNamed("dropped-after-1")).toEqual([id]);
    expect(withOutputDefaults(outs)).toMatchObject({
      imageId: id,
      imageState: "NORMAL",
      snapshotIds: ["snap-sys00001"],
      adopted: false,
    });
    const calls = await log();
    expect(calls.filter((c) => c.action === "CreateImage").map((c) => c.dropped === true)).toEqual([true]);
    await provider.delete(id, outs);
  });

  test("after a dropped CreateImage, a same-named image from other snapshots is not adopted", async () => {
    const other = await h.sdk().request("DescribeImages", { ImageIds: ["img-alic0001"] });
    expect(other.ImageSet[0].SnapshotSet[0].SnapshotId).toBe("snap-alic0001");
    const { ImageId: theirs } = await h
      .sdk()
      .request("CreateImage", { ImageName: "someone-elses", SnapshotIds: ["snap-alic0001"] });
    await h.control("POST", "faults", { action: "CreateImage", drop: true, times: 1 });
    const e = await rejection(
      up("not-mine", { fromSnapshots: { snapshotIds: ["snap-sys00001"] }, imageName: "someone-elses" }),
    );
    expect(e.message).toMatch(/the name "someone-elses" is already used by another image/);
    expect(await sameNamed("someone-elses")).toEqual([theirs]);
    await provider.delete(theirs, { region: "ap-guangzhou" });
  });

  describe("a CreateImage from an instance whose answer was lost continues with the image it made", () => {
    test.each([
      ["an explicit name", { imageName: "dropped-after-2" }],
      ["an auto-name", {}],
    ])("with %s", async (_label, naming) => {
      await h.control("POST", "faults", { action: "CreateImage", dropAfter: true, times: 1 });
      await h.clearCalls();
      const { id, outs } = await up("dropped-after-inst", { ...base, ...naming, sharedWith: [BOB] });
      expect(await sameNamed(outs.imageName)).toEqual([id]);
      expect(withOutputDefaults(outs)).toMatchObject({
        imageId: id,
        imageState: "NORMAL",
        sharedWith: [BOB],
        unmanagedShares: [],
        adopted: false,
      });
      const calls = await log();
      expect(calls.filter((c) => c.action === "CreateImage").map((c) => c.dropped === true)).toEqual([true]);
      await provider.delete(id, outs);
    });
  });

  const IMPORT = {
    imageUrl: "https://bucket-1250000000.cos.ap-guangzhou.myqcloud.com/disk.qcow2",
    architecture: "x86_64",
    osType: "CentOS",
    osVersion: "7",
  };

  describe.each([
    ["fromInstance", "CreateImage", { ...base, imageDescription: "web base", tags: { team: "web" } }],
    ["fromSnapshots", "CreateImage", { fromSnapshots: { snapshotIds: ["snap-sys00001"] }, imageFamily: "base" }],
    ["fromImport", "ImportImage", { fromImport: IMPORT }],
  ])("%s with an explicit name", (source, action, props) => {
    test(`a lost ${action} answer continues with the image it made`, async () => {
      await h.control("POST", "faults", { action, dropAfter: true, times: 1 });
      const { id, outs } = await up(`lost-${source}`, { ...props, imageName: `lost-${source}` });
      expect(await sameNamed(`lost-${source}`)).toEqual([id]);
      expect(withOutputDefaults(outs)).toMatchObject({ imageId: id, imageState: "NORMAL", adopted: false });
      await provider.delete(id, outs);
    });

    test(`a re-run after a lost ${action} answer that could not be looked up takes the image as its own`, async () => {
      const name = `rerun-${source}`;
      // The answer is lost and the lookup by name is refused: the first run cannot know the image id.
      await h.control("POST", "faults", [
        { action, dropAfter: true, times: 1 },
        { action: "DescribeImages", error: "UnauthorizedOperation.PermissionDenied", times: 1 },
      ]);
      const first = await rejection(up(name, { ...props, imageName: name }));
      expect(first.id).toBeUndefined();
      expect(first.message).toContain(`${action} failed without a clear answer`);
      expect(first.message).toContain(`so it may have made image "${name}"; looking for it by its name failed`);
      expect(first.message).toContain(
        `Already done: sent ${action} for "${name}"; it may have made the image.\nNext: run \`pulumi up\` again`,
      );
      expect(first.message).not.toMatch(/nothing was changed|already used by another image/);
      const [made] = await sameNamed(name);
      expect(made).toMatch(/^img-/);
      // The engine creates again with the same inputs: the image is the stack's own, not "another image".
      await h.clearCalls();
      const { id, outs } = await up(name, { ...props, imageName: name });
      expect(id).toBe(made);
      expect(await sameNamed(name)).toEqual([made]);
      expect(withOutputDefaults(outs)).toMatchObject({ imageId: made, imageState: "NORMAL", adopted: false });
      expect((await log()).filter((c) => c.action === action).map((c) => c.errorCode)).toEqual([
        "InvalidImageName.Duplicate",
      ]);
      await provider.delete(id, outs);
    });
  });

  test("after a lost CreateImage answer with an auto-name that could not be looked up, the message names the image to look for", async () => {
    await h.control("POST", "faults", [
      { action: "CreateImage", dropAfter: true, times: 1 },
      { action: "DescribeImages", error: "UnauthorizedOperation.PermissionDenied", times: 1 },
    ]);
    const e = await rejection(up("rerun-auto", base));
    const name = /may have made image "([^"]+)"/.exec(e.message)?.[1] ?? "";
    expect(name).toMatch(/^rerun-auto-[0-9a-f]{7}$/);
    expect(e.message).toMatch(/a re-run draws a new auto-name and would not find it, so if it exists adopt it/);
    const [made] = await sameNamed(name);
    expect(made).toMatch(/^img-/);
    await provider.delete(made, { region: "ap-guangzhou" });
  });

  test("a same-named image from the same instance with other attributes is another image, named with how to adopt it", async () => {
    const { ImageId: theirs } = await h.sdk().request("CreateImage", {
      ImageName: "look-alike",
      InstanceId: "ins-web00001",
      ImageDescription: "made by hand",
    });
    const e = await rejection(up("look-alike", { ...base, imageName: "look-alike" }));
    expect(e.message).toContain(`the name "look-alike" is already used by another image in ap-guangzhou (${theirs}, `);
    expect(e.message).toContain(`replace fromInstance with \`adoptImageId: "${theirs}"\``);
    expect(e.message).toMatch(/Already done: nothing was changed/);
    expect(await sameNamed("look-alike")).toEqual([theirs]);
    await provider.delete(theirs, { region: "ap-guangzhou" });
  });
});
