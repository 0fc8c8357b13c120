// Crowded operations (cloud/describes.ts): refreshes, creates and deletes counted while they run; their
// describes wait to share a call only while more than ON_TIME_WATCHES run at once.
import {
  CROWD_SHARE_WINDOW_MS,
  DELETE_CROWD_SHARE_WINDOW_MS,
  crowdShareWindowMs,
  inCrowd,
  ON_TIME_WATCHES,
} from "../../../provider/src/cloud/describes";
import { processState, resetProcess } from "../../../provider/src/cloud/process";

afterEach(() => resetProcess());

test("a describe of a crowded operation waits only while more than ON_TIME_WATCHES operations run", async () => {
  expect([ON_TIME_WATCHES, CROWD_SHARE_WINDOW_MS]).toEqual([8, 1000]);
  const releases: Array<() => void> = [];
  const running = Array.from({ length: 9 }, () =>
    inCrowd(() => new Promise<void>((resolve) => releases.push(resolve))),
  );
  expect(processState.operationsInFlight).toBe(9);
  expect(crowdShareWindowMs()).toBe(1000);
  releases.shift()!();
  await running[0];
  expect(processState.operationsInFlight).toBe(8);
  expect(crowdShareWindowMs()).toBe(0);
  for (const release of releases) release();
  await Promise.all(running);
  expect(processState.operationsInFlight).toBe(0);
});

test("an operation that fails is no longer counted", async () => {
  await expect(inCrowd(() => Promise.reject(new Error("refused")))).rejects.toThrow("refused");
  expect(processState.operationsInFlight).toBe(0);
});

test("a delete's first look waits its own, shorter window in a crowd, and none outside one", async () => {
  expect(DELETE_CROWD_SHARE_WINDOW_MS).toBeLessThan(CROWD_SHARE_WINDOW_MS);
  expect(crowdShareWindowMs(DELETE_CROWD_SHARE_WINDOW_MS)).toBe(0);
  const releases: Array<() => void> = [];
  const running = Array.from({ length: ON_TIME_WATCHES + 1 }, () =>
    inCrowd(() => new Promise<void>((resolve) => releases.push(resolve))),
  );
  expect(crowdShareWindowMs(DELETE_CROWD_SHARE_WINDOW_MS)).toBe(DELETE_CROWD_SHARE_WINDOW_MS);
  for (const release of releases) release();
  await Promise.all(running);
});
