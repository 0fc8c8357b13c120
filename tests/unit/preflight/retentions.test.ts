// The ImageRetentions of a plan in the preflight (provider/src/preflight/retentions.ts): which steps
// run a retention, the inputs it can be planned with (unknown managed ids dropped, other unknowns
// refused), the assessment against the emulator (the provider's own planner, read-only), and how
// the report, its verdict and its formats show them.
import { UNKNOWN } from "../../../provider/src/schema/types";
import {
  assessRetentions,
  IMAGE_RETENTION_TYPE,
  plannedRetentions,
  retentionChangeText,
  retentionSpec,
  type RetentionReport,
} from "../../../provider/src/preflight/retentions";
import { buildReport } from "../../../provider/src/preflight/report";
import { collectImagePlan } from "../../../provider/src/preflight/steps";
import { formatMarkdown, formatTable } from "../../../provider/src/preflight/format";
import { exitCodeFor } from "../../../provider/src/preflight/cli";
import { classifyDeletions } from "../../../provider/src/preflight/targets";
import type { PreviewDigest } from "../../../provider/src/preflight/plan";
import { useCloudEmulator } from "../cloud/emulator";
import { control } from "../../support/cloud";

const cloud = useCloudEmulator();
const urn = (name: string) => `urn:pulumi:dev::proj::${IMAGE_RETENTION_TYPE}::${name}`;
const step = (op: string, name: string, inputs: Record<string, unknown>) => ({
  op,
  urn: urn(name),
  newState: { urn: urn(name), type: IMAGE_RETENTION_TYPE, inputs },
});

test("plannedRetentions: the retentions the plan runs (create, update, same), not those it deletes", () => {
  const digest: PreviewDigest = {
    steps: [
      step("create", "a", { family: "web", keepNewest: 1 }),
      step("same", "b", { family: "web", keepNewest: 2 }),
      { op: "delete", urn: urn("c"), oldState: { urn: urn("c"), type: IMAGE_RETENTION_TYPE } },
      step("update", "d", { namePrefix: "x", keepNewest: 3 }),
    ],
  };
  expect(plannedRetentions(digest).map((p) => `${p.name}:${p.op}`)).toEqual(["a:create", "b:same", "d:update"]);
});

test("retentionSpec: unknown managed ids are dropped; another unknown or a refused input cannot be assessed", () => {
  expect(
    retentionSpec({ family: "web", keepNewest: 1, managedImageIds: ["img-aaaaaaaa", UNKNOWN] }).spec,
  ).toMatchObject({ family: "web", managedImageIds: ["img-aaaaaaaa"] });
  expect(retentionSpec({ family: "web", keepNewest: 1, managedImageIds: UNKNOWN }).spec).toMatchObject({
    managedImageIds: [],
  });
  expect(retentionSpec({ family: UNKNOWN, keepNewest: 1 }).cannotAssess).toBe(
    "cannot assess: family is unknown until apply or secret in the preview",
  );
  expect(retentionSpec({ family: "web" }).cannotAssess).toMatch(/^cannot assess: .*keepNewest: nothing to keep/s);
});

test("assessRetentions plans each retention read-only against the cloud; the report's verdict and formats show it", async () => {
  const family = `pre${process.pid % 100000}`;
  const ids = ["img-pre00001", "img-pre00002", "img-pre00003"];
  await control(cloud.emulator(), "POST", "fixtures", {
    images: ids.map((imageId, i) => ({
      imageId,
      owner: "alice",
      region: "ap-guangzhou",
      name: `${family}-${i}`,
      family,
      createdTime: new Date(Date.now() - (i + 1) * 86_400_000).toISOString(),
    })),
  });
  const digest: PreviewDigest = {
    steps: [
      step("update", "keep-one", { family, keepNewest: 1, region: "ap-guangzhou" }),
      step("create", "dry", { family, keepNewest: 2, region: "ap-guangzhou", dryRun: true }),
    ],
  };
  const retentions = await assessRetentions(plannedRetentions(digest), { env: cloud.env(), config: {} });
  console.log(JSON.stringify(retentions[0]!.images, null, 1));
  expect(retentions.map((r) => r.images.map((d) => `${d.imageId}:${d.action}`))).toEqual([
    [`${ids[0]}:keep`, `${ids[1]}:delete`, `${ids[2]}:delete`],
    [`${ids[0]}:keep`, `${ids[1]}:keep`, `${ids[2]}:delete`],
  ]);
  expect(retentions.map(retentionChangeText)).toEqual(["2 delete", "dry run (would: 1 delete)"]);
  // Read-only: every image is still there.
  const counts = (await control(cloud.emulator(), "GET", "calls")) as unknown;
  expect(JSON.stringify(counts)).not.toMatch(/DeleteImages|ModifyImage|ModifyResourceTags/);

  const plan = collectImagePlan(digest);
  const report = buildReport({
    digest,
    plan,
    classified: classifyDeletions(plan),
    assessments: [],
    source: { kind: "document" },
    retentions,
  });
  expect(report.verdict).toBe("deletes");
  expect(exitCodeFor(report, "delete")).toBe(2);
  expect(exitCodeFor(report, "blocked")).toBe(0);
  const table = formatTable(report);
  expect(table).toContain(`keep-one (ImageRetention, update, ap-guangzhou): 2 delete`);
  expect(table).toContain(`- ${ids[1]} ${family}-1: DELETE: number 2, past the 1 newest`);
  expect(formatMarkdown(report)).toContain(`**keep-one (ImageRetention, update, ap-guangzhou): 2 delete**`);
});

test("a retention that cannot be assessed makes the verdict blocked; one with nothing due leaves it clear", () => {
  const digest: PreviewDigest = { steps: [] };
  const plan = collectImagePlan(digest);
  const base = { urn: urn("r"), name: "r", op: "same", dryRun: false, images: [], summary: {} };
  const report = (r: RetentionReport) =>
    buildReport({ digest, plan, classified: [], assessments: [], source: { kind: "document" }, retentions: [r] });
  expect(report({ ...base, cannotAssess: "cannot assess: x" }).verdict).toBe("blocked");
  expect(report({ ...base, summary: { keep: 3, wait: 1 } }).verdict).toBe("clear");
  expect(report({ ...base, dryRun: true, summary: { delete: 2 } }).verdict).toBe("clear");
});

test("the preflight and `cvm-image prune` report the same decisions for the same scope", async () => {
  const { mkdtempSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const path = await import("node:path");
  const { runProcess } = await import("../../support/process");
  const family = `same${process.pid % 100000}`;
  const ids = ["img-same0001", "img-same0002", "img-same0003", "img-same0004"];
  await control(cloud.emulator(), "POST", "fixtures", {
    images: ids.map((imageId, i) => ({
      imageId,
      owner: "alice",
      region: "ap-guangzhou",
      name: `${family}-${i}`,
      family,
      createdTime: new Date(Date.now() - (i + 1) * 86_400_000).toISOString(),
      ...(i === 2 ? { sharedWith: [{ accountId: "100000000002" }] } : {}),
    })),
  });
  const digest: PreviewDigest = {
    steps: [step("update", "same", { family, keepNewest: 1, region: "ap-guangzhou" })],
  };
  const [fromPreflight] = await assessRetentions(plannedRetentions(digest), { env: cloud.env(), config: {} });
  const home = mkdtempSync(path.join(tmpdir(), "same-home-"));
  const bin = path.join(__dirname, "../../../provider/bin/cvm-image.js");
  const args = ["prune", "--family", family, "--keep-newest", "1", "--region", "ap-guangzhou", "--format", "json"];
  const run = await runProcess(process.execPath, [bin, ...args], {
    cwd: home,
    env: { PATH: process.env.PATH, HOME: home, ...cloud.env("alice") },
  });
  const fromPrune = JSON.parse(run.stdout) as { decisions: Array<{ imageId: string; action: string; reason: string }> };
  const shown = (list: Array<{ imageId: string; action: string; reason: string }>) =>
    list.map((d) => `${d.imageId}: ${d.action}: ${d.reason}`);
  expect(shown(fromPrune.decisions)).toEqual(shown(fromPreflight!.images));
  expect(fromPreflight!.images.map((d) => d.action)).toEqual(["keep", "delete", "keep", "delete"]);
});
