/**
 * Faults the call layer survives or explains: throttling, 5xx, dropped connections, busy states and
 * slow calls are retried; a non-retryable error fails at once; client-side rate limits; errors only
 * the cloud knows are explained; no credential shows in an error. (Lost CreateImage and ImportImage
 * answers are in create.lost-answers.test.ts; credentials from every source in errors.redaction.test.ts.)
 */
import { assessDeletions } from "pulumi-tencentcloud-images";
import { ALICE, BOB, CAROL, describe as describeImage, provider, rejection, up, useHarness } from "./harness";

const h = useHarness(async (h) => {
  process.env.CVM_IMAGE_CALL_TIMEOUT = "5s";
});

const base = { fromInstance: { instanceId: "ins-web00001" } };
const injected = async () =>
  (await h.control("GET", "calls")).log as Array<{
    action: string;
    errorCode?: string;
    httpStatus?: number;
    dropped?: boolean;
  }>;

test("throttling on every step is survived (retries with backoff)", async () => {
  for (const action of [
    "CreateImage",
    "DescribeImages",
    "ModifyImageSharePermission",
    "DescribeImageSharePermission",
    "DescribeInstances",
    "DeleteImages",
  ]) {
    await h.control("POST", "faults", { action, error: "RequestLimitExceeded", times: 2 });
  }
  await h.clearCalls();
  const { id, outs } = await up("throttled", { ...base, sharedWith: [BOB] });
  await provider.delete(id, outs);
  expect(await describeImage(h, id)).toBeNull();
  const throttled = (await injected()).filter((c) => c.errorCode === "RequestLimitExceeded");
  expect(throttled.length).toBe(12);
});

test("throttling for longer than the retry attempts is retried until the operation's deadline (another process holds the account's rate)", async () => {
  const { id } = await up("throttled-long", base);
  await h.control("POST", "faults", {
    action: "DescribeImageSharePermission",
    error: "RequestLimitExceeded",
    times: 10,
  });
  await h.clearCalls();
  const { outs } = await up("throttled-adopt", { adoptImageId: id });
  expect(outs.imageId).toBe(id);
  const throttled = (await injected()).filter((c) => c.errorCode === "RequestLimitExceeded");
  expect(throttled.length).toBe(10); // more than CVM_IMAGE_RETRY_ATTEMPTS (8)
});

test("5xx, dropped connections and busy states are survived", async () => {
  await h.control("POST", "faults", [
    { action: "DescribeImages", drop: true, times: 2 },
    { action: "ModifyImageSharePermission", httpStatus: 503, times: 2 },
    { action: "DescribeImageSharePermission", error: "InternalError", times: 1 },
    { action: "DeleteImages", error: "MutexOperation.TaskRunning", times: 2 },
    { action: "ModifyImageSharePermission", error: "InvalidParameterValue.InvalidImageState", times: 1 },
  ]);
  await h.clearCalls();
  const { id, outs } = await up("faulty", { ...base, sharedWith: [BOB, CAROL] });
  expect(outs.sharedWith).toEqual([BOB, CAROL]);
  await provider.delete(id, outs);
  expect(await describeImage(h, id)).toBeNull();
  const log = await injected();
  expect(log.filter((c) => c.dropped).length).toBe(2);
  expect(log.filter((c) => c.httpStatus === 503).length).toBe(2);
  expect(log.filter((c) => c.errorCode === "MutexOperation.TaskRunning").length).toBe(2);
});

test("a slow call hits the per-call timeout and is retried", async () => {
  process.env.CVM_IMAGE_CALL_TIMEOUT = "300ms";
  await h.control("POST", "faults", { action: "DescribeImages", delayMs: 1500, times: 1 });
  const started = Date.now();
  await expect(provider.read("img-alic0001", { region: "ap-guangzhou", sharedWith: [] })).resolves.toMatchObject({
    id: "img-alic0001",
  });
  expect(Date.now() - started).toBeLessThan(1400);
});

test("a non-retryable error fails at once", async () => {
  await h.control("POST", "faults", {
    action: "DescribeImages",
    error: "UnauthorizedOperation.PermissionDenied",
    times: 1,
  });
  await h.clearCalls();
  const e = await rejection(provider.read("img-alic0001", { region: "ap-guangzhou" }));
  expect(e.message).toMatch(/UnauthorizedOperation.PermissionDenied/);
  expect((await h.counts()).DescribeImages).toBe(1);
});

test("client-side rate limits keep a burst under the documented rates", async () => {
  await h.clearCalls();
  const targets = Array.from({ length: 25 }, () => ({
    imageId: "img-alic0001",
    outputs: { region: "ap-guangzhou", sharedWith: [] },
  }));
  const started = Date.now();
  // 25 DescribeImageSharePermission calls (10/s documented) in parallel batches.
  const results = await Promise.all([assessDeletions(targets.slice(0, 12)), assessDeletions(targets.slice(12))]);
  expect(results.flat().every((r) => r.outcome === "delete")).toBe(true);
  expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
  const log = await injected();
  expect(log.filter((c) => c.errorCode?.startsWith("RequestLimitExceeded")).length).toBe(0);
  expect(log.filter((c) => c.action === "DescribeImageSharePermission").length).toBe(25);
});

test("apply-time errors only the cloud knows are explained", async () => {
  const missing = await rejection(up("noinst", { fromInstance: { instanceId: "ins-zzzz9999" } }));
  expect(missing.message).toMatch(/instance ins-zzzz9999 does not exist in ap-guangzhou \(fromInstance.instanceId\)/);
  expect(missing.message).toMatch(/Already done: nothing was changed/);

  const first = await up("taken", { ...base, imageName: "taken-name" });
  const dup = await rejection(up("taken2", { ...base, imageName: "taken-name" }));
  expect(dup.message).toMatch(/the name "taken-name" is already used by another image in ap-guangzhou/);
  await provider.delete(first.id, first.outs);

  const self = await rejection(up("self", { ...base, sharedWith: [ALICE] }));
  expect(self.message).toMatch(/cannot be shared with its owner/);
  expect(self.id).toMatch(/^img-/); // recorded in the state: nothing leaks
  await provider.delete(self.id, self.properties);

  const snap = await rejection(up("nosnap", { fromSnapshots: { snapshotIds: ["snap-zzzz9999"] } }));
  expect(snap.message).toMatch(/snapshot in fromSnapshots.snapshotIds does not exist/);
});

test("credentials echoed in an API error are scrubbed from the message, reasons and properties", async () => {
  const alice = h.emu.env("alice");
  const other = {
    TENCENTCLOUD_SECRET_ID: "AKIDotherEnvironment0000000000000000",
    TENCENTCLOUD_SECRET_KEY: "otherEnvironmentSecretKey00000000",
  };
  const saved = {
    TENCENTCLOUD_SECRET_ID: process.env.TENCENTCLOUD_SECRET_ID,
    TENCENTCLOUD_SECRET_KEY: process.env.TENCENTCLOUD_SECRET_KEY,
  };
  const secrets = [
    alice.TENCENTCLOUD_SECRET_ID,
    alice.TENCENTCLOUD_SECRET_KEY,
    other.TENCENTCLOUD_SECRET_ID,
    other.TENCENTCLOUD_SECRET_KEY,
  ];
  const echo = `request signed with SecretId ${alice.TENCENTCLOUD_SECRET_ID} and SecretKey ${alice.TENCENTCLOUD_SECRET_KEY}; environment had ${other.TENCENTCLOUD_SECRET_ID} / ${other.TENCENTCLOUD_SECRET_KEY}`;
  const texts = (e: Error & Record<string, any>) => [
    e.message,
    String(e.stack),
    JSON.stringify(e.reasons ?? []),
    JSON.stringify(e.properties ?? {}),
  ];
  const made: Array<{ id: string; outs: Record<string, unknown> }> = [];
  try {
    // In use: alice's pair from the stack config; the environment holds another pair.
    const cfg: Record<string, string> = {
      "tencentcloud:secretId": alice.TENCENTCLOUD_SECRET_ID,
      "tencentcloud:secretKey": alice.TENCENTCLOUD_SECRET_KEY,
    };
    await provider.configure({ config: { get: (k: string) => cfg[k], require: (k: string) => cfg[k] } } as never);
    Object.assign(process.env, other);
    await h.control("POST", "faults", {
      action: "ModifyImageSharePermission",
      error: "UnauthorizedOperation.PermissionDenied",
      message: echo,
    });

    const created = await rejection(up("echo-create", { ...base, sharedWith: [BOB] }));
    expect(created.id).toMatch(/^img-/);
    expect(created.reasons).toHaveLength(1);
    made.push({ id: created.id, outs: created.properties });

    const { id, inputs, outs } = await up("echo-update", base);
    made.push({ id, outs });
    const updated = await rejection(provider.update(id, outs, { ...inputs, sharedWith: [BOB] }));
    expect(updated.id).toBe(id);

    for (const e of [created, updated]) {
      expect(e.message).toMatch(
        /UnauthorizedOperation.PermissionDenied.*request signed with SecretId \*\*\* and SecretKey \*\*\*; environment had \*\*\* \/ \*\*\*/,
      );
      for (const text of texts(e)) for (const secret of secrets) expect(text).not.toContain(secret);
    }
  } finally {
    await h.control("DELETE", "faults");
    Object.assign(process.env, saved);
    await provider.configure({ config: { get: () => undefined, require: () => "" } } as never);
    for (const m of made) await provider.delete(m.id, m.outs);
  }
});

test("no credential appears in any error", async () => {
  const env = h.emu.env("alice");
  const errors: string[] = [];
  errors.push((await rejection(up("noinst2", { fromInstance: { instanceId: "ins-zzzz9999" } }))).message);
  errors.push((await rejection(provider.delete("img-bobs0001", { region: "ap-guangzhou" }))).message);
  const savedKey = process.env.TENCENTCLOUD_SECRET_KEY;
  process.env.TENCENTCLOUD_SECRET_KEY = "WRONGsecretKEY0000000000000000000";
  try {
    const bad = await rejection(provider.read("img-alic0001", { region: "ap-guangzhou" }));
    expect(bad.message).toMatch(/AuthFailure/);
    errors.push(bad.message, String(bad.stack));
  } finally {
    process.env.TENCENTCLOUD_SECRET_KEY = savedKey;
  }
  process.env.TENCENTCLOUD_SECRET_ID = "AKIDunknown0000000000000000000000";
  try {
    const bad = await rejection(provider.read("img-alic0001", { region: "ap-guangzhou" }));
    errors.push(bad.message, String(bad.stack));
  } finally {
    process.env.TENCENTCLOUD_SECRET_ID = env.TENCENTCLOUD_SECRET_ID;
  }
  for (const text of errors) {
    expect(text).not.toContain(env.TENCENTCLOUD_SECRET_KEY);
    expect(text).not.toContain(env.TENCENTCLOUD_SECRET_ID);
    expect(text).not.toContain("WRONGsecretKEY0000000000000000000");
    expect(text).not.toContain("AKIDunknown0000000000000000000000");
  }
});
