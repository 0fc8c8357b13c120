/**
 * The README's CAM policies (`## Permissions`) against what the code calls: every operation of the
 * provider runs against the emulator, and the actions in the emulator's call log must be exactly the
 * actions of the provider policy; the preflight's assessment and what a `pulumi preview` runs (check,
 * diff, `CustomImage.get`'s read, `getImage`) must call exactly the actions of the read-only policy.
 * "Exactly": a call outside a policy fails a real run with a CAM error, and an action the code never
 * calls does not belong in a least-privilege policy.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { getImage, runPreflight } from "pulumi-tencentcloud-images";
import type { CallRecord } from "@pulumi-tencentcloud-images/cvm-emulator";
import { SERVICES } from "../../emulator/src/actions";
import { allowedActions, readmePolicy } from "../support/readme";
import { repoRoot } from "../support/toolchain";
import { BOB, CAROL, change, PROVIDER_TEXT, provider, shownWhile, up, useHarness } from "./harness";

// eslint-disable-next-line @typescript-eslint/no-require-imports

jest.setTimeout(120_000);

const GZ = "ap-guangzhou";
const SH = "ap-shanghai";
const TYPE = "pulumi-nodejs:dynamic/tencentcloud-images:CustomImage";
const base = { fromInstance: { instanceId: "ins-web00001" } };
const fromImport = {
  imageUrl: "https://bucket-1250000000.cos.ap-guangzhou.myqcloud.com/disk.qcow2",
  architecture: "x86_64",
  osType: "CentOS",
  osVersion: "7",
};

const h = useHarness();
const providerPolicy = readmePolicy("provider");
const readOnlyPolicy = readmePolicy("preflight");

/** `service:Action` of each logged call: the service is the emulator API that serves the action. */
function camAction(call: CallRecord): string {
  const service = SERVICES.find((s) => Object.hasOwn(s.actions, call.action));
  if (!service) throw new Error(`the emulator logged ${call.action}, which none of its APIs serves`);
  return `${service.name}:${call.action}`;
}

/** The distinct `service:Action`s called since the last `clearCalls`, sorted. */
async function calledActions(): Promise<string[]> {
  const { log } = (await h.control("GET", "calls")) as { log: CallRecord[] };
  return [...new Set(log.map(camAction))].sort();
}

/** Adds a launch template (its version 2 names the image) and a launch configuration naming it. */
async function referenced(imageId: string, tag: string): Promise<void> {
  await h.control("POST", "fixtures", {
    launchTemplates: [
      {
        launchTemplateId: `lt-${tag}`,
        owner: "alice",
        region: GZ,
        name: `${tag}-tmpl`,
        defaultVersion: 1,
        versions: [
          { version: 1, imageId: "img-pub00001" },
          { version: 2, imageId },
        ],
      },
    ],
    launchConfigurations: [
      { launchConfigurationId: `asc-${tag}`, owner: "alice", region: GZ, name: `${tag}-lc`, imageId },
    ],
  });
}

/** Adds a launch configuration that launches the current image of `family`. */
async function byFamily(family: string, tag: string): Promise<void> {
  await h.control("POST", "fixtures", {
    launchConfigurations: [
      { launchConfigurationId: `asc-${tag}`, owner: "alice", region: GZ, name: `${tag}-lc`, imageFamily: family },
    ],
  });
}

/** Runs the deletes at once, as an operation deleting several images does; the in-use warnings are collected, not shown. */
async function deleteAll(images: Array<{ id: string; outs: Record<string, unknown> }>): Promise<string[]> {
  return (await shownWhile(() => Promise.all(images.map((i) => provider.delete(i.id, i.outs))))).shown;
}

/** A `pulumi destroy --preview-only --json` document that deletes these images, as the engine prints it. */
function destroyPreview(
  images: Array<{ name: string; id: string; inputs: Record<string, unknown>; outs: Record<string, unknown> }>,
) {
  return {
    config: {},
    steps: images.map(({ name, id, inputs, outs }) => {
      const urn = `urn:pulumi:dev::images::${TYPE}::${name}`;
      return { op: "delete", urn, oldState: { urn, custom: true, id, type: TYPE, inputs, outputs: outs } };
    }),
  };
}

test("the README's policies are CAM policy documents; the read-only one allows only Describe and List actions, all in the provider's", () => {
  for (const policy of [providerPolicy, readOnlyPolicy]) {
    expect(policy.version).toBe("2.0");
    for (const statement of policy.statement) {
      expect(statement.effect).toBe("allow");
      expect(statement.resource).toEqual(["*"]);
      for (const action of statement.action) expect(action).toMatch(/^(cvm|as|tag):[A-Z][A-Za-z]+$/);
    }
  }
  for (const action of allowedActions(readOnlyPolicy)) expect(action).toMatch(/^[a-z]+:(Describe|List)[A-Z]/);
  expect(allowedActions(providerPolicy)).toEqual(expect.arrayContaining(allowedActions(readOnlyPolicy)));
});

test("every action the provider's source passes to callApi is in the provider policy", () => {
  const dir = path.join(repoRoot, "provider", "src");
  const sources = fs
    .readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts"))
    .map((f) => fs.readFileSync(path.join(dir, f), "utf8"));
  // callApi(settings, "Action", ...), also with a type argument and across lines.
  const inSource = new Set(
    sources.flatMap((text) => [...text.matchAll(/callApi\s*(?:<[\s\S]*?>)?\(\s*[\w.]+,\s*"(\w+)"/g)].map((m) => m[1]!)),
  );
  expect(inSource.size).toBeGreaterThan(10);
  const allowed = allowedActions(providerPolicy).map((a) => a.split(":")[1]);
  expect([...inSource].sort()).toEqual([...new Set(allowed)].sort());
});

test("the provider, through every operation, calls exactly the actions of the provider policy", async () => {
  await h.control("POST", "fixtures", { regions: [SH] });
  await h.clearCalls();

  // Create from each source (initial tags, shares and a copy in another region), and adopt.
  const props = { ...base, tags: { team: "a" }, sharedWith: [BOB], copyTo: [SH] };
  const inst = await up("perm-instance", props);
  const snap = await up("perm-snapshots", {
    fromSnapshots: { snapshotIds: ["snap-sys00001"] },
    deletionPolicy: { deleteSnapshots: true },
  });
  const imp = await up("perm-import", { fromImport, sharedWith: [BOB] });
  const adopted = await up("perm-adopted", { adoptImageId: "img-alic0001" });

  // Update every kind of attribute in place: name, description, family, deprecation, tags, shares.
  const updated = await change("perm-instance", inst.id, inst.inputs, inst.outs, {
    ...props,
    imageName: "perm-renamed",
    imageDescription: "v2",
    imageFamily: "perm",
    imageDeprecated: true,
    tags: { team: "b" },
    sharedWith: [CAROL],
  });
  expect(updated.diff.replaces ?? []).toEqual([]);
  const instOuts = updated.outs!;

  // Refresh, and the lookups a program runs.
  const refreshed = await provider.read(inst.id, instOuts);
  expect(refreshed.id).toBe(inst.id);
  await provider.read("img-bobs0001", { resourceName: "perm-get", __provider: PROVIDER_TEXT });
  expect((await getImage({ name: "perm-renamed" })).imageId).toBe(inst.id);

  // Delete them all at once while launch templates and launch configurations still name two of them, and a
  // launch configuration picks its image by the family of the first (DescribeImageFromFamily).
  await referenced(snap.id, "permsnap");
  await referenced(imp.id, "permimpo");
  await byFamily("perm", "permfam1");
  const warnings = await deleteAll([
    { id: inst.id, outs: refreshed.props as Record<string, unknown> },
    snap,
    imp,
    adopted,
  ]);
  expect(warnings.join("\n")).toContain("launch templates still name the image");

  expect(await calledActions()).toEqual(allowedActions(providerPolicy));
});

test("the preflight's assessment and a preview's reads call exactly the actions of the read-only policy", async () => {
  // Images to assess (made before the calls are cleared): shared, copied, named by a template and a launch configuration.
  const shared = await up("pre-shared", { ...base, sharedWith: [BOB], copyTo: [SH] });
  const used = await up("pre-used", { ...base, imageFamily: "pre-used" });
  await referenced(used.id, "preused1");
  await byFamily("pre-used", "prefam01");
  await h.clearCalls();

  // What `pulumi preview` calls in the provider: check and diff (no API call), and the program's lookups.
  const checked = await provider.check(used.inputs, { ...used.inputs, imageDescription: "next" });
  expect(checked.failures).toEqual([]);
  expect((await provider.diff(used.id, used.outs, { ...checked.inputs, __provider: PROVIDER_TEXT })).changes).toBe(
    true,
  );
  expect(await calledActions()).toEqual([]);
  await provider.read("img-bobs0001", { resourceName: "pre-get", __provider: PROVIDER_TEXT });
  await provider.read(shared.id, shared.outs);
  await getImage({ name: shared.outs.imageName });
  expect((await getImage({ family: "pre-used" })).imageId).toBe(used.id);

  const report = await runPreflight({
    preview: destroyPreview([
      { name: "pre-shared", ...shared },
      { name: "pre-used", ...used },
    ]),
  });
  expect(report.images.map((i) => i.status).sort()).toEqual(["delete", "delete"]);
  expect(report.images.find((i) => i.imageId === used.id)!.launchTemplatesInUse).toHaveLength(1);
  expect(report.images.find((i) => i.imageId === used.id)!.launchConfigurationsInUse).toHaveLength(2);

  expect(await calledActions()).toEqual(allowedActions(readOnlyPolicy));
});
