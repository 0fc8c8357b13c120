import {
  asPreviewDigest,
  collectImagePlan,
  CUSTOM_IMAGE_TYPE,
  parsePreviewJson,
  PlanParseError,
  SECRET,
  UNKNOWN,
  type PreviewDigest,
} from "../../../provider/src/preflight";
import { findOpaque, opacityOf } from "../../../provider/src/preflight/plan";
import { keptReason, parseUrn, readImageFacts, stepType } from "../../../provider/src/preflight/steps";
import {
  classifyDeletions,
  assessmentTargets,
  cannotAssessText,
  deleteContext,
} from "../../../provider/src/preflight/targets";
import { deleteSpecFromOutputs } from "../../../provider/src/provider/deletion-rules";
import { UNKNOWN as LOGIC_UNKNOWN } from "../../../provider/src/schema/types";
import { loadFixture } from "./fakes";

const deletionSummary = (digest: PreviewDigest) =>
  collectImagePlan(digest).deletions.map((d) => [d.name, d.op, d.deleteBeforeCreate]);

describe("parsePreviewJson", () => {
  it("reads a preview document", () => {
    const digest = loadFixture("preview-replacements.json");
    expect(digest.steps.length).toBe(10);
    expect(digest.config?.["images-app:partnerAccounts"]).toBe(SECRET);
  });

  it("skips lines printed before the JSON document", () => {
    const digest = parsePreviewJson(
      '+ pulumi preview --json\n{"steps": [{"op": "same", "urn": "urn:pulumi:a::b::pulumi:pulumi:Stack::b-a"}]}',
    );
    expect(digest.steps[0]?.op).toBe("same");
  });

  it.each([
    ["empty output", ""],
    ["not JSON", "error: no stack selected\n{oops"],
    ["no steps", '{"config": {}}'],
    ["a step without op", '{"steps": [{"urn": "urn:pulumi:a::b::t::n"}]}'],
    ["a state without urn", '{"steps": [{"op": "delete", "urn": "u", "oldState": {"type": "t"}}]}'],
  ])("rejects %s", (_what, text) => {
    expect(() => parsePreviewJson(text)).toThrow(PlanParseError);
  });

  it("validates objects too", () => {
    expect(() => asPreviewDigest({ steps: "nope" })).toThrow(/"steps" array/);
    expect(() => asPreviewDigest({ steps: [], diagnostics: {} })).toThrow(/diagnostics/);
  });
});

describe("collectImagePlan", () => {
  it("finds deletes and replacements once each, with their ordering", () => {
    const plan = collectImagePlan(loadFixture("preview-replacements.json"));
    expect(plan.showsReplacementSteps).toBe(true);
    expect(plan.deletions.map((d) => [d.name, d.op, d.deleteBeforeCreate, d.state.id])).toEqual([
      ["web", "replace", false, "img-6pb6lrmy"],
      ["db", "replace", true, "img-0qd3j8wz"],
      ["legacy-base", "delete", undefined, "img-2x7ka1qd"],
    ]);
    // The update of "cache" and the non-image "notifier" are not deletions of images.
    expect(plan.creations.map((c) => [c.name, c.op])).toEqual([
      ["web", "replace"],
      ["db", "replace"],
    ]);
    expect(plan.deletedUrns.has("urn:pulumi:dev::images-app::pulumi-nodejs:dynamic:Resource::notifier")).toBe(true);
  });

  it("leaves the ordering unknown without replacement steps", () => {
    const plan = collectImagePlan(loadFixture("preview-logical-replace.json"));
    expect(plan.showsReplacementSteps).toBe(false);
    expect(deletionSummary(loadFixture("preview-logical-replace.json"))).toEqual([
      ["web", "replace", undefined],
      ["db", "replace", undefined],
    ]);
  });

  it("lists every image of a destroy preview and nothing else", () => {
    expect(deletionSummary(loadFixture("destroy-preview.json"))).toEqual([
      ["scratch", "delete", undefined],
      ["nightly", "delete", undefined],
      ["prod-base", "delete", undefined],
      ["archive", "delete", undefined],
      ["web", "delete", undefined],
      ["legacy-base", "delete", undefined],
    ]);
  });

  it("reports a delete half without a logical replace as a pending delete", () => {
    const urn = `urn:pulumi:dev::p::${CUSTOM_IMAGE_TYPE}::img`;
    const old = { urn, type: CUSTOM_IMAGE_TYPE, id: "img-0ld00000", outputs: { imageId: "img-0ld00000" } };
    const plan = collectImagePlan({
      steps: [
        { op: "create-replacement", urn, newState: { urn, type: CUSTOM_IMAGE_TYPE } },
        { op: "delete-replaced", urn, oldState: old },
      ],
    });
    expect(plan.deletions).toMatchObject([
      { op: "delete-replaced", deleteBeforeCreate: false, state: { id: "img-0ld00000" } },
    ]);
  });

  it("takes the type from the URN when a step has no state type", () => {
    expect(stepType({ op: "delete", urn: `urn:pulumi:s::p::my:comp:Bundle$${CUSTOM_IMAGE_TYPE}::x` })).toBe(
      CUSTOM_IMAGE_TYPE,
    );
    expect(stepType({ op: "delete", urn: "not-a-urn" })).toBeUndefined();
  });
});

describe("kept resources", () => {
  it("lists retainOnDelete, protect and deletedWith as kept", () => {
    const classified = classifyDeletions(collectImagePlan(loadFixture("destroy-preview.json")));
    expect(classified.map((c) => [c.deletion.name, c.kept])).toEqual([
      ["scratch", "deletedWith"],
      ["nightly", undefined],
      ["prod-base", "protect"],
      ["archive", "retainOnDelete"],
      ["web", undefined],
      ["legacy-base", undefined],
    ]);
  });

  it("does not keep a protected resource that is being replaced, nor deletedWith an owner that stays", () => {
    const state = { urn: "u", type: CUSTOM_IMAGE_TYPE, protect: true, deletedWith: "owner" };
    const d = { urn: "u", name: "u", op: "replace" as const, stepIndex: 0, state };
    expect(keptReason(d, new Set())).toBeUndefined();
    expect(keptReason({ ...d, op: "delete" }, new Set())).toBe("protect");
    expect(keptReason({ ...d, state: { ...state, protect: false } }, new Set(["owner"]))).toBe("deletedWith");
  });
});

describe("secrets and unknowns", () => {
  const plan = collectImagePlan(loadFixture("preview-secrets-unknowns.json"));
  const classified = classifyDeletions(plan);
  const byName = Object.fromEntries(classified.map((c) => [c.deletion.name, c]));

  it("recognises the engine's masks", () => {
    expect(opacityOf(SECRET)).toBe("secret");
    expect(opacityOf(UNKNOWN)).toBe("unknown");
    expect(opacityOf({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: "x" })).toBe(
      "secret",
    );
    expect(opacityOf("img-1")).toBeUndefined();
    expect(findOpaque({ a: [1, SECRET], b: { c: UNKNOWN } }, "")).toEqual([
      { path: "a[1]", opacity: "secret" },
      { path: "b.c", opacity: "unknown" },
    ]);
  });

  it("uses the step id when the imageId output is secret", () => {
    expect(byName["secret-id"]?.facts.imageId).toBe("img-s3cr3t1d");
    expect(byName["secret-id"]?.cannotAssess).toBeUndefined();
  });

  it("refuses to assess with a secret policy or secret shares, says which field, what it is needed for and how to proceed", () => {
    expect(byName["secret-policy"]?.cannotAssess).toMatch(
      /^cannot assess: deletionPolicy \(secret\) in the stack state, and the check needs what the delete does with shares, snapshots, and the instances, launch templates and launch configurations that use the image \(deletionPolicy\)\. /,
    );
    const shares = byName["secret-shares"]?.cannotAssess ?? "";
    expect(shares).toMatch(
      /^cannot assess: sharedWith\[1\] \(secret\) in the stack state, and the check needs which shares are the stack's own \(sharedWith\)\./,
    );
    // The way forward: what the preflight cannot see, and the option that reads it (with what that needs).
    expect(shares).toContain(
      "The preview masks secret values. To check this image, run the preflight with --show-secrets",
    );
    expect(shares).toContain(
      "`pulumi stack export --show-secrets`, which needs the stack's secrets passphrase (PULUMI_CONFIG_PASSPHRASE) or secrets provider",
    );
  });

  it("tells values unknown in the state apart from secrets", () => {
    expect(cannotAssessText([{ path: "region", opacity: "unknown" }])).toBe(
      "cannot assess: region (unknown until apply) in the stack state, and the check needs where the image is (region). Run `pulumi refresh` so the state records them, then run the preflight again",
    );
  });

  it("shows a secret image name as masked, not as a value", () => {
    expect(byName["secret-policy"]?.facts.imageName).toBeUndefined();
    expect(byName["secret-policy"]?.facts.masked).toEqual([{ path: "imageName", opacity: "secret" }]);
  });

  it("reads a replacement's deleted half from the old state, not the unknown new one", () => {
    expect(byName["rebuilt"]?.facts.imageId).toBe("img-r3bu1lt0");
    expect(byName["rebuilt"]?.facts.sources).toEqual(["snapshots:snap-aaaa1111"]);
  });

  it("reads unknowns in planned creations as not known", () => {
    const created = plan.creations.find((c) => c.name === "computed");
    const facts = readImageFacts(created!.state, "inputs");
    expect(facts.imageName).toBeUndefined();
    expect(facts.sources).toEqual([]);
    expect(facts.blockers.map((b) => b.path)).toEqual(["sharedWith"]);
  });

  it("asks the cloud only about assessable images, without the serialized provider", () => {
    const targets = assessmentTargets(classified);
    expect(targets.map((t) => t.imageId)).toEqual(["img-s3cr3t1d", "img-r3bu1lt0"]);
    expect(targets.every((t) => !("__provider" in t.outputs))).toBe(true);
  });
});

describe("how each deletion comes about (for the ways forward of a refusal)", () => {
  it("tells a destroy (the stack itself is deleted) from an update", () => {
    expect(collectImagePlan(loadFixture("destroy-preview.json")).isDestroy).toBe(true);
    expect(collectImagePlan(loadFixture("engine-destroy.json")).isDestroy).toBe(true);
    expect(collectImagePlan(loadFixture("preview-refactor.json")).isDestroy).toBe(false);
    expect(collectImagePlan(loadFixture("preview-replacements.json")).isDestroy).toBe(false);
  });

  it("passes destroy, removed-from-the-program or replace with each target", () => {
    const contexts = (fixture: string) =>
      Object.fromEntries(
        assessmentTargets(classifyDeletions(collectImagePlan(loadFixture(fixture)))).map((t) => [
          t.urn?.split("::").pop(),
          t.context,
        ]),
      );
    expect(contexts("engine-destroy.json")).toEqual({ web: "destroy", batch: "destroy" });
    expect(contexts("preview-replacements.json")).toEqual({ web: "replace", db: "replace", "legacy-base": "removed" });
    const plan = collectImagePlan(loadFixture("preview-replacements.json"));
    expect(plan.deletions.map((d) => deleteContext(d, { isDestroy: true }))).toEqual(["destroy", "destroy", "destroy"]);
  });
});

describe("the stored deletion policy", () => {
  const state = (outputs: Record<string, unknown>) => ({
    urn: `urn:pulumi:dev::p::${CUSTOM_IMAGE_TYPE}::img`,
    type: CUSTOM_IMAGE_TYPE,
    id: "img-abcd1234",
    outputs,
  });
  const base = { imageId: "img-abcd1234", region: "ap-guangzhou", sharedWith: [] };

  it("is read as the delete planner reads it, so the report and the assessment agree", () => {
    for (const outputs of [
      base, // an older state that stored no policy: the defaults
      { ...base, deletionPolicy: { unmanagedShares: "unshare" } },
      { ...base, deletionPolicy: { unmanagedShares: "unshare", deleteSnapshots: true, instancesInUse: "block" } },
      { ...base, deletionPolicy: { deleteSnapshots: "yes" } },
    ]) {
      expect(readImageFacts(state(outputs), "outputs").policy).toEqual(
        deleteSpecFromOutputs("img-abcd1234", outputs).deletionPolicy,
      );
    }
    expect(readImageFacts(state(base), "outputs").policy).toEqual({
      unmanagedShares: "block",
      deleteSnapshots: false,
      inUse: { instances: "warn", launchTemplates: "warn", launchConfigurations: "warn" },
    });
  });

  it("is not reported when it is masked", () => {
    expect(readImageFacts(state({ ...base, deletionPolicy: SECRET }), "outputs").policy).toBeUndefined();
    expect(
      readImageFacts(state({ ...base, deletionPolicy: { unmanagedShares: UNKNOWN } }), "outputs").policy,
    ).toBeUndefined();
  });

  it("uses the one UNKNOWN sentinel of the provider logic", () => {
    expect(UNKNOWN).toBe(LOGIC_UNKNOWN);
    expect(UNKNOWN).toBe("04da6b54-80e4-46f7-96ec-b56ff0331ba9"); // what the engine sends for a value unknown at preview
  });
});

describe("parseUrn", () => {
  it("splits type chains and names containing ::", () => {
    expect(parseUrn("urn:pulumi:dev::proj::a:b:C$d:e:F::name::with::colons")).toEqual({
      stack: "dev",
      project: "proj",
      qualifiedType: "a:b:C$d:e:F",
      type: "d:e:F",
      name: "name::with::colons",
    });
    expect(parseUrn("urn:other")).toBeUndefined();
  });
});

describe("previews printed by the real engine (pulumi 3.248 against the emulator)", () => {
  it("reads a destroy preview: image deletions only, step type taken from the states", () => {
    const digest = loadFixture("engine-destroy.json");
    expect(digest.steps.every((s) => s.type === undefined)).toBe(true);
    const classified = classifyDeletions(collectImagePlan(digest));
    expect(classified.map((c) => [c.deletion.name, c.kept, c.facts.imageName])).toEqual([
      ["archive", "retainOnDelete", "archive-2025"],
      ["web", undefined, "web-2026-11"],
      ["batch", undefined, "batch-golden"],
    ]);
    expect(
      classified.every((c) => c.facts.imageId?.startsWith("img-") && c.facts.policy?.unmanagedShares === "block"),
    ).toBe(true);
  });

  it("reads an update preview with a rename that forgot its alias", () => {
    const plan = collectImagePlan(loadFixture("engine-refactor.json"));
    expect(plan.deletions.map((d) => [d.name, d.op])).toEqual([["web", "delete"]]);
    expect(plan.creations.map((c) => [c.name, c.op])).toEqual([["web-image", "create"]]);
    expect(readImageFacts(plan.creations[0]!.state, "inputs").imageName).toBe("web-2026-11");
  });
});
