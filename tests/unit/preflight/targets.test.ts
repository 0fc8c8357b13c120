// Which planned deletions the preflight assesses (preflight/targets.ts): kept resources, and how
// each deletion comes about.
import { collectImagePlan, CUSTOM_IMAGE_TYPE } from "../../../provider/src/preflight";
import { keptReason } from "../../../provider/src/preflight/steps";
import { assessmentTargets, classifyDeletions, deleteContext } from "../../../provider/src/preflight/targets";
import { loadFixture } from "./fakes";

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
