import {
  BOB,
  change,
  describe as describeImage,
  Harness,
  provider,
  PROVIDER_TEXT,
  rejection,
  sharesOf,
  startHarness,
  up,
  waitGone,
} from "./harness";
import { withOutputDefaults } from "../../provider/src/schema/stored";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ failImageNamesContaining: ["doomed"] });
});
afterAll(() => h.stop());

test("from snapshots", async () => {
  const { id, outs } = await up("snap", {
    fromSnapshots: { snapshotIds: ["snap-sys00001", "snap-dat00001"] },
    tags: { team: "a" },
  });
  expect(outs).toMatchObject({
    imageState: "NORMAL",
    fromSnapshots: { snapshotIds: ["snap-sys00001", "snap-dat00001"] },
    tags: { team: "a" },
  });
  await provider.delete(id, outs);
  await waitGone(h, id);
});

test("from an image file (ImportImage)", async () => {
  const fromImport = {
    imageUrl: "https://bucket-1250000000.cos.ap-guangzhou.myqcloud.com/disk.qcow2",
    architecture: "x86_64",
    osType: "CentOS",
    osVersion: "7",
    bootMode: "UEFI",
  };
  const { id, outs } = await up("imp", { fromImport, imageFamily: "imports" });
  expect(outs).toMatchObject({ imageState: "NORMAL", imageFamily: "imports", fromImport, architecture: "x86_64" });
  await provider.delete(id, outs);
  await waitGone(h, id);
});

describe("adoption", () => {
  test("adopts this account's custom image, keeps its name, shares, and renames only on request", async () => {
    const { id, outs, inputs } = await up("adopted", { adoptImageId: "img-alic0001", sharedWith: [BOB] });
    expect(id).toBe("img-alic0001");
    expect(withOutputDefaults(outs)).toMatchObject({
      adopted: true,
      imageName: "alice-legacy",
      autoNamed: false,
      sharedWith: [BOB],
      adoptImageId: "img-alic0001",
    });
    expect(await sharesOf(h, id)).toEqual([BOB]);
    // No description input: the adopted image's description is left alone.
    const u = await change("adopted", id, inputs, outs, {
      adoptImageId: "img-alic0001",
      sharedWith: [BOB],
      imageName: "alice-managed",
    });
    expect(u.diff).toMatchObject({ changes: true, replaces: [] });
    expect(u.outs).toMatchObject({ imageName: "alice-managed", adopted: true });
  });

  test("someone else's shared image is refused, saying why", async () => {
    const e = await rejection(up("theirs", { adoptImageId: "img-bobs0001" }));
    expect(e.message).toMatch(/img-bobs0001/);
    expect(e.message).toMatch(/SHARED_IMAGE: it belongs to account 100000000002/);
    expect(e.message).toMatch(/only this account's custom images \(PRIVATE_IMAGE\) can be adopted/);
    // The refusal names the input that causes it.
    expect(e.message).toMatch(/Cause: adoptImageId: img-bobs0001 is a SHARED_IMAGE/);
  });

  test("a public image and a missing image are refused", async () => {
    const pub = await rejection(up("pub", { adoptImageId: "img-pub00001" }));
    expect(pub.message).toMatch(/PUBLIC_IMAGE/);
    expect(pub.message).toMatch(/Cause: adoptImageId: img-pub00001 is a PUBLIC_IMAGE/);
    const none = await rejection(up("none", { adoptImageId: "img-zzzz9999" }));
    expect(none.message).toMatch(/does not exist in ap-guangzhou/);
    expect(none.message).toMatch(/adoptImageId: img-zzzz9999 does not exist/);
  });
});

describe("failed creates stay recorded", () => {
  test.each([
    ["CREATEFAILED", { fromInstance: { instanceId: "ins-web00001" } }],
    [
      "IMPORTFAILED",
      {
        fromImport: {
          imageUrl: "https://b.cos.ap-guangzhou.myqcloud.com/x.raw",
          architecture: "x86_64",
          osType: "CentOS",
          osVersion: "7",
        },
      },
    ],
  ])("%s is a failed create with the id and outputs, and can be deleted", async (state, source) => {
    const e = await rejection(up("doomed", { ...source, imageName: `doomed-${state}` }));
    expect(e.id).toMatch(/^img-/);
    expect(e.message).toContain(`ended ${state}`);
    expect(e.message).toContain(e.id);
    expect(withOutputDefaults(e.properties)).toMatchObject({
      imageId: e.id,
      imageState: state,
      __provider: PROVIDER_TEXT,
      deletionPolicy: { unmanagedShares: "block" },
    });
    // The next `up` replaces it.
    const d = await provider.diff(e.id, e.properties, { ...e.properties });
    expect(d.replaces).toContain("imageState");
    // And delete removes it: nothing leaks.
    await provider.delete(e.id, e.properties);
    expect(await describeImage(h, e.id)).toBeNull();
  });
});
