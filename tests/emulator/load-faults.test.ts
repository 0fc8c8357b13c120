/** Rate limits, fault injection (error, HTTP 5xx, drop, delay; times and seeded probability), latency and the call log. */
import { RunningEmulator } from "../../emulator/src";
import { ALICE, client, code, control, failure, reset, start } from "./helpers";

let emu: RunningEmulator;
beforeAll(async () => (emu = await start({ rateLimits: true, randomSeed: 42 })));
afterAll(() => emu.stop());
beforeEach(() => reset(emu));

async function burst<T>(n: number, call: () => Promise<T>): Promise<{ ok: number; codes: string[] }> {
  const results = await Promise.allSettled(Array.from({ length: n }, call));
  return {
    ok: results.filter((r) => r.status === "fulfilled").length,
    codes: results.flatMap((r) => (r.status === "rejected" ? [String((r.reason as { code?: string }).code)] : [])),
  };
}

describe("rate limits (on by default)", () => {
  test("a burst of 40 DeleteImages (10/s) gets RequestLimitExceeded for some calls", async () => {
    const c = client(emu);
    const r = await burst(40, () => c.DeleteImages({ ImageIds: ["img-alicegz1"], DryRun: true }));
    expect(r.codes.filter((x) => x === "RequestLimitExceeded").length).toBeGreaterThanOrEqual(10);
    expect(r.ok).toBeGreaterThanOrEqual(5);
    expect(r.codes.every((x) => x === "RequestLimitExceeded")).toBe(true);
  });

  test("DescribeImages allows 40/s: a burst of 30 passes, a burst of 120 does not", async () => {
    const c = client(emu);
    expect((await burst(30, () => c.DescribeImages({ Limit: 1 }))).ok).toBe(30);
    await new Promise((r) => setTimeout(r, 1100));
    const big = await burst(120, () => c.DescribeImages({ Limit: 1 }));
    expect(big.codes.filter((x) => x === "RequestLimitExceeded").length).toBeGreaterThanOrEqual(10);
  });

  test("limits are per account: bob is not throttled by alice's burst", async () => {
    await burst(30, () => client(emu).DescribeImageQuota());
    expect((await client(emu, "bob").DescribeImageQuota()).ImageNumQuota).toBe(500);
  });

  test("rate limits can be turned off at run time", async () => {
    await control(emu, "PATCH", "settings", { rateLimits: false });
    expect((await burst(40, () => client(emu).DescribeImageQuota())).ok).toBe(40);
  });
});

describe("faults", () => {
  beforeEach(() => control(emu, "PATCH", "settings", { rateLimits: false }));

  test("an error code for the next N calls of an action, then normal again", async () => {
    const { ids } = await control(emu, "POST", "faults", { action: "DeleteImages", error: "InternalError", times: 2 });
    expect(ids).toEqual([expect.stringMatching(/^fault-/)]);
    const c = client(emu);
    expect(await code(c.DeleteImages({ ImageIds: ["img-alicegz1"], DryRun: true }))).toBe("InternalError");
    expect(await code(c.DeleteImages({ ImageIds: ["img-alicegz1"], DryRun: true }))).toBe("InternalError");
    await c.DeleteImages({ ImageIds: ["img-alicegz1"], DryRun: true });
    await c.DescribeImages({}); // other actions unaffected
  });

  test("rules can match an image id only", async () => {
    await control(emu, "POST", "faults", {
      action: "DescribeImages",
      imageId: "img-bobgz001",
      error: "MutexOperation.TaskRunning",
    });
    const c = client(emu);
    expect(await code(c.DescribeImages({ ImageIds: ["img-bobgz001"] }))).toBe("MutexOperation.TaskRunning");
    expect((await c.DescribeImages({ ImageIds: ["img-alicegz1"] })).TotalCount).toBe(1);
  });

  test("an HTTP 5xx answer reaches the SDK as httpCode", async () => {
    await control(emu, "POST", "faults", [{ action: "DescribeImages", httpStatus: 503, times: 1 }]);
    const e = await failure(client(emu).DescribeImages({}));
    expect(e.httpCode).toBe(503);
    expect(e.code).toBeUndefined();
  });

  test("a dropped connection is a network error", async () => {
    await control(emu, "POST", "faults", { action: "DescribeImages", drop: true, times: 1 });
    const e = await failure(client(emu).DescribeImages({}));
    expect(e.code).toBeUndefined();
    expect(e.message).toMatch(/socket hang up|ECONNRESET|request to/);
    await client(emu).DescribeImages({});
  });

  test("dropAfter: the action takes effect, then the connection is dropped", async () => {
    await control(emu, "POST", "faults", { action: "CreateImage", dropAfter: true, times: 1 });
    const e = await failure(client(emu).CreateImage({ ImageName: "made-then-dropped", InstanceId: "ins-alicgz03" }));
    expect(e.code).toBeUndefined();
    expect(e.message).toMatch(/socket hang up|ECONNRESET|request to/);
    const made = await client(emu).DescribeImages({ Filters: [{ Name: "image-name", Values: ["made-then-dropped"] }] });
    expect(made.ImageSet!.map((i) => i.ImageName)).toEqual(["made-then-dropped"]);
    const calls = await control(emu, "GET", "calls");
    expect(calls.log.find((c: { action: string }) => c.action === "CreateImage")).toMatchObject({ dropped: true });
    // A refusal is lost the same way (the effect is none): the rule fired, the name stays taken.
    await control(emu, "POST", "faults", { action: "CreateImage", dropAfter: true, times: 1 });
    expect(
      (await failure(client(emu).CreateImage({ ImageName: "made-then-dropped", InstanceId: "ins-alicgz03" }))).code,
    ).toBeUndefined();
    expect(await code(client(emu).CreateImage({ ImageName: "made-then-dropped", InstanceId: "ins-alicgz03" }))).toBe(
      "InvalidImageName.Duplicate",
    );
    await expect(
      control(emu, "POST", "faults", { action: "CreateImage", drop: true, dropAfter: true }),
    ).rejects.toThrow(/400/);
  });

  test("an error rule answers with its custom message", async () => {
    await control(emu, "POST", "faults", {
      action: "DescribeImageQuota",
      error: "InternalError",
      message: "custom words",
      times: 1,
    });
    expect((await failure(client(emu).DescribeImageQuota())).message).toMatch(/custom words/);
  });

  test("a delay slows the call down (and can time it out)", async () => {
    await control(emu, "POST", "faults", { action: "DescribeImageQuota", delayMs: 400, times: 1 });
    const t0 = Date.now();
    await client(emu).DescribeImageQuota();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(380);
  });

  test("probability draws from the seeded generator: the same seed repeats the same pattern", async () => {
    const pattern = async () => {
      await control(emu, "DELETE", "faults");
      await control(emu, "POST", "faults", { action: "DescribeImageQuota", error: "InternalError", probability: 0.5 });
      const out: string[] = [];
      for (let i = 0; i < 20; i++)
        out.push(
          await client(emu)
            .DescribeImageQuota()
            .then(
              () => "ok",
              (e) => e.code,
            ),
        );
      return out.join(",");
    };
    const first = await pattern();
    expect(first).toContain("ok");
    expect(first).toContain("InternalError");
    expect(await pattern()).toBe(first);
  });

  test("DELETE /_emulator/faults removes every rule; bad rules are refused", async () => {
    await control(emu, "POST", "faults", { action: "*", error: "InternalError" });
    expect(await code(client(emu).DescribeImageQuota())).toBe("InternalError");
    expect((await control(emu, "GET", "faults")).faults).toHaveLength(1);
    await control(emu, "DELETE", "faults");
    await client(emu).DescribeImageQuota();
    await expect(control(emu, "POST", "faults", { action: "X", httpStatus: 404 })).rejects.toThrow(/400/);
  });
});

test("latencyMs is added to every call", async () => {
  await control(emu, "PATCH", "settings", { latencyMs: 250 });
  const t0 = Date.now();
  await client(emu).DescribeImageQuota();
  expect(Date.now() - t0).toBeGreaterThanOrEqual(240);
});

test("the call log counts calls per action and records account, region and error code (no secrets)", async () => {
  const c = client(emu);
  await c.DescribeImages({});
  await code(c.DeleteImages({ ImageIds: ["img-zzzzzzzz"] }));
  const calls = await control(emu, "GET", "calls");
  expect(calls.counts).toEqual({ DescribeImages: 1, DeleteImages: 1 });
  expect(calls.log[1]).toMatchObject({
    account: ALICE,
    action: "DeleteImages",
    region: "ap-guangzhou",
    errorCode: "InvalidImageId.NotFound",
  });
  expect(calls.log[0].errorCode).toBeUndefined();
  expect(JSON.stringify(calls)).not.toContain(emu.defaultAccount.secretKey);
  await control(emu, "DELETE", "calls");
  expect((await control(emu, "GET", "calls")).log).toEqual([]);
});
