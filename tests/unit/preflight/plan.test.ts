// Reading a preview (preflight/plan.ts): the JSON document, the engine's masks for secrets and
// unknowns, and previews printed by the real engine. (Image steps: steps.test.ts; which deletions
// are assessed: targets.test.ts.)
import {
  asPreviewDigest,
  collectImagePlan,
  parsePreviewJson,
  PlanParseError,
  SECRET,
  UNKNOWN,
} from "../../../provider/src/preflight";
import { findOpaque, opacityOf } from "../../../provider/src/preflight/plan";
import { readImageFacts } from "../../../provider/src/preflight/steps";
import { classifyDeletions, assessmentTargets, cannotAssessText } from "../../../provider/src/preflight/targets";
import { loadFixture } from "./fakes";

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
