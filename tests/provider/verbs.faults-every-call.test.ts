/**
 * A fault at every call (issue 9, "Done when"). For each operation (create from an instance, from
 * snapshots and by import; adopt; update; delete with managed shares, with shares made outside the
 * stack under "unshare", with deleteSnapshots, and without managed shares), the API calls of a
 * successful run are recorded; the operation is then replayed failing at call k, for every k, once
 * per fault kind (an error, a refusal, a dropped connection, a lost answer). After each replay the
 * operation is run again at most once, as the engine would:
 * - create (and adopt): failed without an image id, the engine checks again (a new auto-name) and
 *   creates again; failed with an init error, it records the error's outputs and the next
 *   `pulumi up` updates from them (a resource with init errors is updated even without a diff);
 * - update: every failure is an init error (the image id is known), whose outputs and the new
 *   inputs the engine records; the next `pulumi up` checks, diffs and updates from them;
 * - delete: the resource stays in the state, and the next destroy deletes it again.
 * A failure that recorded the image is also replayed with a destroy from the record as the re-run.
 * Then:
 * - the cloud equals the state: the account's images tagged with the case are exactly the recorded
 *   one, with the recorded (and wanted) name, tags and deprecation, NORMAL, shared exactly with the
 *   recorded accounts (no image leaked, no second image, no share the state does not know), and the
 *   next `pulumi up` has nothing to do; after a delete, nothing is left (nor the bound snapshots
 *   under `deleteSnapshots`), and a destroy from a recorded failure is not blocked;
 * - every message is true: "nothing was changed" only when the cloud shows nothing changed, and
 *   what changed is listed (an image made or deleted, a rename, the tags, the deprecation, each
 *   share made or cancelled, cancelled shares put back); the way forward names the command to run
 *   and fits the cause; an init error names the image it records and its outputs are the image as
 *   the cloud shows it; the cause names the injected code, never "fix sharedWith".
 * A summary of the counts (operations × calls × fault kinds) is printed at the end.
 */
import { BOB, CAROL, DAVE, PROVIDER_TEXT, provider, useHarness } from "./harness";
import { CallPoint, failAt, recordedCalls } from "./call-points";
import { withOutputDefaults } from "../../provider/src/schema/stored";

type Rec = Record<string, any>;

// Transitions finish at once (the first look sees NORMAL, or a deleted image gone), so every replay
// makes the recorded calls in the recorded order, however the waits space their looks.
const h = useHarness(undefined, {
  rateLimits: false,
  timing: { creatingMs: 0, importingMs: 0, syncingMs: 0, deleteLagMs: 0 },
});

/** The provider's per-process state (of the built package the shim requires). */
const { resetProcess } =
  require("pulumi-tencentcloud-images/dist/cloud/process") as typeof import("../../provider/src/cloud/process");

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
// The system-disk snapshot only: an image with a data-disk snapshot is a whole-machine image, which cannot be shared.
const SNAPSHOTS = { fromSnapshots: { snapshotIds: ["snap-sys00001"] } };
const IMPORT = {
  fromImport: {
    imageUrl: "https://bucket-1250000000.cos.ap-guangzhou.myqcloud.com/disk.qcow2",
    architecture: "x86_64",
    osType: "CentOS",
    osVersion: "7",
  },
};
const sorted = (list: readonly string[]) => [...list].sort();
/** The usage scan a delete makes first (the harness has no launch templates, so no versions are listed). */
const USAGE_SCAN = ["DescribeInstances", "DescribeLaunchTemplates", "DescribeLaunchConfigurations"];

async function firedTimes(ruleId: string): Promise<number> {
  const { faults } = await h.control("GET", "faults");
  return (faults as Array<{ id: string; fired: number }>).find((f) => f.id === ruleId)?.fired ?? 0;
}

/** The image's shares, or null when the image is gone (a deleted image may still be listed for a while). */
async function liveShares(imageId: string): Promise<string[] | null> {
  try {
    const r = await h.sdk().request("DescribeImageSharePermission", { ImageId: imageId });
    return sorted((r.SharePermissionSet as Rec[]).map((p) => p.AccountId));
  } catch (e) {
    if ((e as Rec).code === "InvalidImageId.NotFound") return null;
    throw e;
  }
}

/** One image as the cloud shows it. */
interface ImageView {
  id: string;
  name: string;
  state: string;
  tags: Record<string, string>;
  deprecated: boolean;
  shares: string[];
  snapshotIds: string[];
}

/** The account's (existing) images carrying the case tag, as the cloud shows them, by id. */
async function cloudOf(label: string): Promise<ImageView[]> {
  const r = await h.sdk().request("DescribeImages", {
    Filters: [
      { Name: "image-type", Values: ["PRIVATE_IMAGE"] },
      { Name: "tag:faultcase", Values: [label] },
    ],
    Limit: 100,
  });
  const out: ImageView[] = [];
  for (const i of r.ImageSet as Rec[]) {
    const shares = await liveShares(i.ImageId);
    if (!shares) continue;
    out.push({
      id: i.ImageId,
      name: i.ImageName,
      state: i.ImageState,
      tags: Object.fromEntries(((i.Tags ?? []) as Rec[]).map((t) => [t.Key, t.Value])),
      deprecated: i.ImageDeprecated === true,
      shares,
      snapshotIds: ((i.SnapshotSet ?? []) as Rec[]).map((s) => s.SnapshotId),
    });
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

/** Deletes the case's images out of band (no waiting): the next case starts clean. */
async function removeTagged(label: string): Promise<void> {
  for (const img of await cloudOf(label)) {
    if (img.shares.length)
      await h
        .sdk()
        .request("ModifyImageSharePermission", { ImageId: img.id, AccountIds: img.shares, Permission: "CANCEL" });
    await h.sdk().request("DeleteImages", { ImageIds: [img.id] });
  }
}

async function existingSnapshots(): Promise<Set<string>> {
  return new Set(((await h.state()).snapshots as Rec[]).map((s) => s.snapshotId));
}

/** A resource as the engine records it. */
interface EngineState {
  id: string;
  inputs: Rec;
  outs: Rec;
}

interface EngineResult {
  inputs: Rec;
  state?: EngineState;
  error?: Error & Rec;
}

/** check + create, as the engine runs a new resource (check has no old inputs: a fresh auto-name). */
async function engineCreate(name: string, props: Rec): Promise<EngineResult> {
  const checked = await provider.check({}, { ...props, resourceName: name, __provider: PROVIDER_TEXT });
  expect(checked.failures ?? []).toEqual([]);
  const inputs = { ...checked.inputs, __provider: PROVIDER_TEXT };
  try {
    const r = await provider.create(inputs);
    return { inputs, state: { id: r.id, inputs, outs: { ...r.outs, __provider: PROVIDER_TEXT } } };
  } catch (e) {
    return { inputs, error: e as Error & Rec };
  }
}

/**
 * `pulumi up` of a recorded resource: check with the recorded inputs, diff, and update when the diff
 * shows a change or the resource carries init errors. A failed update's init error records its
 * outputs with the new inputs; a plain error keeps the recorded state.
 */
async function engineUpdate(
  name: string,
  state: EngineState,
  props: Rec,
  initErrors: boolean,
): Promise<{ state: EngineState; error?: Error & Rec; changes: boolean }> {
  const checked = await provider.check(state.inputs, { ...props, resourceName: name, __provider: PROVIDER_TEXT });
  expect(checked.failures ?? []).toEqual([]);
  const news = { ...checked.inputs, __provider: PROVIDER_TEXT };
  const diff = await provider.diff(state.id, state.outs, news);
  expect(diff.replaces ?? []).toEqual([]);
  if (!diff.changes && !initErrors) return { state, changes: false };
  try {
    const r = await provider.update(state.id, state.outs, news);
    return {
      state: { id: state.id, inputs: news, outs: { ...r.outs, __provider: PROVIDER_TEXT } },
      changes: diff.changes === true,
    };
  } catch (e) {
    const error = e as Error & Rec;
    const recorded = error.properties ? { id: state.id, inputs: news, outs: error.properties } : state;
    return { state: recorded, error, changes: diff.changes === true };
  }
}

/** The parts of an operation failure message ("Failed to <op> image …", the cause, "Already done: …", "Next: …"). */
function partsOf(e: Error): { done: string; next: string } {
  const m = /^Failed to (create|adopt|update|delete) image [\s\S]*?Already done: ([\s\S]*?)\.\s+Next: ([\s\S]*)$/.exec(
    e.message,
  );
  expect([e.message, m !== null]).toEqual([e.message, true]);
  return { done: m![2]!, next: m![3]! };
}

const sameImage = (a: ImageView, b: ImageView) => JSON.stringify(a) === JSON.stringify(b);

/**
 * What every failure message must satisfy, given the cloud before and after the failed run: the
 * cause names the injected code; "nothing was changed" only when nothing was; every change listed;
 * the way forward names a command.
 */
function expectTruthfulFailure(
  where: string,
  e: Error & Rec,
  kind: string,
  before: ImageView[],
  after: ImageView[],
): void {
  const { done, next } = partsOf(e);
  const tell = (what: string, ok: boolean) =>
    expect([where, what, e.message, ok]).toEqual([where, what, e.message, true]);
  tell("never fix sharedWith", !/fix sharedWith/.test(e.message));
  if (FAULT_KINDS[kind].error) tell("names the injected code", e.message.includes(FAULT_KINDS[kind].error));
  tell("names the command to run", /pulumi (up|destroy|refresh)/.test(next));
  // The way forward fits the cause: a refused permission is fixed first; only a timeout is answered with a longer timeout.
  if (kind === "PermissionDenied")
    tell("says to fix the cause first", /fix the cause|check the credentials/.test(next));
  if (!/timed out|still shows after|still [A-Z]+ after waiting/.test(e.message))
    tell("no timeout advice without a timeout", !/raise timeouts/.test(next));
  const unchanged = before.length === after.length && before.every((b, i) => sameImage(b, after[i]!));
  if (done === "nothing was changed") tell("nothing was changed, as the cloud shows", unchanged);
  for (const a of after) {
    const b = before.find((x) => x.id === a.id);
    if (!b) {
      tell(`the new image ${a.id} is listed`, done.includes(a.id));
      for (const acct of a.shares) tell(`the share with ${acct} is listed`, done.includes(acct));
      continue;
    }
    if (a.name !== b.name) tell("the rename is listed", /imageName/.test(done));
    if (a.deprecated !== b.deprecated) tell("the deprecation is listed", /imageDeprecated/.test(done));
    if (JSON.stringify(a.tags) !== JSON.stringify(b.tags)) tell("the tag change is listed", /tags/.test(done));
    for (const acct of a.shares.filter((x) => !b.shares.includes(x)))
      tell(`the share with ${acct} is listed`, /shared with/.test(done) && done.includes(acct));
    for (const acct of b.shares.filter((x) => !a.shares.includes(x)))
      tell(`the cancelled share with ${acct} is listed`, /cancelled/.test(done) && done.includes(acct));
    // A delete that cancelled shares and stopped before DeleteImages puts them back and says so.
    if (/^Failed to delete/.test(e.message) && /cancelled/.test(done) && !/called DeleteImages/.test(done)) {
      tell("cancelled shares are restored", /were cancelled and have been restored/.test(done));
    }
  }
  for (const b of before)
    if (!after.some((a) => a.id === b.id)) tell(`the delete of ${b.id} is listed`, /called DeleteImages/.test(done));
}

/**
 * An init error records the image as the cloud shows it now (name, tags, deprecation, every share),
 * every share the stack made as managed (these cases have no share made outside the stack), so a
 * destroy from the record is not blocked by them.
 */
function expectRecordsCloud(where: string, e: Error & Rec, after: ImageView[]): void {
  const img = after.find((a) => a.id === e.id);
  expect([where, e.message.includes(e.id)]).toEqual([where, true]);
  const p = withOutputDefaults(e.properties as Rec); // stored as the state stores outputs
  expect([
    where,
    p.imageId ?? e.id,
    p.imageName,
    p.tags,
    p.imageDeprecated === true,
    sorted([...(p.sharedWith ?? []), ...(p.unmanagedShares ?? [])]),
  ]).toEqual([where, e.id, img?.name, img?.tags, img?.deprecated, img?.shares]);
  expect([where, "no share recorded as unmanaged", p.unmanagedShares]).toEqual([
    where,
    "no share recorded as unmanaged",
    [],
  ]);
}

/** What the converged image must be. */
interface Want {
  imageName?: string;
  tags: Record<string, string>;
  shares: string[];
  deprecated: boolean;
}

/** The state equals the cloud and the wanted image, and the next `pulumi up` has nothing to do. */
async function expectConverged(
  where: string,
  label: string,
  name: string,
  state: EngineState,
  props: Rec,
  want: Want,
): Promise<void> {
  const cloud = await cloudOf(label);
  expect([where, cloud.map((c) => c.id)]).toEqual([where, [state.id]]);
  const img = cloud[0]!;
  const o = withOutputDefaults(state.outs); // the state leaves defaults out
  expect([where, img.name, img.state, img.tags, img.deprecated, img.shares]).toEqual([
    where,
    o.imageName,
    "NORMAL",
    o.tags,
    o.imageDeprecated === true,
    sorted(o.sharedWith),
  ]);
  expect([where, o.unmanagedShares, sorted(o.sharedWith), o.tags, o.imageDeprecated === true]).toEqual([
    where,
    [],
    sorted(want.shares),
    want.tags,
    want.deprecated,
  ]);
  if (want.imageName) expect([where, o.imageName]).toEqual([where, want.imageName]);
  const again = await engineUpdate(name, state, props, false);
  expect([where, "next up has nothing to do", again.changes]).toEqual([where, "next up has nothing to do", false]);
}

/** Cases run, by operation and fault kind; destroy re-runs of recorded failures; calls per operation (reported at the end). */
const counts: Record<string, Record<string, number>> = {};
const destroyCounts: Record<string, number> = {};
const callCounts: Record<string, number> = {};
afterAll(() => {
  const lines: string[] = [];
  let total = 0;
  let destroys = 0;
  for (const [operation, byKind] of Object.entries(counts)) {
    const n = Object.values(byKind).reduce((a, b) => a + b, 0);
    total += n;
    destroys += destroyCounts[operation] ?? 0;
    const kinds = KIND_NAMES.map((k) => `${k} ${byKind[k] ?? 0}`).join(", ");
    const d = destroyCounts[operation] ? `; ${destroyCounts[operation]} recorded failures also destroyed` : "";
    lines.push(
      `${operation}: ${callCounts[operation]} calls × ${Object.keys(byKind).length} fault kinds = ${n} (${kinds})${d}`,
    );
  }
  process.stdout.write(
    `fault at every call: ${Object.keys(counts).length} operations, ${total} cases converged, plus ${destroys} destroys from a recorded failure\n  ${lines.join("\n  ")}\n`,
  );
});

/** Installs the case's fault just before the operation (`arm`) and removes it after, noting how often it fired (`disarm`). */
interface Fault {
  arm(): Promise<void>;
  disarm(): Promise<void>;
}

/**
 * The engine's re-run after a failure: `up` (create again, or update from what was recorded), or,
 * for a failure that recorded the image, `destroy` from the recorded outputs.
 */
type ReRun = "up" | "destroy";

/** One case: its label (tag value), where it fails (for assertion messages), the fault kind and the fault. */
interface Case {
  label: string;
  where: string;
  kind: string;
  fault: Fault;
  reRun: ReRun;
}

/**
 * Records `operation`'s calls (`record`), then runs one case per recorded call and fault kind:
 * `replay` sets up the case, arms the fault at call k just before the operation, disarms it
 * after, runs the engine's re-run and checks the outcome; it returns whether the failure recorded
 * the image (an init error), in which case the case is run again with a destroy as the re-run.
 */
function everyCall(
  operation: string,
  short: string,
  record: (label: string) => Promise<CallPoint[]>,
  replay: (c: Case) => Promise<{ recorded: boolean }>,
): void {
  describe(operation, () => {
    let calls: CallPoint[] = [];
    beforeAll(async () => {
      resetProcess();
      calls = await record(`${short}-rec`);
      callCounts[operation] = calls.length;
    });

    test.each(KIND_NAMES)(
      "failing at every call with %s: one re-run at most converges",
      async (kind) => {
        expect(calls.length).toBeGreaterThan(0);
        for (const [k, point] of calls.entries()) {
          const run = async (label: string, reRun: ReRun) => {
            const where = `${operation}: ${kind} at call ${k + 1} (${point.action} #${point.occurrence}), then ${reRun}`;
            resetProcess();
            let rule: string | undefined;
            let fired: number | undefined;
            const fault: Fault = {
              arm: async () => void (rule = await failAt(h, point, FAULT_KINDS[kind]!)),
              disarm: async () => {
                fired = await firedTimes(rule!);
                await h.control("DELETE", "faults");
              },
            };
            const outcome = await replay({ label, where, kind, fault, reRun });
            expect([where, "the fault fired once", fired]).toEqual([where, "the fault fired once", 1]);
            await removeTagged(label);
            return outcome;
          };
          const label = `${short}-${kind}-${k + 1}`.toLowerCase();
          const { recorded } = await run(label, "up");
          counts[operation] ??= {};
          counts[operation]![kind] = (counts[operation]![kind] ?? 0) + 1;
          if (recorded) {
            await run(`${label}-x`, "destroy");
            destroyCounts[operation] = (destroyCounts[operation] ?? 0) + 1;
          }
        }
      },
      300_000,
    );
  });
}

/** A destroy from what a failure recorded deletes the image at once (nothing blocks it, nothing is left). */
async function expectDestroyFromRecord(where: string, label: string, e: Error & Rec): Promise<void> {
  let failure: Error | undefined;
  await provider.delete(e.id, e.properties).catch((x: Error) => (failure = x));
  expect([where, failure?.message]).toEqual([where, undefined]);
  expect([where, await liveShares(e.id), await cloudOf(label)]).toEqual([where, null, []]);
}

// ---------------------------------------------------------------------------------------------
// create and adopt

interface CreateCase {
  /** Out-of-band preparation (the image to adopt); its result goes to `props` and `want`. */
  prepare?(label: string): Promise<string>;
  props(label: string, prepared: string): Rec;
  want(label: string, prepared: string): Want;
  /** The recorded run's actions, for a sanity check. */
  expectRecorded(actions: string[]): void;
}

/** Makes an image out of band, tagged with the case (to adopt), and waits until it is NORMAL. */
async function outOfBandImage(label: string): Promise<string> {
  const r = await h.sdk().request("CreateImage", {
    InstanceId: "ins-web00001",
    ImageName: `fa-${label}`,
    TagSpecification: [{ ResourceType: "image", Tags: [{ Key: "faultcase", Value: label }] }],
  });
  for (let i = 0; i < 100; i++) {
    const [img] = (await cloudOf(label)).filter((c) => c.id === r.ImageId);
    if (img?.state === "NORMAL") return r.ImageId as string;
    await new Promise((done) => setTimeout(done, 10));
  }
  throw new Error(`${r.ImageId} did not become NORMAL`);
}

const createdTags = (label: string) => ({ faultcase: label });
const CREATES: Record<string, CreateCase & { short: string }> = {
  "create from an instance with an auto-name and sharedWith": {
    short: "ca",
    props: (label) => ({ ...SOURCE, sharedWith: SHARES, tags: createdTags(label) }),
    want: (label) => ({ tags: createdTags(label), shares: SHARES, deprecated: false }),
    expectRecorded: (a) => expect(a.slice(-2)).toEqual(["ModifyImageSharePermission", "DescribeImageSharePermission"]),
  },
  "create from an instance with an explicit name and sharedWith": {
    short: "ce",
    props: (label) => ({ ...SOURCE, imageName: `fe-${label}`, sharedWith: SHARES, tags: createdTags(label) }),
    want: (label) => ({ imageName: `fe-${label}`, tags: createdTags(label), shares: SHARES, deprecated: false }),
    expectRecorded: (a) => expect(a.slice(-2)).toEqual(["ModifyImageSharePermission", "DescribeImageSharePermission"]),
  },
  "create from snapshots with an auto-name, sharedWith and imageDeprecated": {
    short: "cs",
    props: (label) => ({ ...SNAPSHOTS, sharedWith: SHARES, imageDeprecated: true, tags: createdTags(label) }),
    want: (label) => ({ tags: createdTags(label), shares: SHARES, deprecated: true }),
    expectRecorded: (a) => expect(a).toContain("ModifyImageAttribute"),
  },
  "create by import with an explicit name and sharedWith": {
    short: "cm",
    props: (label) => ({ ...IMPORT, imageName: `fm-${label}`, sharedWith: SHARES, tags: createdTags(label) }),
    want: (label) => ({ imageName: `fm-${label}`, tags: createdTags(label), shares: SHARES, deprecated: false }),
    expectRecorded: (a) => expect(a[0]).toBe("ImportImage"),
  },
  "create by import with an auto-name and sharedWith": {
    short: "cn",
    props: (label) => ({ ...IMPORT, sharedWith: SHARES, tags: createdTags(label) }),
    want: (label) => ({ tags: createdTags(label), shares: SHARES, deprecated: false }),
    expectRecorded: (a) => expect(a[0]).toBe("ImportImage"),
  },
  "adopt with sharedWith": {
    short: "aa",
    prepare: outOfBandImage,
    props: (label, id) => ({ adoptImageId: id, sharedWith: SHARES }),
    want: (label) => ({ imageName: `fa-${label}`, tags: createdTags(label), shares: SHARES, deprecated: false }),
    expectRecorded: (a) => expect(a.filter((x) => x.startsWith("Modify"))).toEqual(["ModifyImageSharePermission"]),
  },
  "adopt with sharedWith, a rename, new tags and imageDeprecated": {
    short: "ab",
    prepare: outOfBandImage,
    props: (label, id) => ({
      adoptImageId: id,
      sharedWith: SHARES,
      imageName: `fb-${label}`,
      imageDeprecated: true,
      tags: { ...createdTags(label), team: "adopted" },
    }),
    want: (label) => ({
      imageName: `fb-${label}`,
      tags: { ...createdTags(label), team: "adopted" },
      shares: SHARES,
      deprecated: true,
    }),
    expectRecorded: (a) =>
      expect(a.filter((x) => x.startsWith("Modify"))).toEqual([
        "ModifyImageAttribute",
        "ModifyResourceTags",
        "ModifyImageSharePermission",
      ]),
  },
};

for (const [operation, c] of Object.entries(CREATES)) {
  const resource = (label: string) => `fc-${label}`;
  everyCall(
    operation,
    c.short,
    async (label) => {
      const prepared = c.prepare ? await c.prepare(label) : "";
      await h.clearCalls();
      const run = await engineCreate(resource(label), c.props(label, prepared));
      expect(run.error).toBeUndefined();
      const calls = await recordedCalls(h);
      await removeTagged(label);
      c.expectRecorded(calls.map((p) => p.action));
      return calls;
    },
    async ({ label, where, kind, fault, reRun }) => {
      const prepared = c.prepare ? await c.prepare(label) : "";
      const props = c.props(label, prepared);
      const before = await cloudOf(label);

      await fault.arm();
      const first = await engineCreate(resource(label), props);
      await fault.disarm();

      let state: EngineState;
      if (first.error) {
        const e = first.error;
        const after = await cloudOf(label);
        expectTruthfulFailure(where, e, kind, before, after);
        if (e.id) {
          // Recorded by an init error: the outputs are the image as the cloud shows it; the next up updates from them.
          expectRecordsCloud(where, e, after);
          expect([where, after.map((a) => a.id)]).toEqual([where, [e.id]]);
          if (reRun === "destroy") {
            await expectDestroyFromRecord(where, label, e);
            return { recorded: true };
          }
          const next = await engineUpdate(
            resource(label),
            { id: e.id, inputs: first.inputs, outs: e.properties },
            props,
            true,
          );
          expect([where, next.error?.message]).toEqual([where, undefined]);
          state = next.state;
        } else {
          // Nothing recorded: nothing may have changed (no image made; an adopted image untouched).
          expect([where, after]).toEqual([where, before]);
          const rerun = await engineCreate(resource(label), props);
          expect([where, rerun.error?.message]).toEqual([where, undefined]);
          state = rerun.state!;
        }
      } else {
        state = first.state!;
      }
      await expectConverged(where, label, resource(label), state, props, c.want(label, prepared));
      return { recorded: first.error?.id !== undefined };
    },
  );
}

// ---------------------------------------------------------------------------------------------
// update

interface UpdateCase {
  short: string;
  from(label: string): Rec;
  to(label: string): Rec;
  want(label: string): Want;
  expectRecorded(actions: string[]): void;
}

const UPDATES: Record<string, UpdateCase> = {
  "update: rename, tags changed, shares added and removed, deprecated, as one update": {
    short: "ua",
    from: (label) => ({
      ...SOURCE,
      imageName: `fu-${label}-a`,
      tags: { faultcase: label, team: "a", old: "1" },
      sharedWith: [BOB],
    }),
    to: (label) => ({
      ...SOURCE,
      imageName: `fu-${label}-b`,
      tags: { faultcase: label, team: "b", env: "x" },
      sharedWith: [CAROL, DAVE],
      imageDeprecated: true,
    }),
    want: (label) => ({
      imageName: `fu-${label}-b`,
      tags: { faultcase: label, team: "b", env: "x" },
      shares: [CAROL, DAVE],
      deprecated: true,
    }),
    expectRecorded: (a) =>
      expect(a.filter((x) => x.startsWith("Modify"))).toEqual([
        "ModifyImageAttribute",
        "ModifyResourceTags",
        "ModifyImageSharePermission",
        "ModifyImageSharePermission",
      ]),
  },
  "update: rename only (auto-name to an explicit name)": {
    short: "ur",
    from: (label) => ({ ...SOURCE, tags: { faultcase: label }, sharedWith: [BOB] }),
    to: (label) => ({ ...SOURCE, imageName: `fr-${label}`, tags: { faultcase: label }, sharedWith: [BOB] }),
    want: (label) => ({ imageName: `fr-${label}`, tags: { faultcase: label }, shares: [BOB], deprecated: false }),
    expectRecorded: (a) => expect(a.filter((x) => x.startsWith("Modify"))).toEqual(["ModifyImageAttribute"]),
  },
  "update: tags only (one changed, one added, one removed)": {
    short: "ut",
    from: (label) => ({ ...SOURCE, tags: { faultcase: label, team: "a", old: "1" } }),
    to: (label) => ({ ...SOURCE, tags: { faultcase: label, team: "b", env: "x" } }),
    want: (label) => ({ tags: { faultcase: label, team: "b", env: "x" }, shares: [], deprecated: false }),
    expectRecorded: (a) => expect(a.filter((x) => x.startsWith("Modify"))).toEqual(["ModifyResourceTags"]),
  },
  "update: shares only (one added, one removed)": {
    short: "us",
    from: (label) => ({ ...SOURCE, tags: { faultcase: label }, sharedWith: [BOB, CAROL] }),
    to: (label) => ({ ...SOURCE, tags: { faultcase: label }, sharedWith: [CAROL, DAVE] }),
    want: (label) => ({ tags: { faultcase: label }, shares: [CAROL, DAVE], deprecated: false }),
    expectRecorded: (a) =>
      expect(a.filter((x) => x.startsWith("Modify"))).toEqual([
        "ModifyImageSharePermission",
        "ModifyImageSharePermission",
      ]),
  },
};

for (const [operation, c] of Object.entries(UPDATES)) {
  const resource = (label: string) => `fu-${label}`;
  const start = async (label: string): Promise<EngineState> => {
    const made = await engineCreate(resource(label), c.from(label));
    expect(made.error).toBeUndefined();
    return made.state!;
  };
  everyCall(
    operation,
    c.short,
    async (label) => {
      const from = await start(label);
      await h.clearCalls();
      const run = await engineUpdate(resource(label), from, c.to(label), false);
      expect(run.error).toBeUndefined();
      const calls = await recordedCalls(h);
      await removeTagged(label);
      c.expectRecorded(calls.map((p) => p.action));
      return calls;
    },
    async ({ label, where, kind, fault, reRun }) => {
      const from = await start(label);
      const props = c.to(label);
      const before = await cloudOf(label);

      await fault.arm();
      const first = await engineUpdate(resource(label), from, props, false);
      await fault.disarm();

      let state = first.state;
      if (first.error) {
        const e = first.error;
        const after = await cloudOf(label);
        expectTruthfulFailure(where, e, kind, before, after);
        // The image id is known: every failure records the image as the cloud shows it.
        expect([where, "an init error", e.id]).toEqual([where, "an init error", from.id]);
        expectRecordsCloud(where, e, after);
        if (reRun === "destroy") {
          await expectDestroyFromRecord(where, label, e);
          return { recorded: true };
        }
        const next = await engineUpdate(resource(label), first.state, props, e.properties !== undefined);
        expect([where, next.error?.message]).toEqual([where, undefined]);
        state = next.state;
      }
      await expectConverged(where, label, resource(label), state, props, c.want(label));
      return { recorded: first.error !== undefined };
    },
  );
}

// ---------------------------------------------------------------------------------------------
// delete

interface DeleteCase {
  short: string;
  props(label: string): Rec;
  /** Out-of-band changes after the create (shares made outside the stack). */
  outOfBand?(id: string): Promise<void>;
  expectRecorded(actions: string[]): void;
}

const DELETES: Record<string, DeleteCase> = {
  "delete with managed shares": {
    short: "dm",
    props: (label) => ({ ...SOURCE, sharedWith: SHARES, tags: { faultcase: label } }),
    expectRecorded: (a) => {
      expect(a).toEqual(expect.arrayContaining(["DescribeImages", "DescribeImageSharePermission", ...USAGE_SCAN]));
      expect(a.filter((x) => x === "ModifyImageSharePermission" || x === "DeleteImages")).toEqual([
        "ModifyImageSharePermission",
        "DeleteImages",
      ]);
      expect(a.indexOf("DescribeImages", a.indexOf("DeleteImages"))).toBeGreaterThan(0);
    },
  },
  'delete with an unmanaged share under unmanagedShares: "unshare" (no managed shares: DeleteImages answers InShared)':
    {
      short: "du",
      props: (label) => ({ ...SOURCE, tags: { faultcase: label }, deletionPolicy: { unmanagedShares: "unshare" } }),
      outOfBand: async (id) =>
        void (await h
          .sdk()
          .request("ModifyImageSharePermission", { ImageId: id, AccountIds: [DAVE], Permission: "SHARE" })),
      expectRecorded: (a) => {
        expect(a.slice(0, 6)).toEqual(["DescribeImages", ...USAGE_SCAN, "DeleteImages", "DescribeImages"]);
        expect(a.filter((x) => x === "ModifyImageSharePermission" || x === "DeleteImages")).toEqual([
          "DeleteImages",
          "ModifyImageSharePermission",
          "DeleteImages",
        ]);
      },
    },
  'delete with managed and unmanaged shares under unmanagedShares: "unshare"': {
    short: "dv",
    props: (label) => ({
      ...SOURCE,
      sharedWith: [BOB],
      tags: { faultcase: label },
      deletionPolicy: { unmanagedShares: "unshare" },
    }),
    outOfBand: async (id) =>
      void (await h
        .sdk()
        .request("ModifyImageSharePermission", { ImageId: id, AccountIds: [DAVE], Permission: "SHARE" })),
    expectRecorded: (a) =>
      expect(a.filter((x) => x === "ModifyImageSharePermission" || x === "DeleteImages")).toEqual([
        "ModifyImageSharePermission",
        "DeleteImages",
      ]),
  },
  "delete with deleteSnapshots: true and a managed share": {
    short: "ds",
    props: (label) => ({
      ...SOURCE,
      sharedWith: [BOB],
      tags: { faultcase: label },
      deletionPolicy: { deleteSnapshots: true },
    }),
    expectRecorded: (a) =>
      expect(a.filter((x) => x === "ModifyImageSharePermission" || x === "DeleteImages")).toEqual([
        "ModifyImageSharePermission",
        "DeleteImages",
      ]),
  },
  "delete with no managed shares (one look that it is the recorded image, then DeleteImages without listing shares)": {
    short: "dn",
    props: (label) => ({ ...SOURCE, tags: { faultcase: label } }),
    expectRecorded: (a) => expect(a).toEqual(["DescribeImages", ...USAGE_SCAN, "DeleteImages", "DescribeImages"]),
  },
  "delete with no managed shares and deleteSnapshots: true": {
    short: "dp",
    props: (label) => ({ ...SOURCE, tags: { faultcase: label }, deletionPolicy: { deleteSnapshots: true } }),
    expectRecorded: (a) => expect(a).toEqual(["DescribeImages", ...USAGE_SCAN, "DeleteImages", "DescribeImages"]),
  },
};

for (const [operation, c] of Object.entries(DELETES)) {
  const resource = (label: string) => `fd-${label}`;
  const start = async (label: string): Promise<EngineState> => {
    const made = await engineCreate(resource(label), c.props(label));
    expect(made.error).toBeUndefined();
    await c.outOfBand?.(made.state!.id);
    return made.state!;
  };
  const deleteSnapshots = c.props("x").deletionPolicy?.deleteSnapshots === true;
  everyCall(
    operation,
    c.short,
    async (label) => {
      const { id, outs } = await start(label);
      await h.clearCalls();
      await provider.delete(id, outs);
      const calls = await recordedCalls(h);
      c.expectRecorded(calls.map((p) => p.action));
      return calls;
    },
    async ({ label, where, kind, fault }) => {
      const { id, outs } = await start(label);
      const before = await cloudOf(label);
      const snapshots = before[0]!.snapshotIds;
      expect(snapshots.length).toBeGreaterThan(0);

      await fault.arm();
      let failure: (Error & Rec) | undefined;
      await provider.delete(id, outs).catch((e) => (failure = e));
      await fault.disarm();

      if (failure) {
        const after = await cloudOf(label);
        expectTruthfulFailure(where, failure, kind, before, after);
        if (after.length) {
          // The image still exists: as before (its shares untouched, or put back), its snapshots kept.
          expect([where, after]).toEqual([where, before]);
          const left = await existingSnapshots();
          expect([where, snapshots.filter((s) => !left.has(s))]).toEqual([where, []]);
        }
        // The engine keeps the resource in the state: the next destroy deletes it.
        await provider.delete(id, outs);
      }
      expect([where, await liveShares(id)]).toEqual([where, null]);
      expect([where, await cloudOf(label)]).toEqual([where, []]);
      const left = await existingSnapshots();
      expect([where, snapshots.filter((s) => left.has(s))]).toEqual([where, deleteSnapshots ? [] : snapshots]);
      // The delete is the destroy: no further re-run.
      return { recorded: false };
    },
  );
}
