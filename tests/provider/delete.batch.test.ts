/**
 * DeleteImages coalescing, against the emulator through the real SDK: concurrent deletes of the
 * same account, region, endpoint and DeleteBindedSnap share one call; a batch that fails for one
 * image falls back to one call per image, so only that image's caller fails.
 */
import { BOB, describe as describeImage, Harness, provider, rejection, startHarness, up, waitGone } from "./harness";

// The same module instances the shim loads (jest resolves the package name to the same files).
/* eslint-disable @typescript-eslint/no-require-imports */
const { resetProcess } =
  require("pulumi-tencentcloud-images/dist/cloud/process") as typeof import("../../provider/src/cloud/process");
const images = require("pulumi-tencentcloud-images/dist/cloud/images") as {
  deleteImage(
    s: unknown,
    imageId: string,
    o: { deleteSnapshots: boolean },
    opts?: { deadline?: number },
  ): Promise<void>;
};
const settings = require("pulumi-tencentcloud-images/dist/cloud/settings") as {
  resolveSettings(o: { region?: string; env?: Record<string, string | undefined> }): unknown;
};
/* eslint-enable @typescript-eslint/no-require-imports */

let h: Harness;
let warn: jest.SpyInstance;
beforeAll(async () => {
  h = await startHarness();
  warn = jest.spyOn(console, "warn").mockImplementation(() => undefined); // the policy warnings of the deletes
});
afterAll(async () => {
  warn.mockRestore();
  await h.stop();
});
afterEach(async () => {
  await h.control("DELETE", "faults");
  await h.control("PATCH", "settings", { behaviour: { deleteBatchAtomic: true } });
  process.env.CVM_IMAGE_INSTANCE_SCAN_TTL_MS = "0";
  delete process.env.CVM_IMAGE_DELETE_BATCH_WINDOW_MS;
  delete process.env.CVM_IMAGE_DELETE_BATCH_MAX;
});

const base = { fromInstance: { instanceId: "ins-web00001" } };
type Made = { id: string; outs: Record<string, any> };

/** Fresh NORMAL images of alice, made through the emulator's fixtures (no API call). */
async function fresh(prefix: string, n: number, extra: Record<string, unknown> = {}): Promise<Made[]> {
  const list = Array.from({ length: n }, (_, i) => ({
    region: "ap-guangzhou",
    owner: "alice",
    name: `${prefix}-${i}`,
    ...extra,
  }));
  await h.control("POST", "fixtures", { images: list });
  const state = await h.state();
  return (state.images as Array<{ imageId: string; name: string }>)
    .filter((img) => img.name.startsWith(`${prefix}-`))
    .map((img) => ({ id: img.imageId, outs: { region: "ap-guangzhou", imageName: img.name } }));
}

/**
 * Makes the deletes of one operation reach DeleteImages together, as a `pulumi destroy` does when
 * its shared instance scan (one per account and region) takes a while: every delete waits for it.
 */
async function slowSharedScan(ms = 1200) {
  process.env.CVM_IMAGE_INSTANCE_SCAN_TTL_MS = "60000";
  resetProcess();
  await h.control("POST", "faults", { action: "DescribeInstances", delayMs: ms, times: 1 });
}

/** DeleteImages calls since the last clear, from the emulator's call log. */
async function deleteCalls(): Promise<Array<{ account: string; region: string; errorCode?: string }>> {
  return (
    (await h.control("GET", "calls")).log as Array<{
      action: string;
      account: string;
      region: string;
      errorCode?: string;
    }>
  ).filter((c) => c.action === "DeleteImages");
}

/** Deletes the images concurrently, as one operation does when held up at its shared instance scan. */
async function destroyTogether(made: Made[], outsOf: (m: Made) => Record<string, any> = (m) => m.outs) {
  await slowSharedScan();
  await h.clearCalls();
  return Promise.allSettled(made.map((m) => provider.delete(m.id, outsOf(m))));
}

const allFulfilled = (results: PromiseSettledResult<void>[]) =>
  expect(results.map((r) => (r.status === "rejected" ? String(r.reason) : "ok"))).toEqual(results.map(() => "ok"));

test("concurrent deletes go out as one DeleteImages carrying all their ids (default window), and every image is gone", async () => {
  const made = await fresh("together", 6);
  const bystander = (await fresh("bystander", 1))[0];
  allFulfilled(await destroyTogether(made));
  expect((await h.counts()).DeleteImages).toBe(1);
  for (const m of made) await waitGone(h, m.id);
  expect(await describeImage(h, bystander.id)).not.toBeNull(); // nobody asked for it
});

test("CVM_IMAGE_DELETE_BATCH_MAX caps the ids per call", async () => {
  process.env.CVM_IMAGE_DELETE_BATCH_MAX = "2";
  const made = await fresh("capped", 5);
  allFulfilled(await destroyTogether(made));
  expect((await h.counts()).DeleteImages).toBe(3); // 2 + 2 + 1
  for (const m of made) await waitGone(h, m.id);
});

test("window 0 disables coalescing: one DeleteImages per image", async () => {
  process.env.CVM_IMAGE_DELETE_BATCH_WINDOW_MS = "0";
  const made = await fresh("alone", 4);
  allFulfilled(await destroyTogether(made));
  expect((await h.counts()).DeleteImages).toBe(4);
  for (const m of made) await waitGone(h, m.id);
});

test("different DeleteBindedSnap values are never mixed: each group deletes exactly its own snapshots", async () => {
  const made = await Promise.all(["ks-1", "ks-2", "ds-1", "ds-2"].map((n) => up(n, base)));
  const [keep1, keep2, del1, del2] = made;
  const withSnaps = (m: Made) => ({ ...m.outs, deletionPolicy: { ...m.outs.deletionPolicy, deleteSnapshots: true } });
  allFulfilled(await destroyTogether(made, (m) => (m === del1 || m === del2 ? withSnaps(m) : m.outs)));
  expect((await h.counts()).DeleteImages).toBe(2);
  for (const m of made) await waitGone(h, m.id);
  const left = ((await h.state()).snapshots as Array<{ snapshotId: string }>).map((s) => s.snapshotId);
  for (const m of [keep1, keep2]) for (const s of m.outs.snapshotIds as string[]) expect(left).toContain(s);
  for (const m of [del1, del2]) for (const s of m.outs.snapshotIds as string[]) expect(left).not.toContain(s);
});

test("a batch that fails for one image is split until that image answers alone: the others are deleted, only that caller fails, with its own message", async () => {
  const made = await fresh("fallback", 4);
  const bad = made[2];
  await h.control("POST", "faults", {
    action: "DeleteImages",
    imageId: bad.id,
    error: "InvalidImageId.IncorrectState",
    message: `The image \`${bad.id}\` is busy.`,
  });
  const results = await destroyTogether(made);
  const failed = results.flatMap((r, i) =>
    r.status === "rejected" ? [{ id: made[i].id, message: String((r.reason as Error).message) }] : [],
  );
  expect(failed.map((f) => f.id)).toEqual([bad.id]);
  expect(failed[0].message).toContain(`Failed to delete image ${bad.id} ("fallback-2")`);
  expect(failed[0].message).toContain("InvalidImageId.IncorrectState");
  for (const other of made.filter((m) => m !== bad)) {
    expect(failed[0].message).not.toContain(other.id);
    await waitGone(h, other.id);
  }
  expect(await describeImage(h, bad.id)).not.toBeNull();
  const calls = await deleteCalls();
  // the batch, its halves, the half holding the bad image split again (at most 2n - 1 calls), then
  // the bad image's own two re-plans; every refused call carried the bad image
  expect(calls.length).toBeLessThanOrEqual(2 * made.length - 1 + 2);
  expect(calls.filter((c) => c.errorCode === "InvalidImageId.IncorrectState").length).toBe(1 + 2 + 2);
});

test("an out-of-band share under block: the cloud's InShared refuses only that image, which is then left unchanged; the rest are deleted", async () => {
  const made = await Promise.all(["blk-1", "blk-2", "blk-3"].map((n) => up(n, base)));
  const shared = made[1];
  await h.sdk().request("ModifyImageSharePermission", { ImageId: shared.id, AccountIds: [BOB], Permission: "SHARE" });
  await h.clearCalls();
  const results = await destroyTogether(made);
  expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
  const e = (results[1] as PromiseRejectedResult).reason as Error;
  expect(e.message).toContain(`Failed to delete image ${shared.id}`);
  expect(e.message).toContain(`1 account (${BOB})`);
  expect(e.message).toContain("nothing was changed");
  await waitGone(h, made[0].id);
  await waitGone(h, made[2].id);
  expect(await describeImage(h, shared.id)).not.toBeNull();
  // No share was listed for the images without managed shares, and none was cancelled.
  const log = (await h.control("GET", "calls")).log as Array<{ action: string }>;
  expect(log.filter((c) => c.action === "DescribeImageSharePermission").length).toBe(1);
  expect(log.filter((c) => c.action === "ModifyImageSharePermission").length).toBe(0);
  // Under unshare the same image is deleted.
  await provider.delete(shared.id, {
    ...shared.outs,
    deletionPolicy: { ...shared.outs.deletionPolicy, unmanagedShares: "unshare" },
  });
  expect(await describeImage(h, shared.id)).toBeNull();
});

test("a throttled batch is retried as a whole by the call layer", async () => {
  const made = await fresh("throttled", 3);
  await h.control("POST", "faults", { action: "DeleteImages", error: "RequestLimitExceeded", times: 1 });
  allFulfilled(await destroyTogether(made));
  expect((await deleteCalls()).map((c) => c.errorCode ?? "ok")).toEqual(["RequestLimitExceeded", "ok"]);
  for (const m of made) await waitGone(h, m.id);
});

test("a busy answer is not retried for the whole batch: each image is asked alone and retried on its own", async () => {
  const made = await fresh("busy", 3);
  await h.control("POST", "faults", {
    action: "DeleteImages",
    imageId: made[0].id,
    error: "MutexOperation.TaskRunning",
    times: 2,
  });
  allFulfilled(await destroyTogether(made));
  const calls = await deleteCalls();
  // batch (busy) → 3 single calls, the busy image's once more busy, then retried to success
  expect(calls.length).toBe(1 + 3 + 1);
  expect(calls.filter((c) => c.errorCode === "MutexOperation.TaskRunning").length).toBe(2);
  for (const m of made) await waitGone(h, m.id);
});

describe("the API layer (deleteImage) with refusals of the cloud itself", () => {
  const alice = () => settings.resolveSettings({ region: "ap-guangzhou" });

  test.each([true, false])(
    "deleteBatchAtomic %s: good ids are deleted, each refused id gets its own error",
    async (atomic) => {
      await h.control("PATCH", "settings", { behaviour: { deleteBatchAtomic: atomic } });
      const good = await fresh(`api-${atomic}`, 2);
      const s = alice();
      await h.clearCalls();
      const [g1, g2, shared, missing] = await Promise.allSettled([
        images.deleteImage(s, good[0].id, { deleteSnapshots: false }),
        images.deleteImage(s, good[1].id, { deleteSnapshots: false }),
        images.deleteImage(s, "img-bobs0001", { deleteSnapshots: false }), // bob's image, shared with alice
        images.deleteImage(s, "img-zzzz9999", { deleteSnapshots: false }),
      ]);
      expect(shared.status).toBe("rejected");
      expect((shared as PromiseRejectedResult).reason.code).toBe("InvalidParameterValue.InvalidImageIdIsShared");
      expect((shared as PromiseRejectedResult).reason.message).toContain("img-bobs0001");
      expect((missing as PromiseRejectedResult).reason.code).toBe("InvalidImageId.NotFound");
      for (const g of [g1, g2]) {
        if (atomic) expect(g.status).toBe("fulfilled");
        // Not atomic: the batch already deleted the good ids, so their own calls answer NotFound, which the delete treats as done.
        else expect((g as PromiseRejectedResult).reason?.code).toBe("InvalidImageId.NotFound");
      }
      for (const g of good) await waitGone(h, g.id);
      expect(await describeImage(h, "img-bobs0001")).not.toBeNull();
      expect(await describeImage(h, "img-alic0001")).not.toBeNull();
      // The batch, then halves until each refused id answers alone: at most 2n - 1 calls.
      expect((await deleteCalls()).length).toBeLessThanOrEqual(2 * 4 - 1);
    },
  );

  test("different regions and accounts are never mixed", async () => {
    const gz = await fresh("region-gz", 2);
    await h.control("POST", "fixtures", {
      images: [
        { region: "ap-shanghai", owner: "alice", name: "region-sh-0" },
        { region: "ap-guangzhou", owner: "bob", name: "bob-own-0" },
      ],
    });
    const state = (await h.state()).images as Array<{ imageId: string; name: string }>;
    const sh = state.find((i) => i.name === "region-sh-0")!.imageId;
    const bobs = state.find((i) => i.name === "bob-own-0")!.imageId;
    const bobEnv = { ...process.env, ...h.emu.env("bob") };
    await h.clearCalls();
    await Promise.all([
      images.deleteImage(alice(), gz[0].id, { deleteSnapshots: false }),
      images.deleteImage(settings.resolveSettings({ region: "ap-shanghai" }), sh, { deleteSnapshots: false }),
      images.deleteImage(settings.resolveSettings({ region: "ap-guangzhou", env: bobEnv }), bobs, {
        deleteSnapshots: false,
      }),
      images.deleteImage(alice(), gz[1].id, { deleteSnapshots: false }),
    ]);
    const calls = await deleteCalls();
    expect(calls.map((c) => `${c.account} ${c.region} ${c.errorCode ?? "ok"}`).sort()).toEqual(
      ["100000000001 ap-guangzhou ok", "100000000001 ap-shanghai ok", `${BOB} ap-guangzhou ok`].sort(),
    );
    for (const g of gz) await waitGone(h, g.id);
    const gone = async (id: string, account: string, region: string) => {
      for (let i = 0; i < 100 && (await describeImage(h, id, account, region)); i++)
        await new Promise((r) => setTimeout(r, 30));
      return (await describeImage(h, id, account, region)) === null;
    };
    expect(await gone(sh, "alice", "ap-shanghai")).toBe(true);
    expect(await gone(bobs, "bob", "ap-guangzhou")).toBe(true);
  });
});
