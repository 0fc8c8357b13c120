// The deletion preflight against real preview JSON from the engine and the emulator:
// every outcome of a destroy preview, and a refactor mistake in an update preview.
import { PassThrough } from "node:stream";
import {
  collectImagePlan,
  parsePreviewJson,
  runPreflight,
  runPreflightCli,
  type PreflightOptions,
  type PreflightReport,
} from "../../provider/src/preflight";
import { control, describeImage } from "../support/cloud";
import {
  declare,
  e2eProgramDir,
  E2EWorld,
  expectNoCredentialsInState,
  newStack,
  preflightThrough,
  startWorld,
} from "../support/e2e";
import { TestStack } from "../support/stack";

jest.setTimeout(300_000);

let world: E2EWorld;
let instances: string[];

beforeAll(async () => {
  world = await startWorld();
  const r = await world.alice.DescribeInstances({ Limit: 100 });
  instances = r.InstanceSet!.map((i: any) => i.InstanceId as string);
});
afterAll(async () => {
  await world?.emu.stop();
});

const through = preflightThrough;

const byName = (report: PreflightReport) => Object.fromEntries(report.images.map((i) => [i.name, i]));

async function cli(
  argv: string[],
  options: PreflightOptions,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (b) => (out += b));
  stderr.on("data", (b) => (err += b));
  const code = await runPreflightCli(argv, { stdout, stderr, preflight: { env: options.env } });
  return { code, stdout: out, stderr: err };
}

describe("destroy preview", () => {
  let stack: TestStack;
  let ids: Record<string, string>;
  afterAll(async () => {
    if (stack) await expectNoCredentialsInState(stack, world);
    stack?.dispose();
  });

  test("reports every outcome before anything is deleted", async () => {
    stack = await newStack(world);
    const [i0, i1, i2] = instances as [string, string, string];
    const { bob, carol } = world.uins;
    const img = (name: string, instanceId: string, extra: Record<string, unknown> = {}) => ({
      name,
      args: { fromInstance: { instanceId }, imageName: `e2e-pf-${name}`, ...extra },
    });
    declare(stack, [
      img("shared-block", i0, { sharedWith: [bob] }),
      img("shared-unshare", i1, { sharedWith: [bob], deletionPolicy: { unmanagedShares: "unshare" } }),
      img("in-use-block", i2, { deletionPolicy: { instancesInUse: "block" } }),
      img("in-use-warn", i0),
      img("with-snaps", i1, { deletionPolicy: { deleteSnapshots: true } }),
      img("syncing", i2),
      img("vanished", i0),
      { ...img("kept", i1, { sharedWith: [carol] }), retainOnDelete: true },
      { ...img("guarded", i2), protect: true },
    ]);
    const up = await stack.up();
    expect(up.stderr + up.stdout).not.toMatch(/error:/);
    expect(up.code).toBe(0);
    ids = (await stack.outputs()).imageIds;

    // What happened outside the stack since: shares made in the console, instances launched,
    // a copy to another region still running, an image deleted by hand.
    for (const name of ["shared-block", "shared-unshare"]) {
      await world.alice.ModifyImageSharePermission({ ImageId: ids[name]!, AccountIds: [carol], Permission: "SHARE" });
    }
    await control(world.emu, "POST", "fixtures", {
      instances: [
        { region: world.emu.defaultRegion, owner: "alice", imageId: ids["in-use-block"], name: "pf-batch-1" },
        {
          region: world.emu.defaultRegion,
          owner: "alice",
          imageId: ids["in-use-warn"],
          name: "pf-web-1",
          state: "RUNNING",
        },
        {
          region: world.emu.defaultRegion,
          owner: "alice",
          imageId: ids["in-use-warn"],
          name: "pf-web-2",
          state: "STOPPED",
        },
      ],
    });
    await control(world.emu, "PATCH", "settings", { timing: { syncingMs: 600_000 } });
    await world.alice.SyncImages({ ImageIds: [ids.syncing!], DestinationRegions: ["ap-shanghai"] });
    await world.alice.DeleteImages({ ImageIds: [ids.vanished!] });
    await control(world.emu, "DELETE", "calls");

    const report = await runPreflight({ ...through(stack), destroy: true });
    const r = byName(report);
    expect(report.source).toMatchObject({ kind: "destroy-preview", stack: stack.stackName, project: "e2e-images" });
    expect(Object.fromEntries(report.images.map((i) => [i.name, i.status]))).toEqual({
      "shared-block": "blocked",
      "shared-unshare": "delete",
      "in-use-block": "blocked",
      "in-use-warn": "delete",
      "with-snaps": "delete",
      syncing: "wait",
      vanished: "gone",
      kept: "kept",
      guarded: "kept",
    });
    // Shares: which are the stack's, which not, and which the delete cancels first.
    expect(r["shared-block"]).toMatchObject({ managedShares: [bob], unmanagedShares: [carol] });
    expect(r["shared-block"]!.reasons.join(" ")).toContain(carol);
    expect(r["shared-unshare"]).toMatchObject({ managedShares: [bob], unmanagedShares: [carol] });
    expect([...r["shared-unshare"]!.sharesToCancel].sort()).toEqual([bob, carol].sort());
    // Instances still launched from the images, by name.
    expect(r["in-use-block"]!.instancesInUse.map((i) => i.instanceName)).toEqual(["pf-batch-1"]);
    expect(r["in-use-warn"]!.instancesInUse.map((i) => i.instanceName).sort()).toEqual(["pf-web-1", "pf-web-2"]);
    expect(r["in-use-warn"]!.warnings.join(" ")).toMatch(/instance/);
    // Snapshots and the transitional state.
    expect(r["with-snaps"]).toMatchObject({ deleteSnapshots: true });
    expect(r["with-snaps"]!.snapshotIds.length).toBeGreaterThan(0);
    expect(r["in-use-warn"]).toMatchObject({ deleteSnapshots: false });
    expect(r.syncing!.imageState).toBe("SYNCING");
    expect(r.kept!.keptBecause).toBe("retainOnDelete");
    // A kept image keeps its shares: the report lists them, as the state records them.
    expect(r.kept).toMatchObject({ managedShares: [carol], unmanagedShares: [] });
    // A refused delete says how to let it through, for a destroy: the exact cancel call, or the policy then destroy again.
    expect(r["shared-block"]!.nextSteps).toEqual([
      `cancel those shares yourself with \`tccli cvm ModifyImageSharePermission --region ${world.emu.defaultRegion} --endpoint ${world.emu.url} --ImageId ${ids["shared-block"]} --AccountIds '["${carol}"]' --Permission CANCEL\`, then run the command again; ` +
        'or set `deletionPolicy: { unmanagedShares: "unshare" }` on the resource, run `pulumi up`, then `pulumi destroy` again',
    ]);
    expect(r.guarded!.keptBecause).toBe("protect");
    expect(report.engineErrors.join("\n")).toContain("protected");
    expect(report.verdict).toBe("blocked");

    // Read-only: the cloud saw only Describe* calls, and nothing changed.
    const calls: Array<{ action: string }> = (await control(world.emu, "GET", "calls")).log;
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.filter((c) => !c.action.startsWith("Describe"))).toEqual([]);
    expect((await describeImage(world.alice, ids["shared-block"]!)).ImageState).toBe("NORMAL");

    // The CLI: Markdown for the pull request, exit code 2 for "blocked".
    const opts = through(stack);
    const md = await cli(
      [
        "--destroy",
        "--stack",
        stack.stackName,
        "--cwd",
        e2eProgramDir,
        "--format",
        "markdown",
        "--",
        ...opts.pulumiArgs!,
      ],
      opts,
    );
    expect(md.stderr).toBe("");
    expect(md.code).toBe(2);
    expect(md.stdout).toContain("### ⛔ CVM image deletion preflight: blocked");
    expect(md.stdout).toContain("pf-web-1");
    expect(md.stdout).toContain(`\`${ids["shared-block"]}\``);
    // Commands stay code in the comment (not escaped backticks).
    expect(md.stdout).toContain(
      "- to proceed: cancel those shares yourself with `tccli cvm ModifyImageSharePermission",
    );
    expect(md.stdout).not.toContain("\\`");
    const table = await cli(
      ["--destroy", "--stack", stack.stackName, "--cwd", e2eProgramDir, "--", ...opts.pulumiArgs!],
      opts,
    );
    expect(table.stdout).toMatch(/\nkept +delete +img-\w+ +e2e-pf-kept +\S+ +KEPT +1 +0\n/);
    expect(table.stdout).toContain(
      `stays shared with 1 account (as the state records): ${carol} (managed by the stack)`,
    );
    const never = await cli(
      [
        "--destroy",
        "--stack",
        stack.stackName,
        "--cwd",
        e2eProgramDir,
        "--fail-on",
        "never",
        "--format",
        "json",
        "--",
        ...opts.pulumiArgs!,
      ],
      opts,
    );
    expect(never.stderr).toBe("");
    expect(never.code).toBe(0);
    expect(JSON.parse(never.stdout).summary).toMatchObject({
      images: 9,
      blocked: 2,
      delete: 3,
      wait: 1,
      gone: 1,
      kept: 2,
    });
  });

  test("a saved destroy preview gives the same answers", async () => {
    const saved = JSON.stringify(
      await stack.destroyPreviewJson().catch(async () => {
        // A protected resource makes the preview exit non-zero; its JSON is still printed.
        const r = await stack.run([
          "destroy",
          "--preview-only",
          "--json",
          "--stack",
          stack.stackName,
          "--config-file",
          stack.configFile,
          "--non-interactive",
        ]);
        return JSON.parse(r.stdout);
      }),
    );
    const plan = collectImagePlan(parsePreviewJson(saved));
    expect(plan.deletions).toHaveLength(9);
    const report = await runPreflight({ preview: saved, env: through(stack).env });
    expect(report.summary).toMatchObject({ blocked: 2, delete: 3, wait: 1, gone: 1, kept: 2 });
  });
});

describe("update preview with a refactor mistake", () => {
  let stack: TestStack;
  afterAll(async () => {
    if (stack) await expectNoCredentialsInState(stack, world);
    stack?.dispose();
  });

  test("flags the forgotten alias and the delete-first replacement", async () => {
    stack = await newStack(world);
    const [i0, i1] = instances as [string, string];
    declare(stack, [
      {
        name: "app",
        args: { fromInstance: { instanceId: i0 }, imageName: "e2e-pf-app", sharedWith: [world.uins.bob] },
      },
      { name: "db", args: { fromInstance: { instanceId: i0 }, imageName: "e2e-pf-db" } },
      { name: "web", args: { fromInstance: { instanceId: i0 }, imageName: "e2e-pf-web-v1" } },
    ]);
    expect((await stack.up()).code).toBe(0);
    const ids = (await stack.outputs()).imageIds;

    // The refactor: "app" renamed without an alias; "db" and "web" rebuilt from another instance,
    // "db" under the same explicit name (so delete first), "web" under a new one (create first).
    declare(stack, [
      {
        name: "app-image",
        args: { fromInstance: { instanceId: i0 }, imageName: "e2e-pf-app", sharedWith: [world.uins.bob] },
      },
      { name: "db", args: { fromInstance: { instanceId: i1 }, imageName: "e2e-pf-db" } },
      { name: "web", args: { fromInstance: { instanceId: i1 }, imageName: "e2e-pf-web-v2" } },
    ]);
    const report = await runPreflight(through(stack));
    const r = byName(report);
    expect(report.source.kind).toBe("preview");
    expect(Object.fromEntries(report.images.map((i) => [i.name, [i.op, i.status, i.deleteBeforeCreate]]))).toEqual({
      app: ["delete", "delete", undefined],
      db: ["replace", "delete", true],
      web: ["replace", "delete", false],
    });
    expect(r.app!.imageId).toBe(ids.app);
    expect(r.app!.sharesToCancel).toEqual([world.uins.bob]);
    // The rename keeps the explicit name in the region: "app-image" is created while "app"'s image
    // still holds the name, so the update cannot work as planned. Blocked, with the alias to add.
    expect(
      report.findings.map((f) => [f.kind, f.severity, f.urn.split("::").pop(), f.relatedUrn?.split("::").pop()]),
    ).toEqual([
      ["missing-alias", "error", "app", "app-image"],
      ["delete-before-create", "warning", "db", undefined],
    ]);
    expect(report.findings[0]!.message).toContain(
      'the same image name "e2e-pf-app" and source in ap-guangzhou: a rename or move without an alias',
    );
    expect(report.findings[0]!.suggestion).toContain('aliases: [{ name: "app" }]');
    expect(report.verdict).toBe("blocked");

    const table = await cli(
      ["--stack", stack.stackName, "--cwd", e2eProgramDir, "--", "--config-file", stack.configFile],
      through(stack),
    );
    expect(table.stderr).toBe("");
    expect(table.code).toBe(2);
    expect(table.stdout).toContain("Likely refactor mistakes:");
    expect(table.stdout).toContain(
      'ERROR: "app" is deleted while "app-image" is created with the same image name "e2e-pf-app"',
    );
    expect(table.stdout).toContain('fix: add `aliases: [{ name: "app" }]` to the resource options of "app-image"');

    // With the alias the plan no longer deletes "app".
    declare(stack, [
      {
        name: "app-image",
        args: { fromInstance: { instanceId: i0 }, imageName: "e2e-pf-app", sharedWith: [world.uins.bob] },
        formerNames: ["app"],
      },
      { name: "db", args: { fromInstance: { instanceId: i0 }, imageName: "e2e-pf-db" } },
      { name: "web", args: { fromInstance: { instanceId: i0 }, imageName: "e2e-pf-web-v1" } },
    ]);
    const fixed = await runPreflight(through(stack));
    expect(fixed.images).toEqual([]);
    expect(fixed.findings).toEqual([]);
    expect(fixed.verdict).toBe("clear");
    const clear = await cli(
      ["--stack", stack.stackName, "--cwd", e2eProgramDir, "--", "--config-file", stack.configFile],
      through(stack),
    );
    expect(clear.code).toBe(0);
    // And the engine agrees: with the alias the image is kept, under its new name.
    expect((await stack.up()).code).toBe(0);
    expect((await stack.outputs()).imageIds).toMatchObject({ "app-image": ids.app });
  });
});

describe("two new images with one explicit name in one region", () => {
  let stack: TestStack;
  afterAll(() => stack?.dispose());

  test("are blocked before `pulumi up`, which would fail on the second create", async () => {
    stack = await newStack(world);
    const [i0, i1] = instances as [string, string];
    declare(stack, [
      { name: "golden-a", args: { fromInstance: { instanceId: i0 }, imageName: "e2e-pf-golden" } },
      { name: "golden-b", args: { fromInstance: { instanceId: i1 }, imageName: "e2e-pf-golden" } },
    ]);
    const run = await cli(
      ["--stack", stack.stackName, "--cwd", e2eProgramDir, "--format", "json", "--", "--config-file", stack.configFile],
      through(stack),
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(2);
    const report = JSON.parse(run.stdout) as PreflightReport;
    expect(
      report.findings.map((f) => [f.kind, f.severity, f.urn.split("::").pop(), f.relatedUrn?.split("::").pop()]),
    ).toEqual([["duplicate-image-name", "error", "golden-a", "golden-b"]]);
    expect(report.findings[0]!.message).toContain(
      `"golden-a", "golden-b" are both created with the image name "e2e-pf-golden" in ${world.emu.defaultRegion}`,
    );

    // What the preflight said would happen: one create fails on the name.
    const up = await stack.up();
    expect(up.code).not.toBe(0);
    expect(up.stdout + up.stderr).toMatch(/InvalidImageName\.Duplicate|already used by another image/);

    // Distinct names, neither the one the image made above holds now: nothing in the way. (Keeping
    // "e2e-pf-golden" for one of them would race the other's rename, which the preflight flags too.)
    declare(stack, [
      { name: "golden-a", args: { fromInstance: { instanceId: i0 }, imageName: "e2e-pf-golden-a" } },
      { name: "golden-b", args: { fromInstance: { instanceId: i1 }, imageName: "e2e-pf-golden-b" } },
    ]);
    const fixed = await cli(
      ["--stack", stack.stackName, "--cwd", e2eProgramDir, "--", "--config-file", stack.configFile],
      through(stack),
    );
    expect(fixed.code).toBe(0);
    expect((await stack.up()).code).toBe(0);
    expect((await stack.destroy()).code).toBe(0);
  });
});

describe("a secret sharedWith", () => {
  let stack: TestStack;
  afterAll(() => stack?.dispose());

  test("is UNKNOWN with what to do; --show-secrets reads it from the state and assesses the image", async () => {
    stack = await newStack(world);
    declare(stack, [
      {
        name: "partners",
        args: {
          fromInstance: { instanceId: instances[0]! },
          imageName: "e2e-pf-partners",
          sharedWith: [world.uins.bob],
        },
        secretArgs: ["sharedWith"],
      },
    ]);
    expect((await stack.up()).code).toBe(0);
    const args = [
      "--destroy",
      "--stack",
      stack.stackName,
      "--cwd",
      e2eProgramDir,
      "--format",
      "json",
      "--",
      "--config-file",
      stack.configFile,
    ];
    const withSecrets = [...args.slice(0, args.indexOf("--")), "--show-secrets", ...args.slice(args.indexOf("--"))];

    const masked = await cli(args, through(stack));
    expect(masked.stderr).toBe("");
    expect(masked.code).toBe(2);
    const [unknown] = (JSON.parse(masked.stdout) as PreflightReport).images;
    expect(unknown).toMatchObject({ name: "partners", status: "unassessable" });
    expect(unknown!.reasons[0]).toContain(
      "sharedWith (secret) in the stack state, and the check needs which shares are the stack's own (sharedWith)",
    );
    expect(unknown!.reasons[0]).toContain("run the preflight with --show-secrets");
    expect(masked.stdout).not.toContain(world.uins.bob);

    const shown = await cli(withSecrets, through(stack));
    expect(shown.stderr).toBe("");
    expect(shown.code).toBe(0);
    const report = JSON.parse(shown.stdout) as PreflightReport;
    expect(report.images[0]).toMatchObject({
      name: "partners",
      status: "delete",
      managedShares: [world.uins.bob],
      sharesToCancel: [world.uins.bob],
    });
    expect(report.notes[0]).toContain("secret values of 1 resource were read from the state (--show-secrets)");

    expect((await stack.destroy()).code).toBe(0);
  });
});
