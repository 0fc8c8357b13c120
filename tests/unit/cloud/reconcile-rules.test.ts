import { restoredSharesText } from "../../../provider/src/provider/messages-rules";
import {
  accountsStillToChange,
  CLOCK_SKEW_MS,
  createdSince,
  declaredAttributesMatch,
  isOwnLeftover,
  mayBeAlreadyDone,
  sourceMatch,
} from "../../../provider/src/cloud/reconcile-rules";
import { ImageFacts } from "../../../provider/src/schema/types";
import { imageFacts } from "../../support/image-facts";

const image = (over: Partial<ImageFacts> = {}): ImageFacts => imageFacts({ imageSource: "CREATE_IMAGE", ...over });
const fromInstance = { fromInstance: { instanceId: "ins-abcd1234" } };
const fromImport = {
  fromImport: { imageUrl: "https://b.cos/x.qcow2", architecture: "arm_64", osType: "Ubuntu", osVersion: "22.04" },
};
const instance = { osName: "TencentOS Server 3.1 (TK4)" };

describe("createdSince", () => {
  const sent = Date.parse("2026-12-01T10:00:00Z");
  test.each([
    ["created after the call was sent", "2026-12-01T10:00:01Z", "NORMAL", true],
    ["created within the clock skew before it", new Date(sent - CLOCK_SKEW_MS + 1000).toISOString(), "NORMAL", true],
    ["created before the skew", new Date(sent - CLOCK_SKEW_MS - 1000).toISOString(), "NORMAL", false],
    ["with an official-example offset time", "2026-12-01T10:00:05+00:00", "NORMAL", true],
    ["busy, without a time", "", "CREATING", true],
    ["settled, without a time", "", "NORMAL", false],
  ])("%s", (_label, createdTime, imageState, expected) => {
    expect(createdSince(image({ createdTime, imageState }), sent)).toBe(expected);
  });
});

describe("sourceMatch", () => {
  test.each([
    ["snapshots: exactly those", { fromSnapshots: { snapshotIds: ["snap-aaaa1111"] } }, image(), undefined, "yes"],
    ["snapshots: others", { fromSnapshots: { snapshotIds: ["snap-bbbb2222"] } }, image(), undefined, "no"],
    [
      "snapshots: none shown",
      { fromSnapshots: { snapshotIds: ["snap-aaaa1111"] } },
      image({ snapshotIds: [] }),
      undefined,
      "unknown",
    ],
    ["instance: every trait fits", fromInstance, image(), instance, "yes"],
    ["instance: without the instance's OS name", fromInstance, image(), undefined, "unknown"],
    ["instance: another OS", fromInstance, image(), { osName: "CentOS 7.9" }, "no"],
    [
      "instance: a data disk more than asked",
      fromInstance,
      image({ snapshotIds: ["snap-a", "snap-b"] }),
      instance,
      "no",
    ],
    [
      "instance: with the data disk asked",
      { fromInstance: { instanceId: "ins-abcd1234", dataDiskIds: ["disk-1"] } },
      image({ snapshotIds: ["snap-a", "snap-b"] }),
      instance,
      "yes",
    ],
    ["instance: an imported image", fromInstance, image({ imageSource: "EXTERNAL_IMPORT" }), instance, "no"],
    ["instance: no ImageSource shown", fromInstance, image({ imageSource: undefined }), instance, "unknown"],
    [
      "import: every trait fits",
      fromImport,
      image({ imageSource: "EXTERNAL_IMPORT", architecture: "arm" }),
      undefined,
      "yes",
    ],
    ["import: another architecture", fromImport, image({ imageSource: "EXTERNAL_IMPORT" }), undefined, "no"],
    ["import: made by CreateImage", fromImport, image({ architecture: "arm" }), undefined, "no"],
  ] as const)("%s", (_label, inputs, img, inst, expected) => {
    expect(sourceMatch(img, inputs as never, inst)).toBe(expected);
  });
});

describe("isOwnLeftover", () => {
  const inputs = { ...fromInstance, imageDescription: "d", tags: { team: "web" } };
  const own = image({ imageDescription: "d", tags: { team: "web" } });
  test("same source and declared attributes, not claimed in this process: the resource's own", () => {
    expect(isOwnLeftover(own, inputs, "yes", false)).toBe(true);
  });
  test.each([
    ["the source is unknown", own, "unknown", false],
    ["the source differs", own, "no", false],
    ["another create of this process made it", own, "yes", true],
    ["the description differs", image({ imageDescription: "x", tags: { team: "web" } }), "yes", false],
    ["a tag more", image({ imageDescription: "d", tags: { team: "web", extra: "1" } }), "yes", false],
    ["the family differs", image({ imageDescription: "d", imageFamily: "f", tags: { team: "web" } }), "yes", false],
  ] as const)("not when %s", (_label, img, match, claimed) => {
    expect(isOwnLeftover(img, inputs, match, claimed)).toBe(false);
  });
  test("absent declared attributes mean empty ones", () => {
    expect(declaredAttributesMatch(image(), fromInstance)).toBe(true);
  });
});

describe("share answers that may mean already so", () => {
  test.each([
    ["SHARE", "FailedOperation.AccountAlreadyExists", true],
    ["SHARE", "InvalidAccountId.NotFound", false],
    ["CANCEL", "InvalidAccountId.NotFound", true],
    ["CANCEL", "FailedOperation.AccountAlreadyExists", false],
    ["SHARE", undefined, false],
  ] as const)("%s answered %s: %s", (permission, code, expected) => {
    expect(mayBeAlreadyDone(permission, code)).toBe(expected);
  });
  test("what is left of a chunk, given the current shares", () => {
    expect(accountsStillToChange("SHARE", ["a", "b", "c"], ["b"])).toEqual(["a", "c"]);
    expect(accountsStillToChange("SHARE", ["a"], ["a"])).toEqual([]);
    expect(accountsStillToChange("CANCEL", ["a", "b"], ["b", "x"])).toEqual(["b"]);
    expect(accountsStillToChange("CANCEL", ["a"], [])).toEqual([]);
  });
});

test("the journal line of restored shares names managed and unmanaged accounts", () => {
  expect(restoredSharesText(["1"], [])).toBe(
    "the stack's shares with 1 account (1) were cancelled and have been restored",
  );
  expect(restoredSharesText(["1", "2"], ["3"])).toBe(
    "the stack's shares with 2 accounts (1, 2) and the shares made outside the stack with 1 account (3) were cancelled and have been restored",
  );
});
