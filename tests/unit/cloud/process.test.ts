// The provider's per-process state (provider/src/cloud/process.ts): one object for the life of the
// process, put back as a fresh process has it by resetProcess; the system clock.
import { processState, resetProcess, systemClock, type Clock } from "../../../provider/src/cloud/process";
import { FakeClock } from "../../support/fake-clock";

afterEach(() => resetProcess());

describe("resetProcess", () => {
  test("restores every part to a fresh process's, keeping the one state object", () => {
    const state = processState;
    const budgets = processState.budgets;
    processState.config = { "tencentcloud:region": "ap-guangzhou" };
    processState.secretsSeen.add("s3cr3t");
    processState.unreachableEndpoints.add("http://127.0.0.1:1");
    processState.claimedImages.add("img-abcd1234");
    processState.takenOver.add("img-abcd1234");
    processState.warningSink = { warn: async () => undefined };
    resetProcess();
    expect(processState).toBe(state);
    expect(processState).toMatchObject({
      config: {},
      commonClient: undefined,
      deletes: undefined,
      warningSink: undefined,
      clock: systemClock,
    });
    for (const part of [
      processState.secretsSeen,
      processState.unreachableEndpoints,
      processState.claimedImages,
      processState.takenOver,
    ])
      expect(part.size).toBe(0);
    expect(processState.watchers.size).toBe(0);
    expect(processState.usageScans.size).toBe(0);
    expect(processState.budgets).not.toBe(budgets);
  });

  test("work in flight keeps the collections it holds", () => {
    const held = processState.secretsSeen;
    held.add("kept");
    resetProcess();
    expect(held.has("kept")).toBe(true);
    expect(processState.secretsSeen.has("kept")).toBe(false);
  });

  test("takes the fleet's clock", () => {
    const clock: Clock = new FakeClock();
    resetProcess({ clock });
    expect(processState.clock).toBe(clock);
    resetProcess();
    expect(processState.clock).toBe(systemClock);
  });
});

describe("systemClock", () => {
  test("now is the epoch time; sleep waits; a timer runs once unless cancelled", async () => {
    const before = Date.now();
    expect(systemClock.now()).toBeGreaterThanOrEqual(before);
    await systemClock.sleep(5);
    expect(systemClock.now()).toBeGreaterThanOrEqual(before + 4);
    await systemClock.sleep(-10); // a negative wait is no wait, not an error
    const ran: string[] = [];
    const cancel = systemClock.timer(1, () => ran.push("cancelled"));
    cancel();
    await new Promise<void>((resolve) => systemClock.timer(1, () => (ran.push("ran"), resolve())));
    await systemClock.sleep(5);
    expect(ran).toEqual(["ran"]);
  });
});
