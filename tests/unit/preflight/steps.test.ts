// The image steps of a preview (preflight/steps.ts): deletions and creations with their ordering,
// URNs, and the facts read from a resource's state.
import {
  collectImagePlan,
  CUSTOM_IMAGE_TYPE,
  SECRET,
  UNKNOWN,
  type PreviewDigest,
} from "../../../provider/src/preflight";
import { parseUrn, readImageFacts, stepType } from "../../../provider/src/preflight/steps";
import { deleteSpecFromOutputs } from "../../../provider/src/provider/deletion-rules";
import { UNKNOWN as LOGIC_UNKNOWN } from "../../../provider/src/schema/types";
import { loadFixture } from "./fakes";

const deletionSummary = (digest: PreviewDigest) =>
  collectImagePlan(digest).deletions.map((d) => [d.name, d.op, d.deleteBeforeCreate]);

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
