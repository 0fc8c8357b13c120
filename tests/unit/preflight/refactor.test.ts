import {
  aliasSuggestion,
  collectImagePlan,
  CUSTOM_IMAGE_TYPE,
  detectRefactorMistakes,
  exitCodeFor,
  runPreflight,
  UNKNOWN,
} from "../../../provider/src/preflight";
import { loadFixture } from "./fakes";

const T = CUSTOM_IMAGE_TYPE;

describe("detectRefactorMistakes", () => {
  const { findings, uncomparable } = detectRefactorMistakes(collectImagePlan(loadFixture("preview-refactor.json")));
  const short = findings.map((f) => [
    f.kind,
    f.severity,
    f.urn.split("::").pop(),
    f.relatedUrn?.split("::").pop(),
    f.matchedOn,
  ]);

  it("pairs each deleted image with the created one it most resembles, once", () => {
    expect(short).toEqual([
      ["adopts-deleted-image", "error", "legacy", "imported", undefined],
      ["missing-alias", "error", "app", "app-image", ["imageName", "source"]],
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
    const move = findings.find((f) => f.urn.endsWith("::base"));
    expect(move?.message).toBe(
      '"base" is deleted while "base" is created with the same resource name: likely a rename or move without an alias',
    );
  });

  it("blocks a rename that keeps the explicit image name in the region: the create collides with the image it replaces", () => {
    const rename = findings.find((f) => f.urn.endsWith("::app"));
    expect(rename?.severity).toBe("error");
    expect(rename?.message).toBe(
      '"app" is deleted while "app-image" is created with the same image name "refactor-app" and source in ap-guangzhou: a rename or move without an alias. ' +
        'The engine creates "app-image" before it deletes "app", and image names are unique per region, so the create collides with the image it replaces: ' +
        'it fails (InvalidImageName.Duplicate), or takes that image over as its own while the delete of "app" then removes it',
    );
    expect(rename?.suggestion).toContain('add `aliases: [{ name: "app" }]` to the resource options of "app-image"');
  });

  it("only warns when the name is generated or the regions differ (both images can exist)", () => {
    const del = (outputs: Record<string, unknown>) => ({
      urn: `urn:pulumi:dev::p::${T}::old`,
      name: "old",
      op: "delete" as const,
      stepIndex: 1,
      state: {
        urn: `urn:pulumi:dev::p::${T}::old`,
        type: T,
        id: "img-0ld00001",
        outputs: { imageId: "img-0ld00001", imageName: "same", region: "ap-guangzhou", ...outputs },
      },
    });
    const cre = (inputs: Record<string, unknown>) => ({
      urn: `urn:pulumi:dev::p::${T}::new`,
      name: "new",
      op: "create" as const,
      stepIndex: 2,
      state: {
        urn: `urn:pulumi:dev::p::${T}::new`,
        type: T,
        inputs: { imageName: "same", region: "ap-guangzhou", fromInstance: { instanceId: "ins-1" }, ...inputs },
      },
    });
    const severity = (d: ReturnType<typeof del>, c: ReturnType<typeof cre>) =>
      detectRefactorMistakes({
        deletions: [d],
        creations: [c],
        showsReplacementSteps: true,
        deletedUrns: new Set([d.urn]),
        isDestroy: false,
      }).findings.map((f) => [f.kind, f.severity]);
    expect(severity(del({}), cre({}))).toEqual([["missing-alias", "error"]]);
    expect(severity(del({}), cre({ region: "ap-shanghai" }))).toEqual([["missing-alias", "warning"]]);
    expect(severity(del({}), cre({ autoNamed: true }))).toEqual([["missing-alias", "warning"]]);
    // An old image kept by retainOnDelete still holds the name: blocked too, without claiming the delete removes it.
    const kept = { ...del({}), state: { ...del({}).state, retainOnDelete: true } };
    const [f] = detectRefactorMistakes({
      deletions: [kept],
      creations: [cre({})],
      showsReplacementSteps: true,
      deletedUrns: new Set([kept.urn]),
      isDestroy: false,
    }).findings;
    expect(f?.severity).toBe("error");
    expect(f?.message).toMatch(/or takes that image over as its own \(retainOnDelete keeps it in the cloud\)$/);
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
    outputs: {
      imageId: "img-0ld1mage",
      imageName: "old-image",
      region: "ap-guangzhou",
      fromInstance: { instanceId: "ins-aaaa1111" },
    },
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
    isDestroy: false,
  });

  it("flags a new image adopting an image deleted by a replace step, not only by a plain delete", () => {
    const replaced = {
      urn: urn("old"),
      name: "old",
      op: "replace",
      stepIndex: 2,
      state: oldState("old"),
      deleteBeforeCreate: false,
    };
    const { findings: f } = detectRefactorMistakes(planOf(replaced, adopter("create", "adopter")));
    expect(f.map((x) => [x.kind, x.severity, x.relatedUrn?.split("::").pop()])).toEqual([
      ["adopts-deleted-image", "error", "adopter"],
    ]);
    expect(f[0]?.message).toContain('which this plan deletes when it replaces "old"');
  });

  it("flags a replacement whose new inputs adopt the image its old half deletes", () => {
    const replaced = {
      urn: urn("old"),
      name: "old",
      op: "replace",
      stepIndex: 2,
      state: oldState("old"),
      deleteBeforeCreate: true,
    };
    const { findings: f } = detectRefactorMistakes(planOf(replaced, adopter("replace", "old")));
    expect(f.map((x) => x.kind)).toEqual(["adopts-deleted-image", "delete-before-create"]);
  });

  it("does not flag adopting an image whose delete keeps it (retainOnDelete)", () => {
    const kept = {
      urn: urn("old"),
      name: "old",
      op: "delete",
      stepIndex: 2,
      state: oldState("old", { retainOnDelete: true }),
    };
    const { findings: f } = detectRefactorMistakes(planOf(kept, adopter("create", "adopter")));
    expect(f.filter((x) => x.kind === "adopts-deleted-image")).toEqual([]);
  });
});

describe("aliasSuggestion", () => {
  it("falls back to the old URN across stacks or parents", () => {
    expect(aliasSuggestion(`urn:pulumi:dev::p::${T}::a`, `urn:pulumi:dev::p::${T}::b`)).toContain('[{ name: "a" }]');
    expect(aliasSuggestion(`urn:pulumi:dev::p::${T}::a`, `urn:pulumi:dev::p::x:y:Z$${T}::a`)).toContain(
      `["urn:pulumi:dev::p::${T}::a"]`,
    );
  });
});

describe("two creates with one image name", () => {
  const urn = (name: string) => `urn:pulumi:dev::images-app::${T}::${name}`;
  const creation = (name: string, inputs: Record<string, unknown>, op: "create" | "replace" = "create") => ({
    urn: urn(name),
    name,
    op,
    stepIndex: 1,
    state: { urn: urn(name), type: T, inputs: { fromInstance: { instanceId: "ins-aaaa1111" }, ...inputs } },
  });
  const check = (...creations: ReturnType<typeof creation>[]) =>
    detectRefactorMistakes({
      deletions: [],
      creations,
      showsReplacementSteps: true,
      deletedUrns: new Set(),
      isDestroy: false,
    }).findings;

  it("are blocked when they share the name in one region, naming all of them", () => {
    const findings = check(
      creation("a", { imageName: "golden", region: "ap-guangzhou" }),
      creation("b", { imageName: "golden", region: "ap-guangzhou" }),
      creation("c", { imageName: "golden", region: "ap-guangzhou" }, "replace"),
    );
    expect(findings.map((f) => [f.kind, f.severity, f.urn.split("::").pop(), f.relatedUrn?.split("::").pop()])).toEqual(
      [["duplicate-image-name", "error", "a", "b"]],
    );
    expect(findings[0]?.message).toBe(
      '"a", "b", "c" are all created with the image name "golden" in ap-guangzhou: image names are unique per region, so only one create can succeed (the others fail with InvalidImageName.Duplicate)',
    );
    expect(findings[0]?.suggestion).toContain("give each resource its own `imageName`");
  });

  it("pass in different regions, with different names, or when a name is unknown until apply", () => {
    expect(
      check(
        creation("a", { imageName: "golden", region: "ap-guangzhou" }),
        creation("b", { imageName: "golden", region: "ap-shanghai" }),
      ),
    ).toEqual([]);
    expect(
      check(
        creation("a", { imageName: "golden", region: "ap-guangzhou" }),
        creation("b", { imageName: "golden-2", region: "ap-guangzhou" }),
      ),
    ).toEqual([]);
    expect(
      check(
        creation("a", { imageName: UNKNOWN, region: "ap-guangzhou" }),
        creation("b", { imageName: UNKNOWN, region: "ap-guangzhou" }),
      ),
    ).toEqual([]);
  });

  it("are blocked when an image that stays holds the name now, unchanged or renamed in the same update", () => {
    const stay = (op: "same" | "update", newName: string) => ({
      urn: urn("holder"),
      name: "holder",
      op,
      state: {
        urn: urn("holder"),
        type: T,
        id: "img-h01d3r00",
        outputs: { imageId: "img-h01d3r00", imageName: "golden", region: "ap-guangzhou" },
      },
      newState: { urn: urn("holder"), type: T, inputs: { imageName: newName, region: "ap-guangzhou" } },
    });
    const findings = (s: ReturnType<typeof stay>) =>
      detectRefactorMistakes({
        deletions: [],
        creations: [creation("a", { imageName: "golden", region: "ap-guangzhou" })],
        stays: [s],
        showsReplacementSteps: true,
        deletedUrns: new Set(),
        isDestroy: false,
      }).findings;
    const same = findings(stay("same", "golden"));
    expect(same.map((f) => [f.kind, f.severity, f.urn.split("::").pop(), f.relatedUrn?.split("::").pop()])).toEqual([
      ["duplicate-image-name", "error", "a", "holder"],
    ]);
    expect(same[0]?.message).toBe(
      '"a" is created with the image name "golden" in ap-guangzhou, which the image of "holder" holds now: image names are unique per region, so the create fails (InvalidImageName.Duplicate)',
    );
    const renamed = findings(stay("update", "golden-old"));
    expect(renamed[0]?.message).toContain(
      '"holder" is renamed in the same update, in no fixed order with the create, so the create may fail',
    );
    expect(renamed[0]?.suggestion).toBe(
      'rename "holder" with one `pulumi up` and create "a" with the next, or give "a" another `imageName`',
    );
  });

  it("collects the images that stay from the plan", () => {
    const plan = collectImagePlan({
      steps: [
        { op: "same", urn: urn("s"), oldState: { urn: urn("s"), type: T, id: "img-1", outputs: { imageName: "n" } } },
        {
          op: "update",
          urn: urn("u"),
          oldState: { urn: urn("u"), type: T, id: "img-2" },
          newState: { urn: urn("u"), type: T },
        },
      ],
    });
    expect(plan.stays?.map((s) => [s.name, s.op])).toEqual([
      ["s", "same"],
      ["u", "update"],
    ]);
  });

  it("block the plan: exit 2 under the default --fail-on", async () => {
    const step = (name: string) => ({
      op: "create",
      urn: urn(name),
      newState: creation(name, { imageName: "golden", region: "ap-guangzhou" }).state,
    });
    const report = await runPreflight({ preview: { steps: [step("a"), step("b")] } });
    expect(report.verdict).toBe("blocked");
    expect(exitCodeFor(report, "blocked")).toBe(2);
  });
});
