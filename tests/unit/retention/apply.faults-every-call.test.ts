/**
 * A fault at every call of a retention `up` (issue 22: "Fault at every call of a retention `up`
 * converges with nothing leaked or wrongly deleted"; "a lost answer, a throttled call or a killed
 * process never leaks or wrongly deletes, and the next `up` resumes"). For each scenario (an
 * immediate delete of a family's old images, one shared outside the stack under
 * `unmanagedShares: "unshare"`, with `deleteSnapshots`; each stage of a staged retirement: deprecate,
 * unshare, delete after the dwell; a restore of a staged image back in the keep set; every action in
 * one `up`), the API calls of a successful `up` (check + create through `imageRetentionProvider`) are
 * recorded; the `up` is then replayed failing at call k, for every k, once per fault kind (a server
 * error, a permission refusal, a dropped connection, a lost answer), and run again once, as the user
 * would (a new process: create again after a failed create, check + diff + update after a successful
 * one). Then:
 * - at every point: the kept images exist, untouched (shares, deprecation, no retention tag); no
 *   image outside the delete set is deleted, nor its snapshots; an image due for deletion that
 *   still exists after the failed run has the shares it had (cancelled shares put back);
 * - after the re-run: the images due for deletion are gone (with their bound snapshots under
 *   `deleteSnapshots`), each staged image is in its next stage (its tags, deprecation and shares),
 *   a restored image has its shares back, is not deprecated and carries no `retention:*` tag, and a
 *   further `up` has nothing to do;
 * - a failed run's message names a failed image of the plan, says to run `pulumi up` again and holds
 *   no credential; every change it does not name as failed was done (one failure stops no other);
 * - a faulted `up` that succeeded did each image's planned change or held it for the next `up`.
 * Two checks gather their findings over every case and are asserted once at the end: a failed
 * planning (nothing changed yet) says so and to run `pulumi up` again; a call refused while planning
 * (the usage scan) never restores a staged image (it holds its stage).
 * A summary of the counts (scenarios × calls × fault kinds) is printed at the end.
 */
import { imageRetentionProvider } from "pulumi-tencentcloud-images";
import { BOB, CAROL, DAVE, FIXTURES, PROVIDER_TEXT, useHarness } from "../../provider/harness";
import { type CallPoint, failAt, recordedCalls } from "../../provider/call-points";

type Rec = Record<string, any>;

const retention = imageRetentionProvider as Required<typeof imageRetentionProvider>;

// Transitions finish at once and no call is paced, so every replay makes the recorded calls in the recorded order.
const h = useHarness(undefined, {
  rateLimits: false,
  timing: { creatingMs: 0, importingMs: 0, syncingMs: 0, deleteLagMs: 0 },
});
// One usage scan per `up`, as in a real run (the harness makes every delete scan again).
// A lone delete does not wait 2 s for others to fill its batch (the emulator's deletes end at once,
// so the batcher takes the process for rate-bound).
beforeAll(() => {
  process.env.CVM_IMAGE_INSTANCE_SCAN_TTL_MS = "60000";
  process.env.CVM_IMAGE_DELETE_BATCH_MAX_GATHER_MS = "100";
});

const { resetProcess } =
  require("pulumi-tencentcloud-images/dist/cloud/process") as typeof import("../../../provider/src/cloud/process");

const GZ = "ap-guangzhou";
const DAY = 86_400_000;
/** Long past: a pre-seeded stage whose dwell is over. */
const LONG_AGO = "2000-01-01T00:00:00.000Z";
const ALICE_KEYS = [FIXTURES.accounts[0]!.secretId, FIXTURES.accounts[0]!.secretKey];

/** The fault kinds, as emulator fault rules. */
const FAULT_KINDS: Record<string, Rec> = {
  /** A server error: retried by the call layer. */
  InternalError: { error: "InternalError" },
  /** A refusal: that image's change (or the planning) stops at call k. */
  PermissionDenied: { error: "UnauthorizedOperation.PermissionDenied" },
  /** The connection drops before the action runs. */
  drop: { drop: true },
  /** The action runs and takes effect, then the connection drops: the answer is lost. */
  dropAfter: { dropAfter: true },
};
const KIND_NAMES = Object.keys(FAULT_KINDS);
const sorted = (list: readonly string[]) => [...list].sort();

// ---------------------------------------------------------------------------------------------
// Scenarios

type Stage = "deprecated" | "unshared";

/** One image of a scenario's family (index 0 is the newest), as seeded and as it must end. */
interface ImageCase {
  /** Shared with these accounts at the start (outside the stack). */
  shares?: string[];
  deprecated?: boolean;
  /** A stage recorded in its tags at the start, long ago (with the recorded shares). */
  stage?: Stage;
  recordedShares?: string[];
  /** Whether it has a bound snapshot of its own. */
  snapshot?: boolean;
  /** The decision of the `up`. */
  action: "keep" | "deprecate" | "unshare" | "delete" | "restore";
  /** How it must end (ignored for `delete`: gone). */
  end?: { shares: string[]; deprecated: boolean; stage?: Stage; recordedShares?: string[] };
}

interface Scenario {
  short: string;
  spec(family: string): Rec;
  images: ImageCase[];
  expectRecorded(actions: string[]): void;
}

const STAGED_RETIRE = { deprecate: "1h", unshare: "1h" };
const USAGE_SCAN = ["DescribeInstances", "DescribeLaunchTemplates", "DescribeLaunchConfigurations"];
const untouched = (shares: string[] = [], deprecated = false) => ({ shares, deprecated });

const SCENARIOS: Record<string, Scenario> = {
  'immediate delete: two old images (one shared outside, under unmanagedShares "unshare"), deleteSnapshots': {
    short: "a",
    spec: (family) => ({
      family,
      keepNewest: 2,
      deletionPolicy: { unmanagedShares: "unshare", deleteSnapshots: true },
    }),
    images: [
      { snapshot: true, action: "keep", end: untouched() },
      { shares: [CAROL], snapshot: true, action: "keep", end: untouched([CAROL]) },
      { snapshot: true, action: "delete" },
      { shares: [BOB], snapshot: true, action: "delete" },
    ],
    expectRecorded: (a) => {
      // One listing, one usage scan, the shares of the two that may retire; then the deletes.
      expect(a.slice(0, 6)).toEqual([
        "DescribeImages",
        ...USAGE_SCAN,
        "DescribeImageSharePermission",
        "DescribeImageSharePermission",
      ]);
      expect(a.filter((x) => x === "ModifyImageSharePermission")).toEqual(["ModifyImageSharePermission"]);
      expect(a).toContain("DeleteImages");
    },
  },
  "staged, deprecate stage: an old image is marked deprecated (its shares kept)": {
    short: "d",
    spec: (family) => ({
      family,
      keepNewest: 1,
      retire: STAGED_RETIRE,
      deletionPolicy: { unmanagedShares: "unshare" },
    }),
    images: [
      { shares: [CAROL], action: "keep", end: untouched([CAROL]) },
      { shares: [BOB], action: "deprecate", end: { shares: [BOB], deprecated: true, stage: "deprecated" } },
    ],
    expectRecorded: (a) =>
      expect(a.filter((x) => x.startsWith("Modify"))).toEqual(["ModifyResourceTags", "ModifyImageAttribute"]),
  },
  "staged, unshare stage: a deprecated image past its dwell has its shares cancelled (and recorded)": {
    short: "u",
    spec: (family) => ({
      family,
      keepNewest: 1,
      retire: STAGED_RETIRE,
      deletionPolicy: { unmanagedShares: "unshare" },
    }),
    images: [
      { shares: [CAROL], action: "keep", end: untouched([CAROL]) },
      {
        shares: [BOB, DAVE],
        deprecated: true,
        stage: "deprecated",
        action: "unshare",
        end: { shares: [], deprecated: true, stage: "unshared", recordedShares: [BOB, DAVE] },
      },
    ],
    expectRecorded: (a) =>
      expect(a.filter((x) => x.startsWith("Modify"))).toEqual(["ModifyResourceTags", "ModifyImageSharePermission"]),
  },
  "staged, delete stage: an unshared image past its dwell is deleted": {
    short: "x",
    spec: (family) => ({
      family,
      keepNewest: 1,
      retire: STAGED_RETIRE,
      deletionPolicy: { unmanagedShares: "unshare" },
    }),
    images: [
      { shares: [CAROL], snapshot: true, action: "keep", end: untouched([CAROL]) },
      { deprecated: true, stage: "unshared", recordedShares: [BOB], snapshot: true, action: "delete" },
    ],
    expectRecorded: (a) =>
      expect(a.filter((x) => x.startsWith("Modify") || x === "DeleteImages")).toEqual(["DeleteImages"]),
  },
  "every action in one up: a restore, a keep, a deprecate, two unshares (one shared again outside past its dwell, started over) and a delete":
    {
      short: "m",
      spec: (family) => ({
        family,
        keepNewest: 2,
        retire: STAGED_RETIRE,
        deletionPolicy: { unmanagedShares: "unshare", deleteSnapshots: true },
      }),
      images: [
        { deprecated: true, stage: "unshared", recordedShares: [BOB], action: "restore", end: untouched([BOB]) },
        { shares: [CAROL], snapshot: true, action: "keep", end: untouched([CAROL]) },
        { shares: [DAVE], action: "deprecate", end: { shares: [DAVE], deprecated: true, stage: "deprecated" } },
        {
          shares: [BOB],
          deprecated: true,
          stage: "deprecated",
          action: "unshare",
          end: { shares: [], deprecated: true, stage: "unshared", recordedShares: [BOB] },
        },
        { deprecated: true, stage: "unshared", recordedShares: [CAROL], snapshot: true, action: "delete" },
        {
          shares: [DAVE],
          deprecated: true,
          stage: "unshared",
          recordedShares: [BOB],
          snapshot: true,
          action: "unshare",
          end: { shares: [], deprecated: true, stage: "unshared", recordedShares: [BOB, DAVE] },
        },
      ],
      expectRecorded: (a) => {
        expect(a.filter((x) => x === "DescribeImageSharePermission").length).toBeGreaterThanOrEqual(4);
        expect(sorted(a.filter((x) => x.startsWith("Modify")))).toEqual(
          sorted([
            ...["ModifyImageSharePermission", "ModifyImageAttribute", "ModifyResourceTags"], // restore
            ...["ModifyResourceTags", "ModifyImageAttribute"], // deprecate
            ...["ModifyResourceTags", "ModifyImageSharePermission"], // unshare
            ...["ModifyResourceTags", "ModifyImageSharePermission"], // the unshare started over (shared again outside)
          ]),
        );
        expect(a).toContain("DeleteImages");
      },
    },
  "restore: staged images back in the keep set are shared again, not deprecated, their tags removed": {
    short: "r",
    spec: (family) => ({
      family,
      keepNewest: 2,
      retire: STAGED_RETIRE,
      deletionPolicy: { unmanagedShares: "unshare" },
    }),
    images: [
      {
        deprecated: true,
        stage: "unshared",
        recordedShares: [BOB, DAVE],
        action: "restore",
        end: untouched([BOB, DAVE]),
      },
      { shares: [CAROL], deprecated: true, stage: "deprecated", action: "restore", end: untouched([CAROL]) },
      { shares: [CAROL], action: "deprecate", end: { shares: [CAROL], deprecated: true, stage: "deprecated" } },
    ],
    expectRecorded: (a) =>
      expect(sorted(a.filter((x) => x.startsWith("Modify")))).toEqual(
        sorted([
          "ModifyImageSharePermission",
          "ModifyImageAttribute",
          "ModifyResourceTags",
          "ModifyImageAttribute",
          "ModifyResourceTags",
          "ModifyResourceTags",
          "ModifyImageAttribute",
        ]),
      ),
  },
};

// ---------------------------------------------------------------------------------------------
// Seeding and looking

let serial = 0;
/** A fresh family of the scenario's images: ids, snapshot ids, the family name. */
async function seed(sc: Scenario): Promise<{ family: string; ids: string[]; snaps: (string | undefined)[] }> {
  const n = (serial++).toString(36).padStart(5, "0");
  const family = `ret-${sc.short}${n}`;
  const ids = sc.images.map((_, i) => `img-${sc.short}${n}${String(i).padStart(2, "0")}`);
  const snaps = sc.images.map((c, i) => (c.snapshot ? `snap-${sc.short}${n}${String(i).padStart(2, "0")}` : undefined));
  const now = Date.now();
  await h.control("POST", "fixtures", {
    snapshots: snaps.filter(Boolean).map((snapshotId) => ({ snapshotId, region: GZ, owner: "alice" })),
    images: sc.images.map((c, i) => ({
      imageId: ids[i],
      owner: "alice",
      region: GZ,
      name: `${family}-${i}`,
      family,
      createdTime: new Date(now - (i + 1) * DAY).toISOString().replace(/\.\d+Z$/, "Z"),
      ...(snaps[i] ? { snapshotIds: [snaps[i]] } : {}),
      ...(c.shares ? { sharedWith: c.shares.map((accountId) => ({ accountId })) } : {}),
      ...(c.deprecated ? { deprecated: true } : {}),
      tags: [
        { Key: "faultcase", Value: family },
        ...(c.stage
          ? [
              { Key: "retention:stage", Value: c.stage },
              { Key: "retention:since", Value: LONG_AGO },
            ]
          : []),
        ...(c.recordedShares ? [{ Key: "retention:shares.0", Value: c.recordedShares.join(" ") }] : []),
      ],
    })),
  });
  return { family, ids, snaps };
}

/** One image as the cloud shows it; null when gone. */
interface View {
  state: string;
  deprecated: boolean;
  shares: string[];
  retention: Record<string, string>;
}

/** The images as the cloud shows them (one DescribeImages, one share listing each). */
async function look(ids: string[]): Promise<(View | null)[]> {
  const r = await h.sdk("alice", GZ).request("DescribeImages", { ImageIds: ids, Limit: 100 });
  const listed = new Map(((r.ImageSet ?? []) as Rec[]).map((i) => [i.ImageId as string, i]));
  return Promise.all(
    ids.map(async (id) => {
      const i = listed.get(id);
      if (!i) return null;
      let shares: string[];
      try {
        const s = await h.sdk("alice", GZ).request("DescribeImageSharePermission", { ImageId: id });
        shares = sorted(((s.SharePermissionSet ?? []) as Rec[]).map((p) => p.AccountId));
      } catch (e) {
        if ((e as Rec).code === "InvalidImageId.NotFound") return null;
        throw e;
      }
      const tags = ((i.Tags ?? []) as Rec[]).filter((t) => String(t.Key).startsWith("retention:"));
      return {
        state: i.ImageState,
        deprecated: i.ImageDeprecated === true,
        shares,
        retention: Object.fromEntries(tags.map((t) => [t.Key, t.Value])),
      };
    }),
  );
}

/** Deletes a case's images out of band (the next case's listing stays one page). */
async function removeAll(ids: string[]): Promise<void> {
  const views = await look(ids);
  const sdk = h.sdk("alice", GZ);
  for (const [i, v] of views.entries()) {
    if (!v) continue;
    if (v.shares.length)
      await sdk.request("ModifyImageSharePermission", { ImageId: ids[i], AccountIds: v.shares, Permission: "CANCEL" });
    await sdk.request("DeleteImages", { ImageIds: [ids[i]] });
  }
}

async function existingSnapshots(): Promise<Set<string>> {
  return new Set(((await h.state()).snapshots as Rec[]).map((s) => s.snapshotId));
}

/** The retention tags the seed put on image `c`. */
function seededTags(c: ImageCase): Record<string, string> {
  return {
    ...(c.stage ? { "retention:stage": c.stage, "retention:since": LONG_AGO } : {}),
    ...(c.recordedShares ? { "retention:shares.0": c.recordedShares.join(" ") } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// The engine

/** A retention `up` as the engine runs it, in a new process. */
interface UpResult {
  id?: string;
  inputs: Rec;
  outs?: Rec;
  error?: Error;
}

async function checked(props: Rec): Promise<Rec> {
  // The engine sends `__provider` with the inputs and puts it back on the checked ones.
  const c = await retention.check({}, { ...props, resourceName: "retention", __provider: PROVIDER_TEXT });
  expect(c.failures ?? []).toEqual([]);
  return { ...c.inputs, __provider: PROVIDER_TEXT };
}

/** check + create: the first `up`, or the next one after a failed create (nothing recorded). */
async function engineCreate(props: Rec): Promise<UpResult> {
  resetProcess();
  const inputs = await checked(props);
  try {
    const r = await retention.create(inputs);
    return { id: r.id, inputs, outs: { ...r.outs, __provider: PROVIDER_TEXT } };
  } catch (e) {
    return { inputs, error: e as Error };
  }
}

/** check + diff + update when the diff shows a change: the next `up` after a successful one. */
async function engineUpdate(id: string, olds: Rec, props: Rec): Promise<UpResult & { changes: boolean }> {
  resetProcess();
  const news = await checked(props);
  const diff = await retention.diff(id, olds, news);
  if (!diff.changes) return { id, inputs: news, outs: olds, changes: false };
  try {
    const r = await retention.update(id, olds, news);
    return { id, inputs: news, outs: { ...r.outs, __provider: PROVIDER_TEXT }, changes: true };
  } catch (e) {
    return { id, inputs: news, error: e as Error, changes: true };
  }
}

// ---------------------------------------------------------------------------------------------
// What must hold

/** Holds at any point of a case: nothing kept is touched, nothing outside the delete set deleted, no share lost. */
async function expectSafe(
  where: string,
  sc: Scenario,
  ids: string[],
  snaps: (string | undefined)[],
  views: (View | null)[],
): Promise<void> {
  const left = await existingSnapshots();
  sc.images.forEach((c, i) => {
    const v = views[i];
    const at = `${where}: image ${i} (${ids[i]}, ${c.action})`;
    if (c.action !== "delete") {
      expect([at, "never deleted", v !== null]).toEqual([at, "never deleted", true]);
      if (snaps[i]) expect([at, "its snapshot kept", left.has(snaps[i]!)]).toEqual([at, "its snapshot kept", true]);
    }
    if (c.action === "keep")
      expect([at, "untouched", v]).toEqual([
        at,
        "untouched",
        { state: "NORMAL", deprecated: c.deprecated === true, shares: sorted(c.shares ?? []), retention: {} },
      ]);
  });
}

/** A restore that has not finished leaves nothing lost: each recorded share is either back or still recorded. */
function expectNoShareLost(where: string, sc: Scenario, ids: string[], views: (View | null)[]): void {
  sc.images.forEach((c, i) => {
    const v = views[i];
    if (!v) return;
    const at = `${where}: image ${i} (${ids[i]}, ${c.action})`;
    const known = new Set([
      ...v.shares,
      ...Object.entries(v.retention)
        .filter(([k]) => k.startsWith("retention:shares."))
        .flatMap(([, val]) => val.split(" ")),
    ]);
    const had = [...(c.shares ?? []), ...(c.recordedShares ?? [])];
    expect([at, "every share it had is shared or recorded", had.filter((a) => !known.has(a))]).toEqual([
      at,
      "every share it had is shared or recorded",
      [],
    ]);
  });
}

/** After the re-run: each image where the plan takes it. */
async function expectConverged(
  where: string,
  sc: Scenario,
  ids: string[],
  snaps: (string | undefined)[],
  started: number,
): Promise<void> {
  const views = await look(ids);
  await expectSafe(where, sc, ids, snaps, views);
  const left = await existingSnapshots();
  sc.images.forEach((c, i) =>
    expectEnd(`${where}: image ${i} (${ids[i]}, ${c.action})`, sc, c, views[i]!, snaps[i], left, started),
  );
}

/** One image where the plan takes it: gone (with its snapshot under deleteSnapshots), or in its end state. */
function expectEnd(
  at: string,
  sc: Scenario,
  c: ImageCase,
  v: View | null,
  snap: string | undefined,
  left: Set<string>,
  started: number,
): void {
  if (c.action === "delete") {
    expect([at, "gone", v]).toEqual([at, "gone", null]);
    const deleteSnapshots = sc.spec("f").deletionPolicy?.deleteSnapshots === true;
    if (snap)
      expect([at, "its snapshot deleted with it", left.has(snap)]).toEqual([
        at,
        "its snapshot deleted with it",
        !deleteSnapshots,
      ]);
    return;
  }
  const end = c.end!;
  const { "retention:since": since, ...tags } = v?.retention ?? {};
  expect([at, v?.state, v?.deprecated, v?.shares, tags]).toEqual([
    at,
    "NORMAL",
    end.deprecated,
    sorted(end.shares),
    {
      ...(end.stage ? { "retention:stage": end.stage } : {}),
      ...(end.recordedShares ? { "retention:shares.0": expect.any(String) } : {}),
    },
  ]);
  if (end.recordedShares)
    expect([at, sorted(tags["retention:shares.0"]!.split(" "))]).toEqual([at, sorted(end.recordedShares)]);
  if (end.stage) {
    // A stage begun by this case: its start is the first attempt's (a resumed stage keeps it).
    const t = Date.parse(since ?? "");
    expect([at, "stage began in the case", t >= started - 1000 && t <= Date.now()]).toEqual([
      at,
      "stage began in the case",
      true,
    ]);
  } else expect([at, "no retention:since", since]).toEqual([at, "no retention:since", undefined]);
}

/** The images a failed run's message names as failed (`img-… (action): …`). */
const namedFailures = (message: string): string[] =>
  [...message.matchAll(/(img-[a-z0-9]+) \((\w+)\):/g)].map((m) => m[1]!);

/** Staged images restored by a faulted `up` that succeeded (a refused usage listing), by case. */
const wrongRestores: string[] = [];

/** Planning failures (no image changed yet) whose message lacks the way forward, by case. */
const planningWithoutWayForward: string[] = [];

function expectTruthfulFailure(where: string, sc: Scenario, ids: string[], kind: string, e: Error): void {
  const tell = (what: string, ok: boolean) =>
    expect([where, what, e.message, ok]).toEqual([where, what, e.message, true]);
  tell(
    "no credential",
    ALICE_KEYS.every((k) => !e.message.includes(k)),
  );
  if (FAULT_KINDS[kind]!.error) tell("names the injected code", e.message.includes(FAULT_KINDS[kind]!.error));
  const changing = ids.filter((_, i) => sc.images[i]!.action !== "keep");
  const named = namedFailures(e.message);
  if (named.length) {
    tell(
      "names only images the plan changes",
      named.every((n) => changing.includes(n)),
    );
    tell("says to run `pulumi up` again", /run `pulumi up` again/.test(e.message));
    return;
  }
  // Failed while planning (listing the images or their shares): nothing was changed, or (changes
  // start as soon as their image is decided) the changes started before are counted.
  tell("a planning failure names the call that failed", /Describe\w+/.test(e.message));
  const truthful =
    /nothing was changed/i.test(e.message) ||
    /could not be read to the end .*; of the \d+ changes started before/.test(e.message);
  if (!truthful || !/run `pulumi up` again/.test(e.message)) planningWithoutWayForward.push(`${where}: ${e.message}`);
}

// ---------------------------------------------------------------------------------------------
// The cases

const counts: Record<string, Record<string, number>> = {};
const failedRuns: Record<string, number> = {};
const callCounts: Record<string, number> = {};
afterAll(() => {
  const lines: string[] = [];
  let total = 0;
  for (const [scenario, byKind] of Object.entries(counts)) {
    const n = Object.values(byKind).reduce((a, b) => a + b, 0);
    total += n;
    const kinds = KIND_NAMES.map((k) => `${k} ${byKind[k] ?? 0}`).join(", ");
    lines.push(
      `${scenario}: ${callCounts[scenario]} calls × ${Object.keys(byKind).length} fault kinds = ${n} (${kinds}); ` +
        `${failedRuns[scenario] ?? 0} runs failed and were resumed by the next up`,
    );
  }
  process.stdout.write(
    `retention fault at every call: ${Object.keys(counts).length} scenarios, ${total} cases converged\n  ${lines.join("\n  ")}\n`,
  );
});

async function firedTimes(ruleId: string): Promise<number> {
  const { faults } = await h.control("GET", "faults");
  return (faults as Array<{ id: string; fired: number }>).find((f) => f.id === ruleId)?.fired ?? 0;
}

/** One `up` of the scenario and its re-run; `fault` (when given) fails the first `up` at that call. */
async function runCase(
  where: string,
  sc: Scenario,
  fault?: { point: CallPoint; kind: string },
): Promise<{ calls: CallPoint[]; failed: boolean; fired?: number }> {
  const { family, ids, snaps } = await seed(sc);
  const props = sc.spec(family);
  const started = Date.now();
  await h.clearCalls();
  const rule = fault ? await failAt(h, fault.point, FAULT_KINDS[fault.kind]!) : undefined;
  const first = await engineCreate(props);
  const calls = await recordedCalls(h);
  const fired = rule ? await firedTimes(rule) : undefined;
  await h.control("DELETE", "faults");

  // What the first `up` did: planned, or (a use that could not be checked) held for the next `up`.
  const did = new Map(((first.outs?.images ?? []) as Rec[]).map((d) => [d.imageId as string, d as Rec]));
  const after = `${where}, after the first up`;
  const restarted = new Set<number>();
  sc.images.forEach((c, i) => {
    const d = did.get(ids[i]!);
    if (!d || d.action === c.action) return;
    const at = `${after}: image ${i} (${ids[i]})`;
    if (d.action === "restore" && c.stage) {
      // A staged image restored because a call was refused while planning: its retirement starts over.
      wrongRestores.push(`${at}: the ${c.stage} image was restored (${d.reason})`);
      restarted.add(i);
      return;
    }
    const held = fault !== undefined && /^(keep|wait)$/.test(d.action);
    expect([at, "done as planned or held for the next up", d.action, d.reason, held]).toEqual([
      at,
      "done as planned or held for the next up",
      d.action,
      d.reason,
      true,
    ]);
  });

  // Whatever the first `up` did or left, nothing kept is touched and nothing is lost.
  const views = await look(ids);
  await expectSafe(after, sc, ids, snaps, views);
  expectNoShareLost(after, sc, ids, views);
  // An image due for deletion that is still there has the shares it had (a stopped delete puts them back).
  sc.images.forEach((c, i) => {
    const at = `${after}: image ${i} (${ids[i]})`;
    if (c.action === "delete" && views[i] && !restarted.has(i))
      expect([at, views[i]!.shares]).toEqual([at, sorted(c.shares ?? [])]);
  });

  let state: { id: string; outs: Rec };
  if (first.error) {
    expect([where, "only a faulted up fails", fault !== undefined]).toEqual([where, "only a faulted up fails", true]);
    expectTruthfulFailure(where, sc, ids, fault!.kind, first.error);
    // One image's failure stops no other: every change the message does not name as failed was done.
    const named = namedFailures(first.error.message);
    if (named.length) {
      const left = await existingSnapshots();
      sc.images.forEach((c, i) => {
        if (c.action === "keep" || named.includes(ids[i]!)) return;
        const at = `${after}: image ${i} (${ids[i]}, ${c.action}), not named as failed`;
        expectEnd(at, sc, c, views[i]!, snaps[i], left, started);
      });
    }
    // Nothing recorded: the next `up` creates again.
    const again = await engineCreate(props);
    expect([where, "the next up", again.error?.message]).toEqual([where, "the next up", undefined]);
    state = { id: again.id!, outs: again.outs! };
  } else {
    // The next `up` (as the user runs it) does what was held.
    const next = await engineUpdate(first.id!, first.outs!, props);
    expect([where, "the next up", next.error?.message]).toEqual([where, "the next up", undefined]);
    state = { id: first.id!, outs: next.outs! };
  }
  if (!restarted.size) await expectConverged(where, sc, ids, snaps, started);
  else await expectSafe(`${where}, after the next up`, sc, ids, snaps, await look(ids));
  // A further `up` has nothing to do.
  const further = await engineUpdate(state.id, state.outs, props);
  expect([where, "a further up has nothing to do", further.changes, further.error?.message]).toEqual([
    where,
    "a further up has nothing to do",
    false,
    undefined,
  ]);
  await removeAll(ids);
  return { calls, failed: first.error !== undefined, fired };
}

for (const [scenario, sc] of Object.entries(SCENARIOS)) {
  describe(scenario, () => {
    let calls: CallPoint[] = [];
    beforeAll(async () => {
      const recorded = await runCase(`${scenario}: the recorded run`, sc);
      calls = recorded.calls;
      sc.expectRecorded(calls.map((c) => c.action));
      callCounts[scenario] = calls.length;
    });

    test.each(KIND_NAMES)(
      "failing at every call with %s: the next up converges, nothing leaked or wrongly deleted",
      async (kind) => {
        expect(calls.length).toBeGreaterThan(0);
        for (const [k, point] of calls.entries()) {
          const where = `${scenario}: ${kind} at call ${k + 1} (${point.action} #${point.occurrence})`;
          const { failed, fired } = await runCase(where, sc, { point, kind });
          expect([where, "the fault fired once", fired]).toEqual([where, "the fault fired once", 1]);
          counts[scenario] ??= {};
          counts[scenario]![kind] = (counts[scenario]![kind] ?? 0) + 1;
          if (failed) failedRuns[scenario] = (failedRuns[scenario] ?? 0) + 1;
        }
      },
      120_000,
    );
  });
}

// What the cases above collected, each asserted once with every case it concerns.

test("a call refused while planning (the usage scan) holds a staged image in its stage: never restores it", () => {
  expect(wrongRestores).toEqual([]);
});

test("a failed planning says nothing was changed and to run `pulumi up` again", () => {
  expect(planningWithoutWayForward).toEqual([]);
});
