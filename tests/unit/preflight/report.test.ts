// What the report says of each image of a plan, and the exit code it gives. (How runPreflight gets
// the plan and asks the cloud: run.test.ts.)
import { runPreflight, exitCodeFor, EXIT, type PreflightReport } from "../../../provider/src/preflight";
import { fakeAssess, fixturePath, loadFixture, WORLD } from "./fakes";

const statusOf = (report: PreflightReport) => Object.fromEntries(report.images.map((i) => [i.name, i.status]));

describe("the report of runPreflight on saved plans", () => {
  it("combines the plan with the cloud's answers", async () => {
    const fake = fakeAssess(WORLD);
    const report = await runPreflight({
      plan: fixturePath("preview-replacements.json"),
      assess: fake.assess,
      env: { TENCENTCLOUD_SECRET_ID: "x" },
    });
    expect(statusOf(report)).toEqual({ web: "delete", db: "delete", "legacy-base": "blocked" });
    expect(report.verdict).toBe("blocked");
    expect(report.source).toEqual({
      kind: "file",
      path: fixturePath("preview-replacements.json"),
      stack: "dev",
      project: "images-app",
    });
    expect(report.summary).toMatchObject({ images: 3, blocked: 1, delete: 2, kept: 0, findings: 1 });
    const web = report.images.find((i) => i.name === "web");
    expect(web).toMatchObject({
      op: "replace",
      deleteBeforeCreate: false,
      sharesToCancel: ["100000000003"],
      imageName: "web-v1",
    });
    expect(web?.instancesInUse.map((i) => i.instanceId)).toEqual(["ins-aaaa0001", "ins-aaaa0002"]);
  });

  it("reports kept, waiting and gone images of a destroy, and the engine's protect error", async () => {
    const fake = fakeAssess({ ...WORLD, "img-6pb6lrmy": { outcome: "gone", exists: false } });
    const report = await runPreflight({ preview: loadFixture("destroy-preview.json"), assess: fake.assess });
    expect(statusOf(report)).toEqual({
      scratch: "kept",
      nightly: "wait",
      "prod-base": "kept",
      archive: "kept",
      web: "gone",
      "legacy-base": "blocked",
    });
    expect(report.images.find((i) => i.name === "archive")?.keptBecause).toBe("retainOnDelete");
    expect(fake.calls[0]?.targets.map((t) => t.imageId)).toEqual(["img-1n1ght1y", "img-6pb6lrmy", "img-2x7ka1qd"]);
    expect(report.engineErrors).toHaveLength(1);
    expect(report.engineErrors[0]).toContain("because it is protected");
    expect(report.source.kind).toBe("document");
  });

  it("says it cannot assess secret policies, and fails closed", async () => {
    const fake = fakeAssess();
    const report = await runPreflight({
      preview: JSON.stringify(loadFixture("preview-secrets-unknowns.json")),
      assess: fake.assess,
    });
    expect(statusOf(report)).toEqual({
      "secret-id": "delete",
      "secret-policy": "unassessable",
      "secret-shares": "unassessable",
      rebuilt: "delete",
    });
    expect(report.images.find((i) => i.name === "secret-policy")?.reasons[0]).toMatch(
      /^cannot assess: deletionPolicy \(secret\) in the stack state, .*--show-secrets/,
    );
    expect(report.verdict).toBe("blocked");
    expect(report.notes).toContain(
      '"computed" is created with an image name and source unknown until apply: not checked for a missing alias',
    );
  });

  it("treats an image the cloud did not answer for as unassessable", async () => {
    const report = await runPreflight({ plan: fixturePath("preview-logical-replace.json"), assess: async () => [] });
    expect(statusOf(report)).toEqual({ web: "unassessable", db: "unassessable" });
    expect(report.notes[0]).toContain("--show-replacement-steps");
  });

  it("reports a failing cloud check: every image it was to assess UNKNOWN with the reason, and an error exit whatever --fail-on says", async () => {
    const failing = async () => {
      throw new Error("AuthFailure.SignatureFailure: bad signature");
    };
    const report = await runPreflight({ plan: fixturePath("preview-replacements.json"), assess: failing });
    expect(statusOf(report)).toEqual({ web: "unassessable", db: "unassessable", "legacy-base": "unassessable" });
    expect(report.images.map((i) => i.reasons)).toEqual(
      new Array(3).fill(["cannot assess: the cloud check failed: AuthFailure.SignatureFailure: bad signature"]),
    );
    expect(report).toMatchObject({ verdict: "blocked", cloudError: "AuthFailure.SignatureFailure: bad signature" });
    for (const failOn of ["blocked", "delete", "never"] as const) expect(exitCodeFor(report, failOn)).toBe(EXIT.error);
  });
});

describe("exitCodeFor", () => {
  const report = (verdict: PreflightReport["verdict"]) => ({ verdict }) as PreflightReport;
  it.each([
    ["clear", "blocked", 0],
    ["deletes", "blocked", 0],
    ["blocked", "blocked", 2],
    ["clear", "delete", 0],
    ["deletes", "delete", 2],
    ["blocked", "delete", 2],
    ["blocked", "never", 0],
  ] as const)("%s with --fail-on %s exits %d", (verdict, failOn, code) => {
    expect(exitCodeFor(report(verdict), failOn)).toBe(code);
  });

  it("keeps the three codes distinct", () => {
    expect(new Set(Object.values(EXIT)).size).toBe(3);
  });
});
