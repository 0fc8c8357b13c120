// Recorded states: a stack's state (`pulumi stack export`) and the emulator's state (the state-file
// format) written by an older version of the package, kept under tests/fixtures/states/<name>/, so
// tests can prove that the current package still refreshes and destroys what older ones created.
// tests/support/record-states.ts writes them; tests/e2e/upgrade.test.ts replays them.
import * as fs from "node:fs";
import * as path from "node:path";
import { DEFAULT_FIXTURES_PATH, startEmulator, type StateFile } from "../../emulator/src";
import type { RunningEmulator } from "./e2e";
import { repoRoot } from "./toolchain";

export const PACKAGE = "pulumi-tencentcloud-images";

/** Where recorded states live, one folder each. */
export const recordedStatesDir = path.join(repoRoot, "tests", "fixtures", "states");

/** The emulator's timings in recordings and replays: transitions in well under a second. */
export const QUICK_TIMING = { creatingMs: 400, importingMs: 400, syncingMs: 400, deleteLagMs: 200 };

/** What a recording is: the files of one folder under tests/fixtures/states/. */
export interface RecordedState {
  dir: string;
  meta: RecordingMeta;
  /** `pulumi stack export` of the old version's stack, as recorded. */
  stackText: string;
  /** The emulator's state, without its accounts (their keys are credentials). */
  emulator: StateFile;
  /** What the old version's own refresh and destroy did, starting from the recorded states. */
  expected: OldEffects;
}

/** recording.json: how the recording was made and what the stack holds. */
export interface RecordingMeta {
  /** The commit whose provider wrote the state. */
  commit: string;
  /** provider/package.json's version at that commit. */
  packageVersion: string;
  /** The stack the state belongs to (its URNs name it). */
  stackName: string;
  /** The Pulumi project (tests/e2e/program's Pulumi.yaml). */
  project: string;
  /** The endpoint the emulator listened on while recording (any occurrence is rewritten at replay). */
  endpoint: string;
  /** The images the program declared (logical name → inputs). */
  declared: Array<{ name: string; args: Record<string, unknown> }>;
  /** Logical name → image id, and region → copy id for images with copies. */
  images: Record<string, { id: string; region: string; copies: Record<string, string> }>;
  /** Images of the emulator state the stack does not manage (they must outlive the destroy). */
  unrelatedImages: string[];
  /** Shares made by hand after `pulumi up` (unmanaged shares the deletion policy deals with). */
  sharedByHand: Record<string, string[]>;
  /** The command that regenerates this folder. */
  regenerate: string;
}

/** expected.json: the cloud changes the old version's refresh and destroy made from the recorded states. */
export interface OldEffects {
  refresh: { exitCode: number; changedOutputs: Record<string, string[]>; calls: CallSummary };
  destroy: { exitCode: number; effects: EmulatorEffects; calls: CallSummary };
}

/**
 * The calls that change the cloud, counted by action (DeleteImages left out: how many deletes go
 * in one call depends on timing), and every refused call as `Action: Code`, sorted.
 */
export interface CallSummary {
  changes: Record<string, number>;
  refusals: string[];
}

const CHANGING_ACTIONS = [
  "CreateImage",
  "ImportImage",
  "SyncImages",
  "ModifyImageAttribute",
  "ModifyImageSharePermission",
  "DeleteSnapshots",
  "ModifyResourceTags",
];

/** The {@link CallSummary} of the emulator's call log (`GET /_emulator/calls`). */
export function callSummary(log: Array<{ action: string; errorCode?: string }>): CallSummary {
  const changes: Record<string, number> = {};
  for (const c of log) if (CHANGING_ACTIONS.includes(c.action)) changes[c.action] = (changes[c.action] ?? 0) + 1;
  const refusals = log.filter((c) => c.errorCode).map((c) => `${c.action}: ${c.errorCode}`);
  return { changes, refusals: refusals.sort() };
}

/** What changed between two emulator states, by id. */
export interface EmulatorEffects {
  /** Images deleted (gone, or in their deletion lag). */
  deletedImages: string[];
  /** Snapshots deleted. */
  deletedSnapshots: string[];
  /** Images (still there) whose record changed, with the fields that did. */
  changedImages: Record<string, string[]>;
  /** Images that appeared. */
  newImages: string[];
  /** Instances, launch templates and launch configurations that appeared or went. */
  otherChanges: string[];
}

/** The emulator state's images that are live (not deleted, not in their deletion lag). */
export function liveImages(state: StateFile): Map<string, StateFile["images"][number]> {
  return new Map(state.images.filter((i) => i.goneAt === undefined).map((i) => [i.imageId, i]));
}

/** The cloud changes from one emulator state to a later one (run-time fields left out). */
export function effectsBetween(before: StateFile, after: StateFile): EmulatorEffects {
  const was = liveImages(before);
  const now = liveImages(after);
  const comparable = (i: StateFile["images"][number]) => {
    const { pending: _p, goneAt: _g, state: _s, ...rest } = i;
    return { ...rest, state: i.pending ? i.pending.to : i.state };
  };
  const changedImages: Record<string, string[]> = {};
  for (const [id, image] of was) {
    const later = now.get(id);
    if (!later) continue;
    const a = comparable(image) as Record<string, unknown>;
    const b = comparable(later) as Record<string, unknown>;
    const fields = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter(
      (k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]),
    );
    if (fields.length > 0) changedImages[id] = fields.sort();
  }
  const ids = (list: Array<Record<string, unknown>> | undefined, key: string) =>
    new Set((list ?? []).map((x) => String(x[key])));
  const snapsAfter = ids(after.snapshots as any, "snapshotId");
  const otherChanges: string[] = [];
  for (const [list, key] of [
    ["instances", "instanceId"],
    ["launchTemplates", "launchTemplateId"],
    ["launchConfigurations", "launchConfigurationId"],
  ] as const) {
    const a = ids((before as any)[list], key);
    const b = ids((after as any)[list], key);
    for (const id of a) if (!b.has(id)) otherChanges.push(`${list}: ${id} gone`);
    for (const id of b) if (!a.has(id)) otherChanges.push(`${list}: ${id} new`);
  }
  return {
    deletedImages: [...was.keys()].filter((id) => !now.has(id)).sort(),
    deletedSnapshots: (before.snapshots ?? [])
      .map((s) => s.snapshotId)
      .filter((id) => !snapsAfter.has(id))
      .sort(),
    changedImages,
    newImages: [...now.keys()].filter((id) => !was.has(id)).sort(),
    otherChanges: otherChanges.sort(),
  };
}

/** The emulator state as it may be recorded: without the accounts, whose keys are credentials. */
export function withoutAccounts(state: StateFile): StateFile {
  const { accounts: _accounts, ...rest } = state;
  return rest as StateFile;
}

/** A recorded emulator state made whole again: the accounts of the default fixtures put back. */
export function withDefaultAccounts(state: StateFile): StateFile {
  const fixtures = JSON.parse(fs.readFileSync(DEFAULT_FIXTURES_PATH, "utf8"));
  return { ...state, accounts: fixtures.accounts };
}

/**
 * A copy of a Pulumi program with its own installed copy of the package (package.json, dist and
 * bin, as `npm install` of the packed package lays it out), inside the repository so that
 * `@pulumi/pulumi` and the package's dependencies resolve from the workspace's node_modules.
 */
export function programWithPackage(name: string, programFrom: string, packageFrom: string): string {
  const dir = path.join(repoRoot, "tests", "e2e", ".work", `${name}-${process.pid}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  for (const f of ["Pulumi.yaml", "index.ts", "tsconfig.json"])
    fs.copyFileSync(path.join(programFrom, f), path.join(dir, f));
  const installed = path.join(dir, "node_modules", PACKAGE);
  fs.mkdirSync(installed, { recursive: true });
  const src = path.join(packageFrom, "src");
  for (const f of ["package.json", "dist", "bin"]) {
    if (!fs.existsSync(path.join(packageFrom, f))) continue;
    fs.cpSync(path.join(packageFrom, f), path.join(installed, f), {
      recursive: true,
      // `tsc -b` leaves the outputs of deleted or moved sources in dist/: a clean build has none.
      filter: (from) =>
        f !== "dist" ||
        !fs.existsSync(src) ||
        builtFromASource(path.relative(path.join(packageFrom, "dist"), from), src),
    });
  }
  return dir;
}

/** Whether a file of dist/ (a relative path) comes from a source that still exists (or is not a build output). */
function builtFromASource(rel: string, src: string): boolean {
  if (rel === "") return true;
  const base = rel.replace(/(\.d\.ts\.map|\.d\.ts|\.js\.map|\.js)$/, "");
  if (base === rel) return true;
  return fs.existsSync(path.join(src, `${base}.ts`));
}

/** Reads one recording. */
export function readRecording(name: string): RecordedState {
  const dir = path.join(recordedStatesDir, name);
  const read = (f: string) => fs.readFileSync(path.join(dir, f), "utf8");
  return {
    dir,
    meta: JSON.parse(read("recording.json")),
    stackText: read("stack.json"),
    emulator: JSON.parse(read("emulator.json")),
    expected: JSON.parse(read("expected.json")),
  };
}

/** An emulator started from a recorded state (accounts put back), keeping its state in a file. */
export async function startRecordedEmulator(
  recording: RecordedState,
  stateDir: string,
): Promise<{ emu: RunningEmulator; statePath: string }> {
  const statePath = path.join(stateDir, "emulator-state.json");
  fs.writeFileSync(statePath, JSON.stringify(withDefaultAccounts(recording.emulator)));
  const emu = await startEmulator({ port: 0, statePath, timing: QUICK_TIMING });
  return { emu, statePath };
}

/** The emulator's state now (its state file is written after every change). */
export function readEmulatorState(statePath: string): StateFile {
  return JSON.parse(fs.readFileSync(statePath, "utf8"));
}

/** The recorded stack state with the recording's endpoint, wherever it appears, pointed at `endpoint`. */
export function stackTextFor(recording: RecordedState, endpoint: string): string {
  const from = recording.meta.endpoint;
  const hostPort = (url: string) => url.replace(/^https?:\/\//, "");
  return recording.stackText.split(from).join(endpoint).split(hostPort(from)).join(hostPort(endpoint));
}

/** Outputs of each CustomImage in a `pulumi stack export`, by logical name. */
export function imageOutputs(exported: any, type: string): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const r of exported.deployment.resources ?? []) {
    if (r.type !== type) continue;
    out[String(r.urn).split("::").pop()!] = r.outputs;
  }
  return out;
}

/** Output keys whose values differ between two sets of outputs (by logical name), `__provider` left out. */
export function changedOutputs(
  before: Record<string, Record<string, unknown>>,
  after: Record<string, Record<string, unknown>>,
  normalize: (o: Record<string, unknown>) => Record<string, unknown> = (o) => o,
): Record<string, string[]> {
  const changed: Record<string, string[]> = {};
  for (const name of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
    const a = normalize(before[name] ?? {});
    const b = normalize(after[name] ?? {});
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])]
      .filter((k) => k !== "__provider")
      .filter((k) => stableJson(a[k]) !== stableJson(b[k]));
    if (keys.length > 0) changed[name] = keys.sort();
  }
  return changed;
}

/** JSON with the keys of every object sorted, so values equal but for key order compare equal. */
export function stableJson(value: unknown): string {
  const sorted = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sorted)
      : v && typeof v === "object"
        ? Object.fromEntries(
            Object.entries(v)
              .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
              .map(([k, w]) => [k, sorted(w)]),
          )
        : v;
  return JSON.stringify(sorted(value)) ?? "undefined";
}
