import { Watcher, WatchTimeout } from "../../../provider/src/cloud/describes";
import { FakeClock, settle } from "../../support/fake-clock";

interface Img {
  id: string;
  state: string;
}

/** A fake cloud: images listed until their `goneAt`, one DescribeImages-like call per look. */
function world(clock: FakeClock) {
  const goneAt = new Map<string, number>();
  const calls: string[][] = [];
  const look = async (ids: string[]) => {
    calls.push(ids);
    const m = new Map<string, Img>();
    for (const id of ids) if ((goneAt.get(id) ?? Infinity) > clock.now()) m.set(id, { id, state: "NORMAL" });
    return m;
  };
  return { goneAt, calls, look };
}

const schedule = { stepMs: 500, factor: 1.5, capMs: 5000 };
/** Without the probe and the look gap (tested on their own below). */
const options = {
  schedule,
  guessMs: () => 1000,
  maxIds: 100,
  aheadShare: 0.5,
  probeShare: 0,
  probePauseMs: 0,
  lookGapPerImageMs: 0,
  maxLookGapMs: 0,
  onTimeWatches: 0,
};

test("concurrent describes share one call", async () => {
  const clock = new FakeClock();
  const w = world(clock);
  const watcher = new Watcher(w.look, clock, options);
  const ids = ["img-a", "img-b", "img-c"];
  const answers = ids.map((id) => watcher.watch({ id, context: {}, done: () => true, deadline: clock.now() + 1000 }));
  await clock.advance(0);
  expect(await Promise.all(answers)).toEqual(ids.map((id) => ({ id, state: "NORMAL" })));
  expect(w.calls).toEqual([ids]);
});

test("a lone describe is looked at at once", async () => {
  const clock = new FakeClock();
  const w = world(clock);
  const watcher = new Watcher(w.look, clock, options);
  const answer = watcher.watch({ id: "img-a", context: {}, done: () => true, deadline: clock.now() + 1000 });
  await clock.advance(0);
  expect(await answer).toEqual({ id: "img-a", state: "NORMAL" });
  expect(w.calls).toEqual([["img-a"]]);
});

test("describes that come one by one while a look is out wait for its answer, then share the next call", async () => {
  const clock = new FakeClock();
  const w = world(clock);
  // Each call takes 20 ms to answer, as one to the cloud does.
  const slowLook = async (ids: string[]) => {
    const seen = await w.look(ids);
    await clock.sleep(20);
    return seen;
  };
  const watcher = new Watcher(slowLook, clock, options);
  const answers = [watcher.watch({ id: "img-0", context: {}, done: () => true, deadline: clock.now() + 1000 })];
  await clock.advance(0);
  // Nine more, 2 ms apart, while the first call is out.
  for (let i = 1; i < 10; i++) {
    await clock.advance(2);
    answers.push(watcher.watch({ id: `img-${i}`, context: {}, done: () => true, deadline: clock.now() + 1000 }));
  }
  await clock.advance(100);
  expect((await Promise.all(answers)).map((f) => f?.id)).toEqual(Array.from({ length: 10 }, (_, i) => `img-${i}`));
  expect(w.calls).toEqual([["img-0"], Array.from({ length: 9 }, (_, i) => `img-${i + 1}`)]);
});

test("a describe allowed to wait for company goes with the others that come within its window, or with any earlier look", async () => {
  const clock = new FakeClock();
  const w = world(clock);
  const watcher = new Watcher(w.look, clock, options);
  const start = clock.now();
  const at: Record<string, number> = {};
  const ask = (id: string) =>
    watcher
      .watch({ id, context: {}, done: () => true, deadline: Infinity, shareWithinMs: 25 })
      .then(() => void (at[id] = clock.now() - start));
  const first = [ask("img-a")];
  await clock.advance(10);
  first.push(ask("img-b"));
  await clock.advance(100);
  await Promise.all(first);
  // Both in one call, when the first one's window closed.
  expect(w.calls).toEqual([["img-a", "img-b"]]);
  expect(at).toEqual({ "img-a": 25, "img-b": 25 });
  // A lone describe that may not wait, meanwhile, takes the waiting one along at once.
  const waiting = ask("img-c");
  await clock.advance(5);
  const now = watcher.watch({ id: "img-d", context: {}, done: () => true, deadline: Infinity });
  await clock.advance(0);
  await Promise.all([waiting, now]);
  expect(w.calls[1]).toEqual(["img-d", "img-c"]);
  expect(at["img-c"]).toBe(115); // asked at 110: 5 ms later, not at the end of its window (135)
});

test("a paced describe goes at once while few images are watched, and rides along with the next look while many are", async () => {
  const clock = new FakeClock();
  const w = world(clock);
  const watcher = new Watcher(w.look, clock, {
    ...options,
    lookGapPerImageMs: 10,
    maxLookGapMs: 1000,
    onTimeWatches: 2,
  });
  const describeAt = async (id: string) => {
    const asked = clock.now();
    const p = watcher.watch({ id, context: {}, done: () => true, deadline: Infinity, paced: true });
    let answeredAt = -1;
    void p.then(() => (answeredAt = clock.now() - asked));
    await clock.advance(2000);
    await p;
    return answeredAt;
  };
  // Nothing watched: at once, alone.
  expect(await describeAt("img-alone")).toBe(0);
  expect(w.calls).toEqual([["img-alone"]]);
  // 40 images watched for "gone", their first look due in 100 ms (guess 1000 ms, deleted 900 ms ago):
  // looks at them are spaced 10 ms per image beyond 2, so the describe may wait up to 390 ms.
  const since = clock.now() - 900;
  for (let i = 0; i < 40; i++)
    void watcher.watch({
      id: `img-w${i}`,
      context: {},
      done: (f) => f === null,
      deadline: Infinity,
      transition: "gone",
      since,
    });
  w.calls.length = 0;
  expect(await describeAt("img-busy")).toBe(100);
  // It went in a look with watched images, not alone.
  const carried = w.calls.find((c) => c.includes("img-busy"))!;
  expect(carried.length).toBeGreaterThan(1);
});

test("a call carries at most maxIds ids", async () => {
  const clock = new FakeClock();
  const w = world(clock);
  const watcher = new Watcher(w.look, clock, { ...options, maxIds: 100 });
  const ids = Array.from({ length: 250 }, (_, i) => `img-${i}`);
  const answers = ids.map((id) => watcher.watch({ id, context: {}, done: () => true, deadline: clock.now() + 1000 }));
  await clock.advance(0);
  await Promise.all(answers);
  expect(w.calls.map((c) => c.length)).toEqual([100, 100, 50]);
});

test("the first look comes after the expected duration, then looks back off", async () => {
  const clock = new FakeClock();
  const w = world(clock);
  const start = clock.now();
  w.goneAt.set("img-a", start + 2600);
  const watcher = new Watcher(w.look, clock, options);
  let gone: Img | null | undefined;
  void watcher
    .watch({ id: "img-a", context: {}, done: (f) => f === null, deadline: start + 60_000, transition: "gone" })
    .then((f) => (gone = f));
  const lookTimes: number[] = [];
  const origLook = w.look;
  // Record when each look happens.
  (watcher as any).look = async (ids: string[]) => {
    lookTimes.push(clock.now() - start);
    return origLook(ids);
  };
  await clock.advance(10_000);
  expect(gone).toBeNull();
  // Guess 1000 ms, then 500 ms, 750 ms, 1125 ms...
  expect(lookTimes).toEqual([1000, 1500, 2250, 3375]);
});

test("the expected duration is learnt: later watches look first when earlier ones were done", async () => {
  const clock = new FakeClock();
  const w = world(clock);
  const watcher = new Watcher(w.look, clock, options);
  for (let round = 0; round < 3; round++) {
    const start = clock.now();
    w.goneAt.set(`img-${round}`, start + 2000);
    const p = watcher.watch({
      id: `img-${round}`,
      context: {},
      done: (f) => f === null,
      deadline: start + 60_000,
      transition: "gone",
    });
    await clock.advance(10_000);
    await p;
  }
  // Observed 2250 ms each time (the first look that saw it gone): the next first look is there.
  expect(watcher.expectedMs("gone")).toBe(2250);
  const before = w.calls.length;
  const start = clock.now();
  w.goneAt.set("img-last", start + 2000);
  const p = watcher.watch({
    id: "img-last",
    context: {},
    done: (f) => f === null,
    deadline: start + 60_000,
    transition: "gone",
  });
  await clock.advance(10_000);
  await p;
  expect(w.calls.length - before).toBe(1);
});

/** A watcher over a fake world, and one watch of an image listed for 2 s: the looks it took, after `wait` ms. */
function gone2s(extra: Partial<typeof options>) {
  const clock = new FakeClock();
  const w = world(clock);
  const watcher = new Watcher(w.look, clock, { ...options, ...extra });
  let round = 0;
  const oneWatch = async (wait: number) => {
    const start = clock.now();
    const id = `img-${round++}`;
    w.goneAt.set(id, start + 2000);
    const before = w.calls.length;
    const p = watcher.watch({ id, context: {}, done: (f) => f === null, deadline: start + 60_000, transition: "gone" });
    await clock.advance(wait);
    await p;
    return w.calls.length - before;
  };
  return { watcher, oneWatch };
}

test("with a probe, the estimate follows the real duration down from its first upper bound", async () => {
  const { watcher, oneWatch } = gone2s({ probeShare: 0.05 });
  const looksPerWatch: number[] = [];
  for (let round = 0; round < 30; round++) looksPerWatch.push(await oneWatch(10_000));
  // The guess (1000) gives a first upper bound of 2250; probing 5 % early brings it within 5 % of 2000.
  expect(watcher.expectedMs("gone")).toBeGreaterThanOrEqual(2000);
  expect(watcher.expectedMs("gone")).toBeLessThanOrEqual(2000 / 0.95 + 1);
  // Once there, a watch takes at most two looks: the early one and the one on time.
  expect(Math.max(...looksPerWatch.slice(-10))).toBeLessThanOrEqual(2);
});

test("after an early look came too soon, watches look on time only for the pause, then probe again", async () => {
  const { watcher, oneWatch } = gone2s({ probeShare: 0.05, probePauseMs: 5000 });
  // Rounds 10 s apart: every watch probes, and the estimate comes down to within 5 % of 2 s.
  for (let round = 0; round < 30; round++) await oneWatch(10_000);
  expect(watcher.expectedMs("gone")).toBeLessThanOrEqual(2000 / 0.95 + 1);
  // Rounds 3 s apart: after an early look too soon, the next watch (within 5 s) looks once, on time.
  const looks: number[] = [];
  for (let round = 0; round < 10; round++) looks.push(await oneWatch(3000));
  expect(looks.filter((n) => n === 1).length).toBeGreaterThanOrEqual(4);
  expect(Math.max(...looks)).toBeLessThanOrEqual(2);
  expect(watcher.expectedMs("gone")).toBeGreaterThanOrEqual(2000);
});

/** 60 images deleted 40 ms apart, each listed for 1 s after: the calls of the watches (and whether a describe waited). */
async function staggered(gap: { lookGapPerImageMs: number; maxLookGapMs: number }) {
  const clock = new FakeClock();
  const w = world(clock);
  const watcher = new Watcher(w.look, clock, { ...options, ...gap });
  const start = clock.now();
  const ps: Promise<unknown>[] = [];
  for (let i = 0; i < 60; i++) {
    w.goneAt.set(`img-${i}`, start + 1000 + i * 40);
    ps.push(
      watcher.watch({
        id: `img-${i}`,
        context: {},
        done: (f) => f === null,
        deadline: start + 60_000,
        transition: "gone",
        since: start + i * 40,
      }),
    );
  }
  await clock.advance(1100);
  const before = w.calls.length;
  const described = watcher.watch({ id: "img-now", context: {}, done: () => true, deadline: clock.now() + 1000 });
  await clock.advance(0);
  await described;
  const describeWaited = w.calls.length === before;
  await clock.advance(20_000);
  await Promise.all(ps);
  const watched = w.calls.filter((c) => !c.includes("img-now"));
  return { calls: watched.length, ids: watched.flat().length, describeWaited };
}

test("looks at many watched images are spaced by the look gap, so each carries more of them; a plain describe is not held back", async () => {
  const onTime = await staggered({ lookGapPerImageMs: 0, maxLookGapMs: 0 });
  const spaced = await staggered({ lookGapPerImageMs: 10, maxLookGapMs: 400 });
  expect(spaced.describeWaited).toBe(false);
  expect(spaced.ids).toBeGreaterThanOrEqual(60);
  expect(spaced.calls).toBeLessThan(onTime.calls);
});

test("the estimate counts from when a look was sent, so a slow answer does not push it up", async () => {
  const clock = new FakeClock();
  const w = world(clock);
  const slowLook = async (ids: string[]) => {
    const seen = await w.look(ids); // what the cloud shows when the call arrives
    await clock.sleep(30); // the answer takes 30 ms to come back
    return seen;
  };
  const watcher = new Watcher(slowLook, clock, { ...options, probeShare: 0.02 });
  for (let round = 0; round < 40; round++) {
    const start = clock.now();
    w.goneAt.set(`img-${round}`, start + 2000);
    const p = watcher.watch({
      id: `img-${round}`,
      context: {},
      done: (f) => f === null,
      deadline: start + 60_000,
      transition: "gone",
    });
    await clock.advance(10_000);
    await p;
  }
  expect(watcher.expectedMs("gone")).toBeGreaterThanOrEqual(2000);
  expect(watcher.expectedMs("gone")).toBeLessThanOrEqual(2000 / 0.98 + 1);
});

test("up to onTimeWatches watched images are looked at when each is due; beyond, looks are spaced", async () => {
  /** 4 images whose looks fall due 40 ms apart: when each look that saw its image gone came, after it was due. */
  const lateness = async (onTimeWatches: number) => {
    const clock = new FakeClock();
    const w = world(clock);
    const watcher = new Watcher(w.look, clock, {
      ...options,
      aheadShare: 0,
      lookGapPerImageMs: 100,
      maxLookGapMs: 1000,
      onTimeWatches,
    });
    const start = clock.now();
    const seen: number[] = [];
    const ps = [0, 1, 2, 3].map((i) => {
      w.goneAt.set(`img-${i}`, start + 1000 + i * 40);
      return watcher
        .watch({
          id: `img-${i}`,
          context: {},
          done: (f) => f === null,
          deadline: start + 60_000,
          transition: "gone",
          since: start + i * 40,
        })
        .then(() => seen.push(clock.now() - (start + 1000 + i * 40)));
    });
    await clock.advance(20_000);
    await Promise.all(ps);
    return Math.max(...seen);
  };
  expect(await lateness(4)).toBe(0);
  expect(await lateness(0)).toBeGreaterThanOrEqual(100); // 4 × 100 ms of gap between looks
});

test("watches that are due close together share a look", async () => {
  const clock = new FakeClock();
  const w = world(clock);
  const watcher = new Watcher(w.look, clock, options);
  const start = clock.now();
  const ps: Promise<unknown>[] = [];
  for (let i = 0; i < 10; i++) {
    w.goneAt.set(`img-${i}`, start + 1500);
    ps.push(
      watcher.watch({
        id: `img-${i}`,
        context: {},
        done: (f) => f === null,
        deadline: start + 60_000,
        transition: "gone",
      }),
    );
    await clock.advance(30); // arrivals 30 ms apart
  }
  await clock.advance(10_000);
  await Promise.all(ps);
  expect(w.calls.length).toBeLessThanOrEqual(4);
  expect(w.calls.flat().length).toBeGreaterThanOrEqual(10);
});

test("a watch fails with WatchTimeout and the last facts at its deadline", async () => {
  const clock = new FakeClock();
  const w = world(clock);
  const watcher = new Watcher(w.look, clock, options);
  const start = clock.now();
  let error: unknown;
  void watcher
    .watch({ id: "img-stuck", context: {}, done: (f) => f === null, deadline: start + 3000, transition: "gone" })
    .catch((e) => (error = e));
  await clock.advance(5000);
  expect(error).toBeInstanceOf(WatchTimeout);
  expect((error as WatchTimeout<Img>).last).toEqual({ id: "img-stuck", state: "NORMAL" });
  expect(watcher.size).toBe(0);
});

test("a failed look fails the watches it carried, not the others", async () => {
  const clock = new FakeClock();
  let fail = true;
  const look = async (ids: string[]) => {
    if (fail && ids.includes("img-bad")) throw new Error("DescribeImages failed with InternalError");
    return new Map(ids.map((id) => [id, { id, state: "NORMAL" }]));
  };
  const watcher = new Watcher(look, clock, options);
  let error: unknown;
  void watcher
    .watch({ id: "img-bad", context: {}, done: () => true, deadline: clock.now() + 1000 })
    .catch((e) => (error = e));
  await clock.advance(0);
  fail = false;
  const ok = watcher.watch({ id: "img-good", context: {}, done: () => true, deadline: clock.now() + 1000 });
  await clock.advance(0);
  await settle();
  expect(String(error)).toMatch(/InternalError/);
  expect(await ok).toEqual({ id: "img-good", state: "NORMAL" });
});
