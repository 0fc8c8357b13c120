/**
 * A fault at every call of the copy paths: a create that copies the image to another region and
 * shares image and copy, and the delete of such an image. The calls of a successful run are
 * recorded; the operation is replayed failing at call k, for every k, once per fault kind (an error,
 * a refusal, a dropped connection, a lost answer), then run again once as the engine would (a create
 * that failed with an init error is updated from the outputs it recorded; one that failed without
 * an image is created again; a failed delete is deleted again). Then the cloud equals the state:
 * exactly one image and one copy with the name, both NORMAL, shared with the managed account, the
 * copy recorded by id; after the delete, neither exists.
 */
import { BOB, PROVIDER_TEXT, provider, useHarness } from "./harness";
import { failAt, recordedCalls } from "./call-points";

type Rec = Record<string, any>;

const GZ = "ap-guangzhou";
const SH = "ap-shanghai";
jest.setTimeout(300_000);
const h = useHarness(undefined, {
  rateLimits: false,
  timing: { creatingMs: 0, importingMs: 0, syncingMs: 0, deleteLagMs: 0 },
});
// The provider's per-process state, in the built package the shim requires (jest resolves the package name to the same file).
const { resetProcess } =
  require("pulumi-tencentcloud-images/dist/cloud/process") as typeof import("../../provider/src/cloud/process");

const FAULTS: Record<string, Rec> = {
  InternalError: { error: "InternalError" },
  PermissionDenied: { error: "UnauthorizedOperation.PermissionDenied" },
  drop: { drop: true },
  dropAfter: { dropAfter: true },
};

/** alice's images with the exact name in the region (existing ones: a deleted image's shares answer NotFound). */
async function imagesNamed(
  region: string,
  name: string,
): Promise<Array<{ id: string; state: string; shares: string[] }>> {
  const sdk = h.sdk("alice", region);
  const r = await sdk.request("DescribeImages", {
    Filters: [
      { Name: "image-type", Values: ["PRIVATE_IMAGE"] },
      { Name: "image-name", Values: [name] },
    ],
  });
  const out = [];
  for (const i of (r.ImageSet ?? []) as Rec[]) {
    if (i.ImageName !== name) continue;
    try {
      const s = await sdk.request("DescribeImageSharePermission", { ImageId: i.ImageId });
      out.push({
        id: i.ImageId as string,
        state: i.ImageState as string,
        shares: ((s.SharePermissionSet ?? []) as Rec[]).map((p) => p.AccountId as string).sort(),
      });
    } catch (e) {
      if ((e as Rec).code !== "InvalidImageId.NotFound") throw e;
    }
  }
  return out;
}

async function cleanUp(name: string): Promise<void> {
  for (const region of [GZ, SH]) {
    for (const img of await imagesNamed(region, name)) {
      const sdk = h.sdk("alice", region);
      if (img.shares.length)
        await sdk.request("ModifyImageSharePermission", {
          ImageId: img.id,
          AccountIds: img.shares,
          Permission: "CANCEL",
        });
      await sdk.request("DeleteImages", { ImageIds: [img.id] });
    }
  }
}

const props = (name: string) => ({
  fromInstance: { instanceId: "ins-web00001" },
  imageName: name,
  sharedWith: [BOB],
  copyTo: [SH],
  resourceName: name,
  __provider: PROVIDER_TEXT,
});

/** check + create; on an init error, check + diff + update from its outputs; without an image, create again. */
async function upUntilDone(name: string): Promise<{ id: string; outs: Rec; firstError?: Error & Rec }> {
  const checked = await provider.check({}, props(name));
  const inputs = { ...checked.inputs, __provider: PROVIDER_TEXT };
  try {
    const r = await provider.create(inputs);
    return { id: r.id, outs: r.outs };
  } catch (e) {
    const error = e as Error & Rec;
    await h.control("DELETE", "faults");
    resetProcess();
    if (!error.id) {
      const r = await provider.create(inputs);
      return { id: r.id, outs: r.outs, firstError: error };
    }
    const again = await provider.check(inputs, props(name));
    const news = { ...again.inputs, __provider: PROVIDER_TEXT };
    const d = await provider.diff(error.id, error.properties, news);
    expect(d.replaces ?? []).toEqual([]);
    const r = await provider.update(error.id, error.properties, news);
    return { id: error.id, outs: r.outs, firstError: error };
  }
}

async function expectConverged(name: string, id: string, outs: Rec): Promise<void> {
  const source = await imagesNamed(GZ, name);
  const copies = await imagesNamed(SH, name);
  expect(source).toEqual([{ id, state: "NORMAL", shares: [BOB] }]);
  expect(copies).toEqual([{ id: outs.copies?.[SH]?.imageId, state: "NORMAL", shares: [BOB] }]);
  expect(outs.copies[SH]).toEqual({ imageId: copies[0]!.id, sharedWith: [BOB], unmanagedShares: [] });
  expect(outs.copyTo).toEqual([SH]);
}

test("create with a copy: a fault at every call converges after one re-run", async () => {
  await h.clearCalls();
  const clean = await upUntilDone("cf-record");
  const calls = await recordedCalls(h);
  expect(calls.map((c) => c.action)).toContain("SyncImages");
  await provider.delete(clean.id, clean.outs);
  let cases = 0;
  for (const [k, point] of calls.entries()) {
    for (const [kind, fault] of Object.entries(FAULTS)) {
      const name = `cf-c${k}-${kind}`.toLowerCase();
      resetProcess();
      await failAt(h, point, fault);
      const { id, outs } = await upUntilDone(name);
      await h.control("DELETE", "faults");
      await expectConverged(name, id, outs);
      await cleanUp(name);
      cases++;
    }
  }
  expect(cases).toBe(calls.length * 4);
});

test("delete with a copy: a fault at every call converges after one re-run, with nothing left", async () => {
  const recordRun = await upUntilDone("df-record");
  await h.clearCalls();
  await provider.delete(recordRun.id, recordRun.outs);
  const calls = await recordedCalls(h);
  expect(calls.filter((c) => c.action === "DeleteImages").length).toBe(2);
  for (const [k, point] of calls.entries()) {
    for (const [kind, fault] of Object.entries(FAULTS)) {
      const name = `df-c${k}-${kind}`.toLowerCase();
      await h.control("DELETE", "faults");
      resetProcess();
      const { id, outs } = await upUntilDone(name);
      await failAt(h, point, fault);
      const first = await provider.delete(id, outs).then(
        () => undefined,
        (e: Error) => e,
      );
      await h.control("DELETE", "faults");
      resetProcess();
      if (first) {
        expect(first.message).not.toMatch(/blocked|outside the stack/);
        await provider.delete(id, outs);
      }
      expect(await imagesNamed(GZ, name)).toEqual([]);
      expect(await imagesNamed(SH, name)).toEqual([]);
    }
  }
});
