/**
 * A fault at every call. For each operation, the API calls of a successful run are recorded; the
 * operation is then replayed failing at call k, for every k, once per fault kind. After each
 * replay the operation is run again at most once, as the engine would (create again with the same
 * program inputs when the create failed without an image id; update from the recorded outputs when
 * an init error recorded the image; delete again after a failed delete), and then:
 * - the cloud equals the state: the account's images tagged with the case are exactly the recorded
 *   one, with the recorded name, NORMAL, shared exactly with the recorded accounts (no image leaked,
 *   no second image, no share the state does not know);
 * - every message is true: "nothing was changed" only when the cloud shows nothing changed, an init
 *   error names the image it records, the cause names the injected code, never "fix sharedWith".
 */
import { ALICE, BOB, CAROL, describe as describeImage, PROVIDER_TEXT, provider, useHarness } from "./harness";

type Rec = Record<string, any>;

// Transitions finish at once (the first look sees NORMAL, or a deleted image gone), so every replay
// makes the recorded calls in the recorded order, however the waits space their looks.
const h = useHarness(undefined, { rateLimits: false, timing: { creatingMs: 0, importingMs: 0, syncingMs: 0, deleteLagMs: 0 } });

/** The fault kinds, as emulator fault rules. */
const FAULT_KINDS: Record<string, Rec> = {
  /** A server error: retried by the call layer; CreateImage's is reconciled (it may have run). */
  InternalError: { error: "InternalError" },
  /** A refusal: the operation stops at call k. */
  PermissionDenied: { error: "UnauthorizedOperation.PermissionDenied" },
  /** The connection drops before the action runs. */
  drop: { drop: true },
  /** The action runs and takes effect, then the connection drops: the answer is lost. */
  dropAfter: { dropAfter: true },
};
const KIND_NAMES = Object.keys(FAULT_KINDS);
const SHARES = [BOB, CAROL].sort();
const SOURCE = { fromInstance: { instanceId: "ins-web00001" } };

/** One call of a recorded run: its action and how many calls of that action came before, plus one. */
interface CallPoint {
  action: string;
  occurrence: number;
}

/** The provider's calls since the log was cleared, as call points. */
async function recordedCalls(): Promise<CallPoint[]> {
  const seen: Record<string, number> = {};
  const log = (await h.control("GET", "calls")).log as Array<{ action: string; account?: string }>;
  return log.filter((c) => c.account === ALICE).map((c) => ({ action: c.action, occurrence: (seen[c.action] = (seen[c.action] ?? 0) + 1) }));
}

/** Makes the call at `point` fail with the fault; returns the fault rule's id. */
async function failAt(point: CallPoint, fault: Rec): Promise<string> {
  const passThrough = point.occurrence > 1 ? [{ action: point.action, account: "alice", delayMs: 1, times: point.occurrence - 1 }] : [];
  const { ids } = await h.control("POST", "faults", [...passThrough, { action: point.action, account: "alice", ...fault, times: 1 }]);
  return ids[ids.length - 1];
}

async function firedTimes(ruleId: string): Promise<number> {
  const { faults } = await h.control("GET", "faults");
  return (faults as Array<{ id: string; fired: number }>).find((f) => f.id === ruleId)?.fired ?? 0;
}

/** The account's images carrying the case tag. */
async function taggedImages(label: string): Promise<string[]> {
  const r = await h.sdk().request("DescribeImages", { Filters: [{ Name: "image-type", Values: ["PRIVATE_IMAGE"] }, { Name: "tag:faultcase", Values: [label] }], Limit: 100 });
  return (r.ImageSet as Rec[]).map((i) => i.ImageId).sort();
}

/** The image's shares, or null when the image is gone (a deleted image may still be listed for a while). */
async function liveShares(imageId: string): Promise<string[] | null> {
  try {
    const r = await h.sdk().request("DescribeImageSharePermission", { ImageId: imageId });
    return (r.SharePermissionSet as Rec[]).map((p) => p.AccountId).sort();
  } catch (e) {
    if ((e as Rec).code === "InvalidImageId.NotFound") return null;
    throw e;
  }
}

/** Deletes the case's images out of band (no waiting): the next case starts clean. */
async function removeTagged(label: string): Promise<void> {
  for (const id of await taggedImages(label)) {
    const shares = await liveShares(id);
    if (shares?.length) await h.sdk().request("ModifyImageSharePermission", { ImageId: id, AccountIds: shares, Permission: "CANCEL" });
    if (shares) await h.sdk().request("DeleteImages", { ImageIds: [id] });
  }
}

interface EngineResult {
  inputs: Rec;
  id?: string;
  outs?: Rec;
  error?: Error & Rec;
}

/** check + create, as the engine runs a new resource (check has no old inputs: a fresh auto-name). */
async function engineCreate(name: string, props: Rec): Promise<EngineResult> {
  const checked = await provider.check({}, { ...props, resourceName: name, __provider: PROVIDER_TEXT });
  expect(checked.failures ?? []).toEqual([]);
  const inputs = { ...checked.inputs, __provider: PROVIDER_TEXT };
  try {
    const r = await provider.create(inputs);
    return { inputs, id: r.id, outs: { ...r.outs, __provider: PROVIDER_TEXT } };
  } catch (e) {
    return { inputs, error: e as Error & Rec };
  }
}

/** The engine's next `pulumi up` for a resource recorded by an init error: check with the recorded inputs, diff, update. */
async function engineUpdateAfterInitError(name: string, id: string, inputs: Rec, recorded: Rec, props: Rec): Promise<{ id: string; outs: Rec }> {
  const checked = await provider.check(inputs, { ...props, resourceName: name, __provider: PROVIDER_TEXT });
  const news = { ...checked.inputs, __provider: PROVIDER_TEXT };
  const diff = await provider.diff(id, recorded, news);
  expect(diff.replaces ?? []).toEqual([]);
  // A resource with init errors is updated even when the diff shows no change.
  const updated = await provider.update(id, recorded, news);
  return { id, outs: { ...updated.outs, __provider: PROVIDER_TEXT } };
}

/** What every failure message must satisfy. */
function expectTruthfulFailure(e: Error & Rec, kind: string): void {
  expect(e.message).toMatch(/^Failed to (create|delete) image .*\. Already done: .*\. Next: /s);
  expect(e.message).not.toMatch(/fix sharedWith/);
  if (FAULT_KINDS[kind].error) expect(e.message).toContain(FAULT_KINDS[kind].error);
}

/** Cases run, by operation and fault kind (reported at the end). */
const counts: Record<string, number> = {};
afterAll(() => {
  const lines = Object.entries(counts).map(([key, n]) => `${key}: ${n}`);
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  process.stdout.write(`fault at every call: ${total} cases\n  ${lines.join("\n  ")}\n`);
});

const createOperations: Record<string, (label: string) => Rec> = {
  "create from an instance with an auto-name and sharedWith": (label: string) => ({ ...SOURCE, sharedWith: SHARES, tags: { faultcase: label } }),
  "create from an instance with an explicit name and sharedWith": (label: string) => ({ ...SOURCE, imageName: `fe-${label}`, sharedWith: SHARES, tags: { faultcase: label } }),
};

describe.each(Object.entries(createOperations))("%s", (operation, propsFor) => {
  let calls: CallPoint[] = [];
  beforeAll(async () => {
    await h.clearCalls();
    const label = `rec-${operation.includes("auto") ? "a" : "e"}`;
    const run = await engineCreate(`fe-${label}`, propsFor(label));
    expect(run.error).toBeUndefined();
    calls = await recordedCalls();
    await removeTagged(label);
    const actions = calls.map((c) => c.action);
    expect(actions[0]).toBe("CreateImage");
    expect(actions).toContain("DescribeImages");
    expect(actions.slice(-2)).toEqual(["ModifyImageSharePermission", "DescribeImageSharePermission"]);
  });

  test.each(KIND_NAMES)("failing at every call with %s: one re-run at most converges", async (kind) => {
    for (const [k, point] of calls.entries()) {
      const label = `${operation.includes("auto") ? "ca" : "ce"}-${kind}-${k + 1}`.toLowerCase();
      const where = `${kind} at call ${k + 1} (${point.action} #${point.occurrence})`;
      const props = propsFor(label);
      const resource = `fe-${label}`;

      const rule = await failAt(point, FAULT_KINDS[kind]);
      const first = await engineCreate(resource, props);
      expect([where, await firedTimes(rule)]).toEqual([where, 1]);
      await h.control("DELETE", "faults");

      let state: { id: string; outs: Rec };
      if (first.error) {
        const e = first.error;
        expectTruthfulFailure(e, kind);
        const made = await taggedImages(label);
        if (e.id) {
          // Recorded by an init error: the message names the image and does not say nothing was changed.
          expect([where, made]).toEqual([where, [e.id]]);
          expect(e.message).toContain(e.id);
          expect(e.message).not.toMatch(/nothing was changed/);
          state = await engineUpdateAfterInitError(resource, e.id, first.inputs, e.properties, props);
        } else {
          // Nothing recorded: nothing may exist, and the message says so.
          expect([where, made]).toEqual([where, []]);
          expect(e.message).toMatch(/Already done: nothing was changed\./);
          const rerun = await engineCreate(resource, props);
          expect([where, rerun.error?.message]).toEqual([where, undefined]);
          state = { id: rerun.id!, outs: rerun.outs! };
        }
      } else {
        state = { id: first.id!, outs: first.outs! };
      }

      // The cloud equals the state.
      expect([where, await taggedImages(label)]).toEqual([where, [state.id]]);
      const image = await describeImage(h, state.id);
      expect([where, image.ImageName, image.ImageState]).toEqual([where, state.outs.imageName, "NORMAL"]);
      expect([where, await liveShares(state.id)]).toEqual([where, [...state.outs.sharedWith].sort()]);
      expect([where, [...state.outs.sharedWith].sort(), state.outs.unmanagedShares]).toEqual([where, SHARES, []]);
      if (props.imageName) expect(state.outs.imageName).toBe(props.imageName);

      await removeTagged(label);
      counts[`${operation} × ${kind}`] = (counts[`${operation} × ${kind}`] ?? 0) + 1;
    }
  }, 180_000);
});

describe("delete with managed shares", () => {
  const operation = "delete with managed shares";
  let calls: CallPoint[] = [];
  const propsFor = (label: string) => ({ ...SOURCE, sharedWith: SHARES, tags: { faultcase: label } });
  beforeAll(async () => {
    const made = await engineCreate("fd-rec", propsFor("rec-d"));
    await h.clearCalls();
    await provider.delete(made.id!, made.outs!);
    calls = await recordedCalls();
    const actions = calls.map((c) => c.action);
    expect(actions).toEqual(expect.arrayContaining(["DescribeImages", "DescribeImageSharePermission", "DescribeInstances"]));
    expect(actions.filter((a) => a === "ModifyImageSharePermission" || a === "DeleteImages")).toEqual(["ModifyImageSharePermission", "DeleteImages"]);
    expect(actions.indexOf("DescribeImages", actions.indexOf("DeleteImages"))).toBeGreaterThan(0);
  });

  test.each(KIND_NAMES)("failing at every call with %s: one re-run at most converges", async (kind) => {
    for (const [k, point] of calls.entries()) {
      const label = `d-${kind}-${k + 1}`.toLowerCase();
      const where = `${kind} at call ${k + 1} (${point.action} #${point.occurrence})`;
      const made = await engineCreate(`fd-${label}`, propsFor(label));
      expect(made.error).toBeUndefined();
      const { id, outs } = made as Required<EngineResult>;

      const rule = await failAt(point, FAULT_KINDS[kind]);
      let failure: (Error & Rec) | undefined;
      await provider.delete(id, outs).catch((e) => (failure = e));
      expect([where, await firedTimes(rule)]).toEqual([where, 1]);
      await h.control("DELETE", "faults");

      if (failure) {
        expectTruthfulFailure(failure, kind);
        const shares = await liveShares(id);
        if (shares) {
          // The image still exists: its shares are those the state records (untouched, or put back).
          expect([where, shares]).toEqual([where, SHARES]);
          if (/cancel/i.test(failure.message)) expect(failure.message).toMatch(/the stack's shares with 2 accounts \(.*\) were cancelled and have been restored/);
        } else {
          // Deleted: the message must say DeleteImages was called.
          expect(failure.message).toMatch(/called DeleteImages/);
        }
        if (/Already done: nothing was changed/.test(failure.message)) expect([where, shares]).toEqual([where, SHARES]);
        // The engine keeps the resource in the state: the next destroy deletes it.
        await provider.delete(id, outs);
      }
      expect([where, await liveShares(id)]).toEqual([where, null]);
      expect([where, await taggedImages(label)]).toEqual([where, []]);
      counts[`${operation} × ${kind}`] = (counts[`${operation} × ${kind}`] ?? 0) + 1;
    }
  }, 180_000);
});
