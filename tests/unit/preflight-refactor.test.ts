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

describe("aliasSuggestion", () => {
  it("falls back to the old URN across stacks or parents", () => {
    expect(aliasSuggestion(`urn:pulumi:dev::p::${T}::a`, `urn:pulumi:dev::p::${T}::b`)).toContain('[{ name: "a" }]');
    expect(aliasSuggestion(`urn:pulumi:dev::p::${T}::a`, `urn:pulumi:dev::p::x:y:Z$${T}::a`)).toContain(`["urn:pulumi:dev::p::${T}::a"]`);
  });
});
