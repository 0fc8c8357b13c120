import {
  attributesLeftAfterCreate,
  diffState,
  updateChanges,
  sharedWithChangeWarning,
  sourceIdentity,
} from "../../../provider/src/provider/diff-rules";
import { DEFAULT_DELETION_POLICY, DEFAULT_TIMEOUTS, ImageFacts, UNKNOWN } from "../../../provider/src/schema/types";
import { checkInputs } from "../../../provider/src/provider/check-rules";

const olds = {
  region: "ap-guangzhou",
  imageName: "web-abcdef1",
  autoNamed: true,
  resourceName: "web",
  imageDescription: "d",
  imageFamily: "",
  tags: { a: "1" },
  sharedWith: ["100000000002"],
  fromInstance: { instanceId: "ins-abcd1234" },
  deletionPolicy: DEFAULT_DELETION_POLICY,
  timeouts: DEFAULT_TIMEOUTS,
  imageId: "img-abcd1234",
  imageState: "NORMAL",
  adopted: false,
  __provider: "P",
};
const news = {
  region: "ap-guangzhou",
  imageName: "web-abcdef1",
  autoNamed: true,
  resourceName: "web",
  imageDescription: "d",
  tags: { a: "1" },
  sharedWith: ["100000000002"],
  fromInstance: { instanceId: "ins-abcd1234" },
  deletionPolicy: DEFAULT_DELETION_POLICY,
  timeouts: DEFAULT_TIMEOUTS,
  __provider: "P",
};

describe("diff", () => {
  test("no change", () => {
    expect(diffState(olds, news)).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
      updates: [],
      detailedDiff: {},
    });
  });
  test.each([
    ["imageName", { imageName: "other" }],
    ["imageDescription", { imageDescription: "new" }],
    ["imageFamily", { imageFamily: "fam" }],
    ["tags", { tags: { a: "2" } }],
    ["sharedWith", { sharedWith: ["100000000002", "100000000003"] }],
    ["deletionPolicy", { deletionPolicy: { ...DEFAULT_DELETION_POLICY, unmanagedShares: "unshare" as const } }],
    ["timeouts", { timeouts: { ...DEFAULT_TIMEOUTS, delete: "5m" } }],
    ["__provider", { __provider: "Q" }],
  ])("%s updates in place", (key, change) => {
    const d = diffState(olds, { ...news, ...change });
    expect(d).toMatchObject({ changes: true, replaces: [], updates: [key] });
  });
  test("share order does not matter", () => {
    expect(
      diffState({ ...olds, sharedWith: ["1000002", "1000003"] }, { ...news, sharedWith: ["1000003", "1000002"] })
        .changes,
    ).toBe(false);
  });
  test("a removed description is cleared for created images, kept for adopted ones", () => {
    const { imageDescription: _d, ...noDesc } = news;
    expect(diffState(olds, noDesc).updates).toEqual(["imageDescription"]);
    expect(diffState({ ...olds, adopted: true }, noDesc).updates).toEqual([]);
  });
  test("new source or region replaces; auto-name => create first", () => {
    const d = diffState(olds, { ...news, fromInstance: { instanceId: "ins-zzzz9999" } });
    expect(d).toMatchObject({ changes: true, replaces: ["fromInstance"], deleteBeforeReplace: false });
    const r = diffState(olds, { ...news, region: "ap-shanghai" });
    expect(r.replaces).toEqual(["region"]);
    const s = diffState(olds, { ...news, fromInstance: undefined, fromSnapshots: { snapshotIds: ["snap-abcd1234"] } });
    expect(s.replaces).toEqual(["fromSnapshots"]);
  });
  test("same explicit name on replacement => delete before replace (same region only)", () => {
    const o = { ...olds, imageName: "fixed", autoNamed: false };
    const n = { ...news, imageName: "fixed", autoNamed: undefined };
    expect(diffState(o, { ...n, fromInstance: { instanceId: "ins-zzzz9999" } }).deleteBeforeReplace).toBe(true);
    expect(diffState(o, { ...n, region: "ap-shanghai" }).deleteBeforeReplace).toBe(false);
    expect(
      diffState(o, { ...n, imageName: "other", fromInstance: { instanceId: "ins-zzzz9999" } }).deleteBeforeReplace,
    ).toBe(false);
  });
  test("creation-only options do not replace", () => {
    const d = diffState(olds, { ...news, fromInstance: { instanceId: "ins-abcd1234", forcePowerOff: true } });
    expect(d).toMatchObject({ changes: true, replaces: [], updates: ["fromInstance"] });
  });
  test("failed images are replaced", () => {
    expect(diffState({ ...olds, imageState: "CREATEFAILED" }, news).replaces).toEqual(["imageState"]);
  });
  test("unknown source or name at preview", () => {
    expect(diffState(olds, { ...news, fromInstance: UNKNOWN as never }).replaces).toEqual(["fromInstance"]);
    expect(diffState(olds, { ...news, imageName: UNKNOWN }).updates).toEqual(["imageName"]);
  });
});

describe("diff: adopting the resource's own image", () => {
  const { fromInstance: _f, autoNamed: _a, ...rest } = news;
  const adoptOwn = { ...rest, adoptImageId: olds.imageId };
  test("switching the source to adoptImageId = its own imageId updates in place", () => {
    expect(diffState(olds, adoptOwn)).toMatchObject({ changes: true, replaces: [], deleteBeforeReplace: false });
    expect(diffState(olds, adoptOwn).updates).toContain("adoptImageId");
  });
  test("with an explicit name too: no replacement, so nothing deletes the adopted image first", () => {
    const o = { ...olds, imageName: "fixed", autoNamed: false };
    const d = diffState(o, { ...adoptOwn, imageName: "fixed" });
    expect(d).toMatchObject({ changes: true, replaces: [], deleteBeforeReplace: false });
  });
  test("once adopted, the same inputs are no change; another image id still replaces", () => {
    const adoptedOlds = {
      ...olds,
      fromInstance: undefined,
      adoptImageId: olds.imageId,
      adopted: true,
      autoNamed: false,
    };
    expect(diffState(adoptedOlds, adoptOwn).changes).toBe(false);
    expect(diffState(olds, { ...adoptOwn, adoptImageId: "img-zzzz9999" }).replaces).toEqual(["adoptImageId"]);
  });
  test("a failed own image is still replaced, but never deleted before the adoption runs", () => {
    const o = { ...olds, imageName: "fixed", autoNamed: false, imageState: "CREATEFAILED" };
    const d = diffState(o, { ...adoptOwn, imageName: "fixed" });
    expect(d).toMatchObject({ replaces: ["imageState"], deleteBeforeReplace: false });
  });
});

describe("diff: values unknown at preview", () => {
  const ctx = { defaultRegion: "ap-guangzhou", randomHex: () => "abcdef1" };
  const program = {
    fromInstance: { instanceId: "ins-abcd1234" },
    imageDescription: "d",
    tags: { a: "1" },
    sharedWith: ["100000000002"],
    resourceName: "web",
  };
  const checked = (over: Record<string, unknown>) => ({
    ...checkInputs(olds, { ...program, ...over }, ctx).inputs,
    __provider: "P",
  });
  test("the program as stored is no change (baseline)", () => {
    expect(diffState(olds, checked({})).changes).toBe(false);
  });
  test.each([
    ["deletionPolicy", { deletionPolicy: UNKNOWN }],
    ["timeouts", { timeouts: UNKNOWN }],
    ["sharedWith", { sharedWith: UNKNOWN }],
    ["deletionPolicy", { deletionPolicy: { unmanagedShares: UNKNOWN } }],
  ])("unknown %s (check, then diff) is an in-place change, not the defaults", (key, over) => {
    expect(diffState(olds, checked(over))).toMatchObject({ changes: true, replaces: [], updates: [key] });
  });
  test("unknown lists inside a source make the source unknown (never spread into characters) and replace", () => {
    expect(sourceIdentity({ fromInstance: { instanceId: "ins-abcd1234", dataDiskIds: UNKNOWN as never } })).toBe(
      UNKNOWN,
    );
    expect(sourceIdentity({ fromSnapshots: { snapshotIds: UNKNOWN as never } })).toBe(UNKNOWN);
    expect(sourceIdentity({ fromInstance: { instanceId: "ins-abcd1234", dataDiskIds: ["disk-b", "disk-a"] } })).toBe(
      sourceIdentity({
        fromInstance: { instanceId: "ins-abcd1234", dataDiskIds: ["disk-a", "disk-b"], forcePowerOff: true },
      }),
    );
    expect(
      diffState(olds, checked({ fromInstance: { instanceId: "ins-abcd1234", dataDiskIds: UNKNOWN } })).replaces,
    ).toEqual(["fromInstance"]);
    expect(diffState(olds, checked({ fromInstance: UNKNOWN })).replaces).toEqual(["fromInstance"]);
  });
  test("unknown region replaces", () => {
    expect(diffState(olds, checked({ region: UNKNOWN })).replaces).toEqual(["region"]);
  });
  test("unknown imageName with a replacing change deletes first, as apply would if the names match", () => {
    const o = { ...olds, imageName: "fixed", autoNamed: false };
    const d = diffState(o, {
      ...news,
      autoNamed: undefined,
      imageName: UNKNOWN,
      fromInstance: { instanceId: "ins-zzzz9999" },
    });
    expect(d).toMatchObject({ replaces: ["fromInstance"], deleteBeforeReplace: true });
    // Also when the region is unknown too; a known other region frees the name.
    expect(
      diffState(o, { ...news, autoNamed: undefined, imageName: UNKNOWN, region: UNKNOWN }).deleteBeforeReplace,
    ).toBe(true);
    expect(
      diffState(o, { ...news, autoNamed: undefined, imageName: UNKNOWN, region: "ap-shanghai" }).deleteBeforeReplace,
    ).toBe(false);
    // Without a replacement an unknown name is an in-place rename.
    expect(diffState(o, { ...news, autoNamed: undefined, imageName: UNKNOWN })).toMatchObject({
      replaces: [],
      deleteBeforeReplace: false,
    });
  });
});

describe("updateChanges", () => {
  const image: ImageFacts = {
    imageId: "img-abcd1234",
    imageName: "web-abcdef1",
    imageDescription: "d",
    imageFamily: "",
    imageState: "NORMAL",
    imageType: "PRIVATE_IMAGE",
    imageCreator: "1",
    snapshotIds: [],
    createdTime: "",
    architecture: "",
    platform: "",
    osName: "",
    tags: { a: "1", b: "2" },
    imageDeprecated: false,
  };
  test("adds wanted shares, cancels only formerly managed ones, leaves out-of-band shares", () => {
    const p = updateChanges(
      { ...olds, sharedWith: ["100000000002", "100000000004"] },
      { ...news, sharedWith: ["100000000003"] },
      { image, shares: ["100000000002", "100000000004", "100000000009"] },
    );
    expect(p.sharesToAdd).toEqual(["100000000003"]);
    expect(p.sharesToCancel).toEqual(["100000000002", "100000000004"]);
  });
  test("modifies only what differs from the cloud; tags diffed", () => {
    const p = updateChanges(
      olds,
      { ...news, imageDescription: "new", tags: { a: "1", c: "3" } },
      { image, shares: ["100000000002"] },
    );
    expect(p.modify).toEqual({ imageDescription: "new" });
    expect(p.tagsToSet).toEqual({ c: "3" });
    expect(p.tagKeysToRemove).toEqual(["b"]);
  });
});

describe("diff: field-level detailed diff", () => {
  test("object fields, map keys and whole values, each with its own kind", () => {
    const d = diffState(olds, {
      ...news,
      tags: { a: "2", b: "new" },
      deletionPolicy: { ...DEFAULT_DELETION_POLICY, unmanagedShares: "unshare" },
      imageDescription: undefined,
      imageDeprecated: true,
    });
    expect(d.detailedDiff).toEqual({
      imageDescription: { kind: "delete", inputDiff: false },
      imageDeprecated: { kind: "add", inputDiff: false },
      "tags.a": { kind: "update", inputDiff: false },
      "tags.b": { kind: "add", inputDiff: false },
      "deletionPolicy.unmanagedShares": { kind: "update", inputDiff: false },
    });
    expect(d.updates).toEqual(["imageDescription", "imageDeprecated", "tags", "deletionPolicy"]);
  });
  test("a replacing source field is marked -replace; a creation-only one beside it is not", () => {
    const d = diffState(olds, { ...news, fromInstance: { instanceId: "ins-zzzz9999", sysprep: true } });
    expect(d.detailedDiff).toEqual({
      "fromInstance.instanceId": { kind: "update-replace", inputDiff: false },
      "fromInstance.sysprep": { kind: "add", inputDiff: false },
    });
  });
  test("switching sources: the old one is deleted and the new one added, both replacing", () => {
    const d = diffState(olds, { ...news, fromInstance: undefined, fromSnapshots: { snapshotIds: ["snap-abcd1234"] } });
    expect(d.detailedDiff).toEqual({
      fromInstance: { kind: "delete-replace", inputDiff: false },
      fromSnapshots: { kind: "add-replace", inputDiff: false },
    });
  });
  test("a region change, a failed image and a value unknown at preview", () => {
    expect(diffState(olds, { ...news, region: "ap-shanghai" }).detailedDiff).toEqual({
      region: { kind: "update-replace", inputDiff: false },
    });
    expect(diffState({ ...olds, imageState: "IMPORTFAILED" }, news).detailedDiff).toEqual({
      imageState: { kind: "update-replace", inputDiff: false },
    });
    expect(diffState(olds, { ...news, tags: { a: UNKNOWN } }).detailedDiff).toEqual({
      "tags.a": { kind: "update", inputDiff: false },
    });
    expect(diffState(olds, { ...news, fromInstance: UNKNOWN as never }).detailedDiff).toEqual({
      fromInstance: { kind: "update-replace", inputDiff: false },
    });
  });
  test("reordered sets are no change; an added deprecation flag on state from before it existed is", () => {
    expect(
      diffState(
        { ...olds, sharedWith: ["100000000003", "100000000002"] },
        { ...news, sharedWith: ["100000000002", "100000000003"] },
      ).changes,
    ).toBe(false);
    expect(diffState({ ...olds, fromInstance: { instanceId: "ins-abcd1234", dataDiskIds: [] } }, news).changes).toBe(
      false,
    );
    expect(diffState(olds, { ...news, imageDeprecated: false }).changes).toBe(false);
    expect(diffState(olds, { ...news, imageDeprecated: true }).updates).toEqual(["imageDeprecated"]);
  });
  test("an adopted image keeps a deprecation flag the program does not set", () => {
    expect(diffState({ ...olds, adopted: true, imageDeprecated: true }, news).changes).toBe(false);
    expect(diffState({ ...olds, imageDeprecated: true }, news).updates).toEqual(["imageDeprecated"]);
  });
});

describe("updateChanges: imageDeprecated", () => {
  const image: ImageFacts = {
    imageId: "img-abcd1234",
    imageName: "web-abcdef1",
    imageDescription: "d",
    imageFamily: "",
    imageDeprecated: false,
    imageState: "NORMAL",
    imageType: "PRIVATE_IMAGE",
    imageCreator: "1",
    snapshotIds: [],
    createdTime: "",
    architecture: "",
    platform: "",
    osName: "",
    tags: { a: "1" },
  };
  test("set through ModifyImageAttribute when it differs from the cloud", () => {
    expect(updateChanges(olds, { ...news, imageDeprecated: true }, { image, shares: ["100000000002"] }).modify).toEqual(
      {
        imageDeprecated: true,
      },
    );
    expect(
      updateChanges(olds, news, { image: { ...image, imageDeprecated: true }, shares: ["100000000002"] }).modify,
    ).toEqual({ imageDeprecated: false });
    expect(
      updateChanges({ ...olds, adopted: true }, news, {
        image: { ...image, imageDeprecated: true },
        shares: ["100000000002"],
      }).modify,
    ).toBeUndefined();
  });
  test("left for after create: what CreateImage cannot set", () => {
    expect(attributesLeftAfterCreate({ ...news, imageDeprecated: true }, image)).toEqual({ imageDeprecated: true });
    expect(attributesLeftAfterCreate(news, image)).toBeUndefined();
  });
});

describe("after an update", () => {
  const { sharesAfter, changesDescription } =
    require("../../../provider/src/provider/diff-rules") as typeof import("../../../provider/src/provider/diff-rules");
  const plan = (over: Partial<import("../../../provider/src/provider/diff-rules").UpdateChanges> = {}) => ({
    tagsToSet: {},
    tagKeysToRemove: [],
    sharesToAdd: [],
    sharesToCancel: [],
    ...over,
  });

  test("the shares are known without listing them again", () => {
    expect(sharesAfter(["1", "2"], plan({ sharesToAdd: ["3", "2"], sharesToCancel: ["1"] }))).toEqual(["2", "3"]);
    expect(sharesAfter([], plan())).toEqual([]);
  });

  test("only attribute and tag changes need the image described again", () => {
    expect(changesDescription(plan())).toBe(false);
    expect(changesDescription(plan({ sharesToAdd: ["3"] }))).toBe(false);
    expect(changesDescription(plan({ modify: { imageName: "x" } }))).toBe(true);
    expect(changesDescription(plan({ tagsToSet: { a: "b" } }))).toBe(true);
    expect(changesDescription(plan({ tagKeysToRemove: ["a"] }))).toBe(true);
  });
});

describe("sharedWithChangeWarning", () => {
  const BOB = "100000000002";
  const CAROL = "100000000003";
  const DAVE = "100000000004";
  const state = { sharedWith: [BOB], unmanagedShares: [CAROL] };

  it("names each account added and removed, judged against the state", () => {
    expect(sharedWithChangeWarning(state, { sharedWith: [DAVE] })).toBe(
      `sharedWith: will share with ${DAVE} (new); stop sharing with ${BOB}`,
    );
    expect(sharedWithChangeWarning(state, { sharedWith: [BOB, DAVE] })).toBe(
      `sharedWith: will share with ${DAVE} (new)`,
    );
    expect(sharedWithChangeWarning(state, { sharedWith: [] })).toBe(`sharedWith: stop sharing with ${BOB}`);
  });

  it("an account already shared outside the stack is taken over, not shared again", () => {
    expect(sharedWithChangeWarning(state, { sharedWith: [BOB, CAROL] })).toBe(
      `sharedWith: will manage the share made outside the stack with ${CAROL}`,
    );
  });

  it("says nothing when the accounts do not change or are not known yet", () => {
    expect(sharedWithChangeWarning(state, { sharedWith: [BOB] })).toBeUndefined();
    expect(sharedWithChangeWarning(state, { sharedWith: UNKNOWN as never })).toBeUndefined();
    expect(sharedWithChangeWarning(state, { sharedWith: [BOB, UNKNOWN] })).toBeUndefined();
  });

  it("a secret sharedWith is counted, never listed", () => {
    const text = sharedWithChangeWarning(state, { sharedWith: [CAROL, DAVE], sharedWithSecret: true });
    expect(text).toBe(
      "sharedWith (secret: accounts not shown): will share with 1 account; will manage the share made outside the stack with 1 account; stop sharing with 1 account",
    );
  });
});
