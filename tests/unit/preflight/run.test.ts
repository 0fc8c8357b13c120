// runPreflight (preflight/run.ts): where the plan comes from, what it asks the cloud (once, with
// plain config and the caller's env), the state export of --show-secrets, and bad plans. (What the
// report says of each image: report.test.ts.)
import { PreflightError, runPreflight, exitCodeFor, type PreflightReport } from "../../../provider/src/preflight";
import { plainConfig } from "../../../provider/src/preflight/run";
import { fakeAssess, fixturePath, loadFixture, WORLD } from "./fakes";

const statusOf = (report: PreflightReport) => Object.fromEntries(report.images.map((i) => [i.name, i.status]));

describe("runPreflight on saved plans", () => {
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

  it("does not call the cloud when nothing needs asking", async () => {
    const fake = fakeAssess();
    const report = await runPreflight({ preview: { steps: [] }, assess: fake.assess });
    expect(fake.calls).toHaveLength(0);
    expect(report.verdict).toBe("clear");
    expect(exitCodeFor(report, "delete")).toBe(0);
  });

  it("turns a bad plan into access errors", async () => {
    await expect(runPreflight({ plan: fixturePath("missing.json") })).rejects.toBeInstanceOf(PreflightError);
    await expect(runPreflight({ preview: "{}" })).rejects.toMatchObject({ kind: "access" });
  });

  it("keeps only plain config values", () => {
    expect(plainConfig({ a: "1", b: "[secret]", c: 3 })).toEqual({ a: "1" });
  });
});
