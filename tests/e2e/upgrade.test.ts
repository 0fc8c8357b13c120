// The serialized provider in the state is a shim that loads the implementation from the installed
// package at call time: a package upgrade between `up` and `destroy` is honoured by the destroy,
// and states written by older versions (recorded under tests/fixtures/states/) still refresh and
// destroy with the current package, changing the cloud exactly as the old version's own would.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { callLog, control, describeImage } from "../support/cloud";
import {
  CUSTOM_IMAGE_TYPE,
  declare,
  e2eProgramDir,
  E2EWorld,
  expectNoCredentialsInState,
  newStack,
  startWorld,
} from "../support/e2e";
import {
  callSummary,
  changedOutputs,
  effectsBetween,
  imageOutputs,
  liveImages,
  PACKAGE,
  programWithPackage,
  QUICK_TIMING,
  readEmulatorState,
  readRecording,
  startRecordedEmulator,
  stableJson,
  stackTextFor,
} from "../support/recorded-states";
import { TestStack } from "../support/stack";
import { repoRoot } from "../support/toolchain";

jest.setTimeout(240_000);

/** The modules the serialized provider of a state requires, e.g. `pulumi-tencentcloud-images/dist/provider`. */
function requiredByShim(shimText: string): string[] {
  return [...new Set([...shimText.matchAll(/require\("(pulumi-tencentcloud-images[^"]*)"\)/g)].map((m) => m[1]!))];
}

describe("an upgrade between up and destroy", () => {
  let world: E2EWorld;
  let stack: TestStack;
  let workDir: string;

  beforeAll(async () => {
    world = await startWorld();
    workDir = programWithPackage("upgrade", e2eProgramDir, path.join(repoRoot, "provider"));
    stack = await newStack(world, workDir);
  });
  afterAll(async () => {
    stack?.dispose();
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
    await world?.emu.stop();
  });

  test("destroy after an upgrade runs the upgraded code, not the code serialized at create time", async () => {
    declare(stack, [
      { name: "img", args: { fromInstance: { instanceId: world.instanceId }, sharedWith: [world.uins.bob] } },
    ]);
    expect((await stack.up()).code).toBe(0);
    const [state] = await stack.resourcesOfType(CUSTOM_IMAGE_TYPE);
    const shimText: string = state.outputs.__provider;

    // The shim names the implementation by package, so it resolves to whatever is installed.
    const required = requiredByShim(shimText);
    expect(required.length).toBeGreaterThan(0);
    expect(shimText.length).toBeLessThan(20_000);

    // "Upgrade" the installed package: a new version whose implementation leaves a mark when it loads.
    const marker = path.join(stack.dir, "upgrade-marker.txt");
    const installed = path.join(workDir, "node_modules", PACKAGE);
    const pkgJson = JSON.parse(fs.readFileSync(path.join(installed, "package.json"), "utf8"));
    fs.writeFileSync(
      path.join(installed, "package.json"),
      JSON.stringify({ ...pkgJson, version: "9.9.9-upgraded" }, null, 2),
    );
    for (const spec of required) {
      const file = require.resolve(spec, { paths: [workDir] });
      expect(file.startsWith(installed)).toBe(true);
      const code = fs.readFileSync(file, "utf8");
      fs.writeFileSync(
        file,
        `if (process.env.E2E_UPGRADE_MARKER) require("fs").appendFileSync(process.env.E2E_UPGRADE_MARKER, ${JSON.stringify(spec)} + " 9.9.9 loaded\\n");\n` +
          code,
      );
    }

    const destroy = await stack.destroy([], { E2E_UPGRADE_MARKER: marker });
    expect(destroy.code).toBe(0);
    // The destroy loaded the upgraded implementation and deleted the image with it.
    expect(fs.readFileSync(marker, "utf8")).toContain("9.9.9 loaded");
    expect(await describeImage(world.alice, state.id)).toBeUndefined();
    await expectNoCredentialsInState(stack, world);
  });
});

// Each recording: a stack state and the emulator state it describes, written by an older version's
// `pulumi up` (see its README.md; tests/support/record-states.ts regenerates it), and what that
// version's own refresh and destroy did from there (expected.json).
describe.each(["main-5c542cd", "v0.1.0"])("a state written by %s", (name) => {
  const recording = readRecording(name);
  const { meta, expected } = recording;
  const ownImages = Object.values(meta.images).flatMap((i) => [i.id, ...Object.values(i.copies)]);
  let tmp: string;
  let programDir: string;
  let emu: Awaited<ReturnType<typeof startRecordedEmulator>>["emu"];
  let statePath: string;
  let stack: TestStack;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ptci-recorded-"));
    ({ emu, statePath } = await startRecordedEmulator(recording, tmp));
    // The current package, installed into the program as an upgrade would install it.
    programDir = programWithPackage(`upgrade-${name}`, e2eProgramDir, path.join(repoRoot, "provider"));
    stack = new TestStack({
      programDir,
      env: { ...emu.env("alice"), CVM_IMAGE_POLL_MS: "250" },
      stackName: meta.stackName,
    });
    await stack.init();
  });
  afterAll(async () => {
    stack?.dispose();
    await emu?.stop();
    if (programDir) fs.rmSync(programDir, { recursive: true, force: true });
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  test("imports, refreshes without drift and destroys with the current package as the old one did", async () => {
    const recorded = readEmulatorState(statePath);
    for (const id of [...ownImages, ...meta.unrelatedImages]) expect(liveImages(recorded).has(id)).toBe(true);

    // Import the recorded state, its endpoint (if it ever names one) pointed at this emulator.
    const stateFile = path.join(tmp, "stack.json");
    fs.writeFileSync(stateFile, stackTextFor(recording, emu.url));
    await stack.ok(["stack", "import", "--stack", stack.stackName, "--file", stateFile]);
    const imported = await stack.exportState(false);
    expect(imported.text).not.toContain(meta.endpoint);
    const before = imageOutputs(imported.json, CUSTOM_IMAGE_TYPE);
    expect(Object.keys(before).sort()).toEqual(Object.keys(meta.images).sort());

    // The recorded shim requires modules of the package by name: they resolve to the current package.
    const installed = path.join(programDir, "node_modules", PACKAGE);
    const required = new Set(Object.values(before).flatMap((o) => requiredByShim(String(o.__provider))));
    expect(required.size).toBeGreaterThan(0);
    for (const spec of required) expect(require.resolve(spec, { paths: [programDir] })).toContain(installed + path.sep);

    // Refresh: nothing drifted, so nothing is reported as drift, and the cloud is untouched.
    await control(emu, "DELETE", "calls");
    const refresh = await stack.refresh();
    expect({ code: refresh.code, out: refresh.code ? refresh.stdout + refresh.stderr : "" }).toEqual({
      code: expected.refresh.exitCode,
      out: "",
    });
    expect(refresh.stdout + refresh.stderr).not.toMatch(/changed outside the stack/);
    const after = imageOutputs((await stack.exportState(false)).json, CUSTOM_IMAGE_TYPE);
    expect(changedOutputs(before, after, asFacts)).toEqual(expected.refresh.changedOutputs);
    expect(callSummary(await callLog(emu))).toEqual(expected.refresh.calls);
    expect(effectsBetween(recorded, readEmulatorState(statePath))).toEqual(NO_EFFECTS);
    for (const id of ownImages) expect(liveImages(readEmulatorState(statePath)).has(id)).toBe(true);

    // Destroy: what the old version's destroy did to the cloud, and nothing more.
    await control(emu, "DELETE", "calls");
    const destroy = await stack.destroy();
    expect({ code: destroy.code, out: destroy.code ? destroy.stdout + destroy.stderr : "" }).toEqual({
      code: expected.destroy.exitCode,
      out: "",
    });
    await new Promise((r) => setTimeout(r, QUICK_TIMING.deleteLagMs + 100));
    const afterDestroy = readEmulatorState(statePath);
    expect(effectsBetween(recorded, afterDestroy)).toEqual(expected.destroy.effects);
    // Every image of the stack and every copy gone; the images it does not manage still there, unchanged.
    const live = liveImages(afterDestroy);
    for (const id of ownImages) expect(live.has(id)).toBe(false);
    for (const id of meta.unrelatedImages) expect(live.get(id)).toEqual(liveImages(recorded).get(id));
    // The same share cancellations as the old version's. Managed shares go before the image's
    // DeleteImages: the emulator refuses to delete a shared image (InvalidImageId.InShared), and only
    // an image whose state records no managed share may meet that refusal (its delete presumes it is
    // not shared, and the refusal corrects that, as since 0.2.0); no other call may be refused.
    const calls = callSummary(await callLog(emu));
    expect(calls.changes).toEqual(expected.destroy.calls.changes);
    const presumedUnshared = Object.values(before)
      .flatMap((o) => [o, ...Object.values((o.copies ?? {}) as Record<string, Record<string, unknown>>)])
      .filter(
        (o) => !(o.sharedWith as string[] | undefined)?.length && (o.unmanagedShares as string[] | undefined)?.length,
      ).length;
    const inShared = calls.refusals.filter((r) => r === IN_SHARED);
    expect(inShared.length).toBeLessThanOrEqual(presumedUnshared);
    expect(calls.refusals.filter((r) => !inShared.includes(r))).toEqual(
      expected.destroy.calls.refusals.filter((r) => r !== IN_SHARED),
    );

    expect(await stack.resourcesOfType(CUSTOM_IMAGE_TYPE)).toEqual([]);
    await expectNoCredentialsInState(stack, { emu } as E2EWorld);
  });
});

const IN_SHARED: string = "DeleteImages: InvalidImageId.InShared";
const NO_EFFECTS = { deletedImages: [], deletedSnapshots: [], changedImages: {}, newImages: [], otherChanges: [] };

/** The documented defaults of the stored inputs (provider README: Inputs). */
const DEFAULT_TIMEOUTS = { create: "60m", update: "20m", delete: "30m" };
const DEFAULT_DELETION_POLICY = {
  unmanagedShares: "block",
  deleteSnapshots: false,
  inUse: { instances: "warn", launchTemplates: "warn", launchConfigurations: "warn" },
};

/**
 * Outputs as what they say about the image: how a version writes a value it means the same by is
 * left aside, as 0.2.0's state shape changes it (a value equal to its whole default, `""`, `false`
 * and empty lists and maps left out; `resourceName` no longer in the outputs), and 0.1's
 * `deletionPolicy.instancesInUse` is `inUse.instances`.
 */
function asFacts(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (k === "resourceName" || k === "__provider") continue;
    if (v === undefined || v === "" || v === false) continue;
    if (Array.isArray(v) && v.length === 0) continue;
    if (v && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 0) continue;
    out[k] = v;
  }
  if (out.timeouts && sameJson({ ...DEFAULT_TIMEOUTS, ...(out.timeouts as object) }, DEFAULT_TIMEOUTS))
    delete out.timeouts;
  if (out.deletionPolicy) {
    const { instancesInUse, inUse, ...rest } = out.deletionPolicy as Record<string, any>;
    const policy = {
      ...DEFAULT_DELETION_POLICY,
      ...rest,
      inUse: { ...DEFAULT_DELETION_POLICY.inUse, ...(instancesInUse ? { instances: instancesInUse } : {}), ...inUse },
    };
    if (sameJson(policy, DEFAULT_DELETION_POLICY)) delete out.deletionPolicy;
    else out.deletionPolicy = policy;
  }
  return out;
}

/** Equal as JSON with keys in any order. */
function sameJson(a: unknown, b: unknown): boolean {
  return stableJson(a) === stableJson(b);
}
