import {
  batchConfig,
  BatchConfig,
  Coalescer,
  DEFAULT_BATCH_MAX,
  DEFAULT_BATCH_WINDOW_MS,
  DeleteCapacity,
  failureScope,
  FIRST_DELETE_GUESS_MS,
  groupKey,
  GroupFields,
  RATE_BOUND_FILL,
} from "../../../provider/src/cloud/delete-batcher";
import { FakeClock } from "../../support/fake-clock";

/** A coalescer on a fake clock whose flushes are recorded; each flush is answered when `answer` is called. */
function recorder(config: BatchConfig) {
  const clock = new FakeClock();
  const flushed: Array<{ key: string; ids: string[] }> = [];
  const answers: Array<() => void> = [];
  const c = new Coalescer<{ imageId: string }>((key, entries) => {
    flushed.push({ key, ids: entries.map((e) => e.imageId) });
    return new Promise<void>((resolve) => answers.push(resolve));
  }, clock);
  const add = (key: string, imageId: string) => c.add(key, { imageId }, config);
  const answerAll = async () => {
    for (const a of answers.splice(0)) a();
    await clock.advance(0);
  };
  return { c, clock, flushed, add, answerAll };
}

describe("batchConfig", () => {
  test("defaults: a 25 ms quiet period, 2 s of gathering at most, and 20 ids per call", () => {
    expect(batchConfig({})).toEqual({ windowMs: 25, maxGatherMs: 2000, maxIds: 20 });
    expect([DEFAULT_BATCH_WINDOW_MS, DEFAULT_BATCH_MAX]).toEqual([25, 20]);
  });
  test("reads the environment; 0 disables the window", () => {
    expect(batchConfig({ CVM_IMAGE_DELETE_BATCH_WINDOW_MS: "0", CVM_IMAGE_DELETE_BATCH_MAX: "7" })).toEqual({
      windowMs: 0,
      maxGatherMs: 2000,
      maxIds: 7,
    });
    expect(batchConfig({ CVM_IMAGE_DELETE_BATCH_WINDOW_MS: "120" }).windowMs).toBe(120);
  });
  test("malformed or negative values fall back to the defaults; the maximum is a whole number of at least 1", () => {
    expect(batchConfig({ CVM_IMAGE_DELETE_BATCH_WINDOW_MS: "soon", CVM_IMAGE_DELETE_BATCH_MAX: "-3" })).toEqual({
      windowMs: 25,
      maxGatherMs: 2000,
      maxIds: 20,
    });
    expect(batchConfig({ CVM_IMAGE_DELETE_BATCH_MAX: "0" }).maxIds).toBe(1);
    expect(batchConfig({ CVM_IMAGE_DELETE_BATCH_MAX: "4.9" }).maxIds).toBe(4);
    expect(batchConfig({ CVM_IMAGE_DELETE_BATCH_WINDOW_MS: " " }).windowMs).toBe(25);
  });
});

describe("groupKey", () => {
  const base: GroupFields = {
    protocol: "https://",
    endpoint: "cvm.tencentcloudapi.com",
    secretId: "AKIDexampleexampleexample0001",
    region: "ap-guangzhou",
    deleteSnapshots: false,
  };
  test("the same account, endpoint, region and DeleteBindedSnap share a key", () => {
    expect(groupKey({ ...base })).toBe(groupKey(base));
  });
  test.each<[string, Partial<GroupFields>]>([
    ["account", { secretId: "AKIDexampleexampleexample0002" }],
    ["region", { region: "ap-shanghai" }],
    ["endpoint", { endpoint: "127.0.0.1:8080" }],
    ["protocol", { protocol: "http://" }],
    ["DeleteBindedSnap", { deleteSnapshots: true }],
  ])("a different %s gives a different key", (_what, change) => {
    expect(groupKey({ ...base, ...change })).not.toBe(groupKey(base));
  });
  test("the key does not contain the SecretId", () => {
    const key = groupKey(base);
    expect(key).not.toContain(base.secretId);
    expect(key).not.toContain("AKID");
  });
});

describe("failureScope", () => {
  test.each([
    ["not-found", "InvalidImageId.NotFound"],
    ["client", "InvalidImageId.InShared"],
    ["client", "InvalidImageId.IncorrectState"],
    ["client", "InvalidImageId.Malformed"],
    ["client", "InvalidParameterValue.LimitExceeded"],
    ["client", "InvalidParameterValue.InvalidImageIdIsShared"],
    ["client", "FailedOperation"],
    ["client", "UnauthorizedOperation.PermissionDenied"],
    ["busy", "MutexOperation.TaskRunning"],
    ["busy", "InvalidParameterValue.InvalidImageState"],
  ] as const)("%s %s may concern only some ids: ask each id alone", (kind, code) => {
    expect(failureScope(kind, code)).toBe("per-id");
  });
  test.each([
    ["throttled", "RequestLimitExceeded"],
    ["server", "InternalError"],
    ["network", undefined],
    ["unreachable", undefined],
    ["server", undefined],
    ["client", "AuthFailure.SignatureFailure"],
    ["client", "AuthFailure"],
    ["client", "InvalidRegion.NotFound"],
    ["client", "UnsupportedRegion"],
    ["client", "UnknownParameter"],
    ["client", undefined],
  ] as const)("%s %s concerns the whole call", (kind, code) => {
    expect(failureScope(kind, code)).toBe("whole");
  });
  test("a prefix is matched as a whole word only", () => {
    expect(failureScope("client", "AuthFailureLike.Something")).toBe("per-id");
  });
});

describe("Coalescer", () => {
  const cfg: BatchConfig = { windowMs: 25, maxGatherMs: 250, maxIds: 3 };

  test("entries of one key go out together once none has joined for the quiet period, in arrival order", async () => {
    const r = recorder(cfg);
    r.add("k", "img-a");
    await r.clock.advance(20);
    r.add("k", "img-b"); // restarts the quiet period
    await r.clock.advance(20);
    expect(r.flushed).toEqual([]);
    await r.clock.advance(5);
    expect(r.flushed).toEqual([{ key: "k", ids: ["img-a", "img-b"] }]);
    expect(r.c.pending()).toBe(0);
  });

  test("a group that keeps receiving goes out at the latest after maxGatherMs", async () => {
    const r = recorder({ windowMs: 25, maxGatherMs: 100, maxIds: 100 });
    for (let i = 0; i < 10; i++) {
      r.add("k", `img-${i}`);
      await r.clock.advance(20);
    }
    expect(r.flushed.length).toBeGreaterThanOrEqual(1);
    expect(r.flushed[0]!.ids).toEqual(["img-0", "img-1", "img-2", "img-3", "img-4"]);
  });

  test("while a batch of the key is in flight the next one gathers, and goes out when it is answered", async () => {
    const r = recorder({ windowMs: 25, maxGatherMs: 10_000, maxIds: 100 });
    r.add("k", "img-1");
    await r.clock.advance(25);
    expect(r.flushed).toEqual([{ key: "k", ids: ["img-1"] }]);
    for (const id of ["img-2", "img-3", "img-4"]) {
      r.add("k", id);
      await r.clock.advance(100); // quiet passes, but the first batch is still in flight
    }
    expect(r.flushed.length).toBe(1);
    await r.answerAll();
    expect(r.flushed[1]).toEqual({ key: "k", ids: ["img-2", "img-3", "img-4"] });
  });

  test("different keys are never mixed", async () => {
    const r = recorder(cfg);
    r.add("k1", "img-a");
    r.add("k2", "img-b");
    r.add("k1", "img-c");
    await r.clock.advance(25);
    expect([...r.flushed].sort((a, b) => a.key.localeCompare(b.key))).toEqual([
      { key: "k1", ids: ["img-a", "img-c"] },
      { key: "k2", ids: ["img-b"] },
    ]);
  });

  test("a full group goes out at once without waiting; the next entry opens a new group", async () => {
    const r = recorder(cfg);
    for (const id of ["img-1", "img-2", "img-3", "img-4"]) r.add("k", id);
    expect(r.flushed).toEqual([{ key: "k", ids: ["img-1", "img-2", "img-3"] }]);
    await r.answerAll();
    await r.clock.advance(25);
    expect(r.flushed[1]).toEqual({ key: "k", ids: ["img-4"] });
  });

  test("an id asked twice joins its group without counting again", () => {
    const r = recorder(cfg);
    for (const id of ["img-1", "img-1", "img-2"]) r.add("k", id);
    expect(r.flushed).toEqual([]);
    r.add("k", "img-3");
    expect(r.flushed).toEqual([{ key: "k", ids: ["img-1", "img-1", "img-2", "img-3"] }]);
  });

  test("window 0 (or a maximum of 1) sends every entry alone and at once", () => {
    for (const config of [
      { windowMs: 0, maxGatherMs: 2000, maxIds: 20 },
      { windowMs: 25, maxGatherMs: 250, maxIds: 1 },
    ]) {
      const r = recorder(config);
      r.add("k", "img-a");
      r.add("k", "img-b");
      expect(r.flushed).toEqual([
        { key: "k", ids: ["img-a"] },
        { key: "k", ids: ["img-b"] },
      ]);
    }
  });

  test("not rate-bound, deletes that come a state write apart each go out after the quiet period, alone: none waits for the next", async () => {
    const clock = new FakeClock();
    const flushed: Array<{ at: number; ids: string[] }> = [];
    const start = clock.now();
    const c = new Coalescer<{ imageId: string }>(
      async (_k, e) => void flushed.push({ at: clock.now() - start, ids: e.map((x) => x.imageId) }),
      clock,
      { rateBound: () => false },
    );
    const config = { windowMs: 25, maxGatherMs: 2000, maxIds: 20 };
    for (let i = 0; i < 4; i++) {
      c.add("k", { imageId: `img-${i}` }, config);
      await clock.advance(100);
    }
    expect(flushed).toEqual([0, 1, 2, 3].map((i) => ({ at: i * 100 + 25, ids: [`img-${i}`] })));
  });
});

describe("DeleteCapacity", () => {
  test("rate-bound when the most deletes at once, at the time a delete takes, would outrun half the DeleteImages rate", async () => {
    const clock = new FakeClock();
    const slow = new DeleteCapacity(clock, 10);
    expect(slow.rateBound()).toBe(false); // nothing ended yet: no duration known
    for (let i = 0; i < 8; i++) slow.begin();
    expect(slow.rateBound()).toBe(false); // 8 at once, at the first guess of 2 s: 4/s
    await clock.advance(2000);
    for (let i = 0; i < 8; i++) slow.end();
    expect(slow.rateBound()).toBe(false); // 8 at once, 2 s each: 4/s, under 5/s
    const fast = new DeleteCapacity(clock, 10);
    for (let i = 0; i < 64; i++) fast.begin();
    await clock.advance(2000);
    for (let i = 0; i < 64; i++) fast.end();
    expect(fast.rateBound()).toBe(true); // 64 at once, 2 s each: 32/s
  });

  test("before any delete has ended, a delete is taken to last FIRST_DELETE_GUESS_MS: more than 10 at once are rate-bound", () => {
    const clock = new FakeClock();
    const c = new DeleteCapacity(clock, 10);
    expect(FIRST_DELETE_GUESS_MS).toBe(2000);
    for (let i = 0; i < 10; i++) c.begin();
    expect(c.rateBound()).toBe(false); // 10 at once, 2 s each: 5/s, not over half of 10/s
    c.begin();
    expect(c.rateBound()).toBe(true); // 11 at once: 5.5/s
  });

  test("a process idle for a second starts afresh: the most run at once is counted again from the next delete", async () => {
    const clock = new FakeClock();
    const c = new DeleteCapacity(clock, 10);
    for (let i = 0; i < 64; i++) c.begin();
    await clock.advance(2000);
    for (let i = 0; i < 64; i++) c.end();
    expect(c.rateBound()).toBe(true); // 64 at once, 2 s each
    await clock.advance(1500);
    for (let i = 0; i < 8; i++) c.begin();
    expect(c.rateBound()).toBe(false); // 8 at once now, at the 2 s learnt: 4/s
  });

  test("while rate-bound, a gathering batch waits until it holds RATE_BOUND_FILL ids (or maxGatherMs), not just the quiet period", async () => {
    const clock = new FakeClock();
    let rateBound = true;
    const flushed: string[][] = [];
    const c = new Coalescer<{ imageId: string }>(async (_k, e) => void flushed.push(e.map((x) => x.imageId)), clock, {
      rateBound: () => rateBound,
    });
    const config = { windowMs: 25, maxGatherMs: 2000, maxIds: 20 };
    const fill = RATE_BOUND_FILL;
    expect(fill).toBeLessThan(config.maxIds);
    for (let i = 0; i < fill + 2; i++) {
      c.add("k", { imageId: `img-${i}` }, config);
      await clock.advance(50); // arrivals 50 ms apart: every quiet period ends before the next
    }
    expect(flushed.map((b) => b.length)).toEqual([fill]);
    await clock.advance(2000);
    expect(flushed.map((b) => b.length)).toEqual([fill, 2]); // the rest at maxGatherMs
    rateBound = false;
    c.add("k", { imageId: "img-x" }, config);
    await clock.advance(25);
    expect(flushed.map((b) => b.length)).toEqual([fill, 2, 1]);
  });
});
