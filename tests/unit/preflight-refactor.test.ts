import { aliasSuggestion, collectImagePlan, CUSTOM_IMAGE_TYPE, detectRefactorMistakes } from "../../provider/src/preflight";
import { loadFixture } from "./preflight-fakes";

const T = CUSTOM_IMAGE_TYPE;

describe("detectRefactorMistakes", () => {
  const { findings, uncomparable } = detectRefactorMistakes(collectImagePlan(loadFixture("preview-refactor.json")));
  const short = findings.map((f) => [f.kind, f.severity, f.urn.split("::").pop(), f.relatedUrn?.split("::").pop(), f.matchedOn]);

  it("pairs each deleted image with the created one it most resembles, once", () => {
    expect(short).toEqual([
      ["adopts-deleted-image", "error", "legacy", "imported", undefined],
      ["missing-alias", "warning", "app", "app-image", ["imageName", "source"]],
      ["missing-alias", "warning", "base", "base", ["resourceName"]],
    ]);
    // old-tool shares app-image's instance, but app-image is already claimed by "app".
    expect(findings.some((f) => f.urn.endsWith("::old-tool"))).toBe(false);
    expect(uncomparable).toEqual([]);
  });

  it("suggests a name alias for a rename and a URN alias for a move", () => {
    const rename = findings.find((f) => f.urn.endsWith("::app"));
    expect(rename?.suggestion).toContain('aliases: [{ name: "app" }]');
    const move = findings.find((f) => f.urn.endsWith("::base"));
    expect(move?.suggestion).toContain(`aliases: ["urn:pulumi:dev::images-app::${T}::base"]`);
  });

  it("explains what the images share", () => {
    const rename = findings.find((f) => f.urn.endsWith("::app"));
    expect(rename?.message).toBe(
      '"app" is deleted while "app-image" is created with the same image name "refactor-app" and source: likely a rename or move without an alias',
    );
  });

  it("flags replacements that delete first, and only those", () => {
    const { findings: ordering } = detectRefactorMistakes(collectImagePlan(loadFixture("preview-replacements.json")));
    expect(ordering.map((f) => [f.kind, f.urn.split("::").pop()])).toEqual([["delete-before-create", "db"]]);
    expect(ordering[0]?.message).toContain("deletes img-0qd3j8wz before its successor exists");
  });

  it("does not flag replacements of the same resource as missing aliases", () => {
    const { findings: none } = detectRefactorMistakes(collectImagePlan(loadFixture("preview-logical-replace.json")));
    expect(none).toEqual([]);
  });

  it("lists creations whose name and source are unknown until apply", () => {
    const check = detectRefactorMistakes(collectImagePlan(loadFixture("preview-secrets-unknowns.json")));
    expect(check.uncomparable).toEqual([`urn:pulumi:dev::images-app::${T}::computed`]);
  });
});

describe("adopting an image the plan deletes", () => {
  const urn = (name: string) => `urn:pulumi:dev::images-app::${T}::${name}`;
  const oldState = (name: string, extra: Record<string, unknown> = {}) => ({
    urn: urn(name),
    type: T,
    id: "img-0ld1mage",
    outputs: { imageId: "img-0ld1mage", imageName: "old-image", region: "ap-guangzhou", fromInstance: { instanceId: "ins-aaaa1111" } },
    ...extra,
  });
  const adopter = (op: "create" | "replace", name: string) => ({
    urn: urn(name),
    name,
    op,
    stepIndex: 5,
    state: { urn: urn(name), type: T, inputs: { adoptImageId: "img-0ld1mage", region: "ap-guangzhou" } },
  });
  const planOf = (deletion: Record<string, unknown>, creation: ReturnType<typeof adopter>) => ({
    deletions: [deletion as never],
    creations: [creation],
    showsReplacementSteps: true,
    deletedUrns: new Set([urn("old")]),
  });

  it("flags a new image adopting an image deleted by a replace step, not only by a plain delete", () => {
    const replaced = { urn: urn("old"), name: "old", op: "replace", stepIndex: 2, state: oldState("old"), deleteBeforeCreate: false };
    const { findings: f } = detectRefactorMistakes(planOf(replaced, adopter("create", "adopter")));
    expect(f.map((x) => [x.kind, x.severity, x.relatedUrn?.split("::").pop()])).toEqual([["adopts-deleted-image", "error", "adopter"]]);
    expect(f[0]?.message).toContain('which this plan deletes when it replaces "old"');
  });

  it("flags a replacement whose new inputs adopt the image its old half deletes", () => {
    const replaced = { urn: urn("old"), name: "old", op: "replace", stepIndex: 2, state: oldState("old"), deleteBeforeCreate: true };
    const { findings: f } = detectRefactorMistakes(planOf(replaced, adopter("replace", "old")));
    expect(f.map((x) => x.kind)).toEqual(["adopts-deleted-image", "delete-before-create"]);
  });

  it("does not flag adopting an image whose delete keeps it (retainOnDelete)", () => {
    const kept = { urn: urn("old"), name: "old", op: "delete", stepIndex: 2, state: oldState("old", { retainOnDelete: true }) };
    const { findings: f } = detectRefactorMistakes(planOf(kept, adopter("create", "adopter")));
    expect(f.filter((x) => x.kind === "adopts-deleted-image")).toEqual([]);
  });
});

describe("aliasSuggestion", () => {
  it("falls back to the old URN across stacks or parents", () => {
    expect(aliasSuggestion(`urn:pulumi:dev::p::${T}::a`, `urn:pulumi:dev::p::${T}::b`)).toContain('[{ name: "a" }]');
    expect(aliasSuggestion(`urn:pulumi:dev::p::${T}::a`, `urn:pulumi:dev::p::x:y:Z$${T}::a`)).toContain(`["urn:pulumi:dev::p::${T}::a"]`);
  });
});
