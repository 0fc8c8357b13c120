import { identityMismatch, isAnotherImage, recordedIdentity } from "../../../provider/src/provider/deletion-rules";
import { deleteSpecFromOutputs, copySpec, decideDeletion } from "../../../provider/src/provider/deletion-rules";

const rec = (imageName: string, createdTime: string) => ({ imageName, createdTime });

describe("isAnotherImage", () => {
  test.each([
    // [recorded, live, another?]
    [rec("app-a", "2026-12-07T10:00:00Z"), rec("app-a", "2026-12-07T10:00:01Z"), true],
    [rec("app-a", "2026-12-07T10:00:00Z"), rec("app-b", "2026-12-07T11:00:00Z"), true],
    [rec("app-a", "2026-12-07T10:00:00Z"), rec("app-a", "2026-12-07T10:00:00Z"), false],
    // The same instant written in another zone is the same image.
    [rec("app-a", "2026-12-07T10:00:00Z"), rec("app-a", "2026-12-07T18:00:00+08:00"), false],
    // Renamed outside the stack: drift, not another image.
    [rec("app-a", "2026-12-07T10:00:00Z"), rec("renamed", "2026-12-07T10:00:00Z"), false],
    // Unparsable times compare as text.
    [rec("app-a", "yesterday"), rec("app-a", "today"), true],
    [rec("app-a", "yesterday"), rec("app-a", "yesterday"), false],
    // No recorded time: a different name decides.
    [rec("app-a", ""), rec("app-b", "2026-12-07T10:00:00Z"), true],
    [rec("app-a", ""), rec("app-a", "2026-12-07T10:00:00Z"), false],
    // The cloud shows no time: only the name can decide, and only when the state has no time either.
    [rec("app-a", "2026-12-07T10:00:00Z"), rec("app-b", ""), false],
    // Nothing recorded: nothing tells them apart.
    [rec("", ""), rec("app-b", "2026-12-07T10:00:00Z"), false],
    [rec("app-a", ""), rec("", ""), false],
  ])("%j vs %j: another image = %s", (recorded, live, another) => {
    expect(isAnotherImage(recorded, live)).toBe(another);
  });
});

test("identityMismatch names both images and why the id can name another", () => {
  expect(
    identityMismatch(
      "img-6q69vhww",
      rec("app-a25aa05", "2026-12-07T10:00:00Z"),
      rec("app-4bf4755", "2026-12-07T11:00:00Z"),
    ),
  ).toBe(
    'img-6q69vhww now names another image ("app-4bf4755", created 2026-12-07T11:00:00Z) than the one the state recorded ("app-a25aa05", created 2026-12-07T10:00:00Z): ' +
      "the recorded image no longer exists (the id was handed out again, e.g. by an emulator restarted without its state, or the state was restored or copied)",
  );
  expect(
    identityMismatch("img-6q69vhww", rec("app-a", "2026-12-07T10:00:00Z"), rec("app-a", "2026-12-07T10:00:00Z")),
  ).toBeUndefined();
});

test("recordedIdentity reads the stored name and creation time, missing ones as unknown", () => {
  expect(recordedIdentity({ imageName: "app", createdTime: "2026-12-07T10:00:00Z", region: "x" })).toEqual({
    imageName: "app",
    createdTime: "2026-12-07T10:00:00Z",
  });
  expect(recordedIdentity({ imageName: 7 })).toEqual({ imageName: "", createdTime: "" });
});

describe("decideDeletion", () => {
  const outputs = {
    imageName: "app-a25aa05",
    createdTime: "2026-12-07T10:00:00Z",
    region: "ap-guangzhou",
    sharedWith: ["100000000002"],
  };
  const image = (imageName: string, createdTime: string) => ({
    imageId: "img-6q69vhww",
    imageName,
    imageType: "PRIVATE_IMAGE",
    imageState: "NORMAL",
    imageCreator: "100000000001",
    snapshotIds: ["snap-other001"],
    createdTime,
  });
  const usage = { instances: [], launchTemplates: [], launchConfigurations: [], unchecked: {} };

  test("another image under the recorded id: gone, nothing cancelled or deleted, the reason a warning too", () => {
    const plan = decideDeletion(deleteSpecFromOutputs("img-6q69vhww", outputs), {
      image: image("app-4bf4755", "2026-12-07T11:00:00Z"),
      shares: ["100000000002", "100000000009"],
      usage,
    });
    expect(plan.outcome).toBe("gone");
    expect(plan.exists).toBe(false);
    expect(plan.imageName).toBe("app-a25aa05");
    expect(plan.sharesToCancel).toEqual([]);
    expect(plan.snapshotIds).toEqual([]);
    expect(plan.reasons).toHaveLength(1);
    expect(plan.reasons[0]).toMatch(
      /^img-6q69vhww now names another image \("app-4bf4755", .*; it is not the stack's to delete and is left alone$/,
    );
    expect(plan.warnings).toEqual(plan.reasons);
  });

  test("the recorded image: planned as usual", () => {
    const plan = decideDeletion(deleteSpecFromOutputs("img-6q69vhww", outputs), {
      image: image("app-a25aa05", "2026-12-07T10:00:00Z"),
      shares: ["100000000002"],
      usage,
    });
    expect(plan.outcome).toBe("delete");
    expect(plan.sharesToCancel).toEqual(["100000000002"]);
  });

  test("a copy records no identity of its own: planned as usual whatever its time", () => {
    const spec = copySpec(deleteSpecFromOutputs("img-6q69vhww", outputs), "ap-shanghai", {
      imageId: "img-copy0001",
      sharedWith: [],
    } as never);
    const plan = decideDeletion(spec, {
      image: { ...image("app-a25aa05", "2026-12-08T00:00:00Z"), imageId: "img-copy0001" },
      shares: [],
      usage,
    });
    expect(plan.outcome).toBe("delete");
  });
});
