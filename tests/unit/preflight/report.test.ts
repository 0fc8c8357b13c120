import { PreflightError, runPreflight, exitCodeFor, EXIT, type PreflightReport } from "../../../provider/src/preflight";
import { plainConfig } from "../../../provider/src/preflight/run";
import { fakeAssess, fixturePath, loadFixture, WORLD } from "./fakes";

const statusOf = (report: PreflightReport) => Object.fromEntries(report.images.map((i) => [i.name, i.status]));

describe("runPreflight on saved plans", () => {
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

  it("asks once, for every assessable image, with plain config and the caller's env", async () => {
    const fake = fakeAssess(WORLD);
    await runPreflight({ plan: fixturePath("preview-replacements.json"), assess: fake.assess, env: { MY_VAR: "1" } });
    expect(fake.calls).toHaveLength(1);
    const call = fake.calls[0]!;
    expect(call.targets.map((t) => t.imageId)).toEqual(["img-6pb6lrmy", "img-0qd3j8wz", "img-2x7ka1qd"]);
    expect(call.targets[0]?.urn).toBe(
      "urn:pulumi:dev::images-app::pulumi-nodejs:dynamic/tencentcloud-images:CustomImage::web",
    );
    expect(call.targets[0]?.outputs.deletionPolicy).toEqual({
      unmanagedShares: "block",
      deleteSnapshots: false,
      instancesInUse: "warn",
    });
    expect(call.opts?.env?.MY_VAR).toBe("1");
    expect(call.opts?.config).toEqual({
      "images-app:instanceId": "ins-3k9d2m1a",
      "tencentcloud-images:region": "ap-guangzhou",
    });
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

  it("with showSecrets, reads masked values from the state export and assesses what it can", async () => {
    const digest = loadFixture("preview-secrets-unknowns.json");
    const old = (name: string) => digest.steps.find((s) => s.urn.endsWith(`::${name}`))!.oldState!;
    const sig = "4dabf18193072939515e22adb298388d";
    const secret = (v: unknown) => ({ [sig]: "1b47061264138c4ac30d75fd1eb44270", plaintext: JSON.stringify(v) });
    const shares = old("secret-shares");
    const exported = {
      deployment: {
        resources: [
          // What `pulumi stack export --show-secrets` prints: the secret share as { sig, plaintext }.
          {
            ...shares,
            inputs: { ...shares.inputs, sharedWith: ["100000000001", secret("100000000009")] },
            outputs: { ...shares.outputs, sharedWith: ["100000000001", secret("100000000009")] },
          },
          // An unrelated resource of the same name but another id is not taken.
          {
            ...old("secret-policy"),
            id: "img-0th3r000",
            outputs: { ...old("secret-policy").outputs, deletionPolicy: { unmanagedShares: "unshare" } },
          },
        ],
      },
    };
    const fake = fakeAssess();
    const report = await runPreflight({
      preview: digest,
      assess: fake.assess,
      showSecrets: true,
      exportState: async () => exported,
    });
    expect(statusOf(report)).toEqual({
      "secret-id": "delete",
      "secret-policy": "unassessable",
      "secret-shares": "delete",
      rebuilt: "delete",
    });
    const target = fake.calls[0]!.targets.find((t) => t.imageId === "img-s3cr3tsh");
    expect(target?.outputs.sharedWith).toEqual(["100000000001", "100000000009"]);
    expect(report.notes[0]).toBe(
      "secret values of 1 resource were read from the state (--show-secrets), so this report may show them (e.g. the accounts of a secret sharedWith)",
    );
    // Without the option nothing is exported and the image stays unassessable.
    const plain = await runPreflight({
      preview: loadFixture("preview-secrets-unknowns.json"),
      assess: fakeAssess().assess,
      exportState: async () => exported,
    });
    expect(statusOf(plain)["secret-shares"]).toBe("unassessable");
  });

  it("treats an image the cloud did not answer for as unassessable", async () => {
    const report = await runPreflight({ plan: fixturePath("preview-logical-replace.json"), assess: async () => [] });
    expect(statusOf(report)).toEqual({ web: "unassessable", db: "unassessable" });
    expect(report.notes[0]).toContain("--show-replacement-steps");
  });

  it("does not call the cloud when nothing needs asking", async () => {
    const fake = fakeAssess();
    const report = await runPreflight({ preview: { steps: [] }, assess: fake.assess });
    expect(fake.calls).toHaveLength(0);
    expect(report.verdict).toBe("clear");
    expect(exitCodeFor(report, "delete")).toBe(0);
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

  it("turns a bad plan into access errors", async () => {
    await expect(runPreflight({ plan: fixturePath("missing.json") })).rejects.toBeInstanceOf(PreflightError);
    await expect(runPreflight({ preview: "{}" })).rejects.toMatchObject({ kind: "access" });
  });

  it("keeps only plain config values", () => {
    expect(plainConfig({ a: "1", b: "[secret]", c: 3 })).toEqual({ a: "1" });
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
