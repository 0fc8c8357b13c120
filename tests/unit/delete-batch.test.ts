import {
  batchConfig,
  BatchConfig,
  Coalescer,
  DEFAULT_BATCH_MAX,
  DEFAULT_BATCH_WINDOW_MS,
  failureScope,
  groupKey,
  GroupFields,
  Timers,
} from "../../provider/src/api/delete-batcher";

/** Timers driven by the test: nothing fires until `fire` is called. */
function manualTimers() {
  const live = new Map<number, { fn: () => void; ms: number }>();
  let next = 0;
  const timers: Timers = {
    set: (fn, ms) => {
      live.set(++next, { fn, ms });
      return next;
    },
    clear: (h) => void live.delete(h as number),
  };
  return {
    timers,
    live,
    fireAll() {
      const due = [...live.entries()];
      live.clear();
      for (const [, t] of due) t.fn();
    },
  };
}

function recorder(config: BatchConfig) {
  const t = manualTimers();
  const flushed: Array<{ key: string; ids: string[] }> = [];
  const c = new Coalescer<{ imageId: string }>((key, entries) => flushed.push({ key, ids: entries.map((e) => e.imageId) }), t.timers);
  const add = (key: string, imageId: string) => c.add(key, { imageId }, config);
  return { c, t, flushed, add };
}

describe("batchConfig", () => {
  test("defaults: a 25 ms window and 20 ids per call", () => {
    expect(batchConfig({})).toEqual({ windowMs: 25, maxIds: 20 });
    expect([DEFAULT_BATCH_WINDOW_MS, DEFAULT_BATCH_MAX]).toEqual([25, 20]);
  });
  test("reads the environment; 0 disables the window", () => {
    expect(batchConfig({ CVM_IMAGE_DELETE_BATCH_WINDOW_MS: "0", CVM_IMAGE_DELETE_BATCH_MAX: "7" })).toEqual({ windowMs: 0, maxIds: 7 });
    expect(batchConfig({ CVM_IMAGE_DELETE_BATCH_WINDOW_MS: "120" }).windowMs).toBe(120);
  });
  test("malformed or negative values fall back to the defaults; the maximum is a whole number of at least 1", () => {
    expect(batchConfig({ CVM_IMAGE_DELETE_BATCH_WINDOW_MS: "soon", CVM_IMAGE_DELETE_BATCH_MAX: "-3" })).toEqual({ windowMs: 25, maxIds: 20 });
    expect(batchConfig({ CVM_IMAGE_DELETE_BATCH_MAX: "0" }).maxIds).toBe(1);
    expect(batchConfig({ CVM_IMAGE_DELETE_BATCH_MAX: "4.9" }).maxIds).toBe(4);
    expect(batchConfig({ CVM_IMAGE_DELETE_BATCH_WINDOW_MS: " " }).windowMs).toBe(25);
  });
});

describe("groupKey", () => {
  const base: GroupFields = { protocol: "https://", endpoint: "cvm.tencentcloudapi.com", secretId: "AKIDexampleexampleexample0001", region: "ap-guangzhou", deleteSnapshots: false };
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
  const cfg: BatchConfig = { windowMs: 25, maxIds: 3 };

  test("entries of one key within the window go out together when it ends, in arrival order", () => {
    const r = recorder(cfg);
    r.add("k", "img-a");
    r.add("k", "img-b");
    expect(r.flushed).toEqual([]);
    expect(r.t.live.size).toBe(1);
    expect([...r.t.live.values()][0].ms).toBe(25);
    r.t.fireAll();
    expect(r.flushed).toEqual([{ key: "k", ids: ["img-a", "img-b"] }]);
    expect(r.c.pending()).toBe(0);
  });

  test("different keys are never mixed", () => {
    const r = recorder(cfg);
    r.add("k1", "img-a");
    r.add("k2", "img-b");
    r.add("k1", "img-c");
    r.t.fireAll();
    expect(r.flushed).toEqual([
      { key: "k1", ids: ["img-a", "img-c"] },
      { key: "k2", ids: ["img-b"] },
    ]);
  });

  test("a full group goes out at once without waiting; the next entry opens a new group", () => {
    const r = recorder(cfg);
    for (const id of ["img-1", "img-2", "img-3", "img-4"]) r.add("k", id);
    expect(r.flushed).toEqual([{ key: "k", ids: ["img-1", "img-2", "img-3"] }]);
    expect(r.t.live.size).toBe(1); // the first group's timer was cleared; only the new group's runs
    r.t.fireAll();
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
      { windowMs: 0, maxIds: 20 },
      { windowMs: 25, maxIds: 1 },
    ]) {
      const r = recorder(config);
      r.add("k", "img-a");
      r.add("k", "img-b");
      expect(r.flushed).toEqual([
        { key: "k", ids: ["img-a"] },
        { key: "k", ids: ["img-b"] },
      ]);
      expect(r.t.live.size).toBe(0);
    }
  });

  test("a late window of an already flushed group does not flush the group that replaced it", () => {
    const t = manualTimers();
    const flushed: string[][] = [];
    const c = new Coalescer<{ imageId: string }>((_k, e) => flushed.push(e.map((x) => x.imageId)), t.timers);
    const config = { windowMs: 25, maxIds: 2 };
    c.add("k", { imageId: "img-1" }, config);
    const [firstTimer] = [...t.live.values()];
    c.add("k", { imageId: "img-2" }, config); // full: flushed, timer cleared
    c.add("k", { imageId: "img-3" }, config); // opens the next group
    firstTimer.fn(); // a stale callback firing anyway must not touch the new group
    expect(flushed).toEqual([["img-1", "img-2"]]);
    expect(c.pending()).toBe(1);
    t.fireAll();
    expect(flushed).toEqual([["img-1", "img-2"], ["img-3"]]);
  });
});
