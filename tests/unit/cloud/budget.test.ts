import { AdaptiveBudget, defaultPolicy } from "../../../provider/src/cloud/budget";
import { FakeClock } from "../../support/fake-clock";

/** Acquires `n` slots one after another; returns when each was granted, relative to the start. */
async function grantTimes(clock: FakeClock, budget: AdaptiveBudget, n: number): Promise<number[]> {
  const start = clock.now();
  const times: number[] = [];
  const run = (async () => {
    for (let i = 0; i < n; i++) {
      await budget.acquire();
      times.push(clock.now() - start);
    }
  })();
  await clock.advance(60_000);
  await run;
  return times;
}

test("after a burst, calls are spaced evenly at the documented rate while nothing is throttled", async () => {
  const clock = new FakeClock();
  const budget = new AdaptiveBudget({ ...defaultPolicy(10), burst: 2 }, clock);
  expect(await grantTimes(clock, budget, 5)).toEqual([0, 0, 100, 200, 300]);
});

test("a quiet budget never holds more than its burst", async () => {
  const clock = new FakeClock();
  const budget = new AdaptiveBudget({ ...defaultPolicy(10), burst: 3 }, clock);
  await clock.advance(60_000);
  expect(await grantTimes(clock, budget, 5)).toEqual([0, 0, 0, 100, 200]);
});

test("a throttled answer halves the rate; it is won back gradually, never above the ceiling", async () => {
  const clock = new FakeClock();
  const budget = new AdaptiveBudget(defaultPolicy(10), clock);
  budget.throttled();
  expect(budget.rate()).toBe(5);
  budget.throttled();
  expect(budget.rate()).toBe(2.5);
  expect(budget.throttledCount).toBe(2);
  await clock.advance(1000); // 10 % of the ceiling per second
  expect(budget.rate()).toBeCloseTo(3.5);
  await clock.advance(30_000);
  expect(budget.rate()).toBe(10);
});

test("the rate never falls below the floor", () => {
  const clock = new FakeClock();
  const budget = new AdaptiveBudget(defaultPolicy(10), clock);
  for (let i = 0; i < 20; i++) budget.throttled();
  expect(budget.rate()).toBe(1);
});

test("after a throttle the next slot waits a full interval at the lowered rate", async () => {
  const clock = new FakeClock();
  const budget = new AdaptiveBudget(defaultPolicy(10), clock);
  await budget.acquire();
  budget.throttled(); // 5/s: 200 ms
  const times = await grantTimes(clock, budget, 2);
  expect(times[0]).toBeGreaterThanOrEqual(200);
  expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(180); // 5/s, regaining 1/s per second
});

test("calls already waiting slow down as soon as the cloud throttles", async () => {
  const clock = new FakeClock();
  const budget = new AdaptiveBudget({ ...defaultPolicy(10), burst: 1 }, clock);
  const start = clock.now();
  const granted: number[] = [];
  const all = Array.from({ length: 4 }, () => budget.acquire().then(() => granted.push(clock.now() - start)));
  await clock.advance(0); // the first is granted at once; three wait at 100 ms intervals
  budget.throttled(); // 5/s from now on
  await clock.advance(10_000);
  await Promise.all(all);
  expect(granted[0]).toBe(0);
  for (let i = 1; i < granted.length; i++) expect(granted[i]! - granted[i - 1]!).toBeGreaterThanOrEqual(180); // 5/s, regaining 1/s per second
});

test("slots are granted in arrival order", async () => {
  const clock = new FakeClock();
  const budget = new AdaptiveBudget(defaultPolicy(10), clock);
  const order: number[] = [];
  const all = [0, 1, 2, 3].map((i) => budget.acquire().then(() => order.push(i)));
  await clock.advance(1000);
  await Promise.all(all);
  expect(order).toEqual([0, 1, 2, 3]);
});
