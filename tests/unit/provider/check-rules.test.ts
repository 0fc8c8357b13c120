import { checkInputs } from "../../../provider/src/provider/check-rules";
import { UNKNOWN } from "../../../provider/src/schema/types";

const ctx = { defaultRegion: "ap-guangzhou", randomHex: () => "abcdef1234" };
const src = { fromInstance: { instanceId: "ins-abcd1234" } };

function failures(news: Record<string, unknown>, olds: Record<string, unknown> = {}) {
  return checkInputs(olds, news, ctx).failures;
}
function reasonFor(news: Record<string, unknown>, property: string): string {
  const f = failures(news).find((x) => x.property === property);
  if (!f) throw new Error(`no failure for ${property}: ${JSON.stringify(failures(news))}`);
  return f.reason;
}

describe("check: sources", () => {
  test("no source is rejected, naming the choices", () => {
    expect(reasonFor({}, "fromInstance")).toMatch(
      /exactly one of fromInstance, fromSnapshots, fromImport, adoptImageId/,
    );
  });
  test("two sources are rejected", () => {
    const r = failures({ ...src, adoptImageId: "img-abcd1234" });
    expect(r.map((f) => f.reason).join()).toMatch(/fromInstance and adoptImageId are both set/);
  });
  test("each single source passes", () => {
    expect(failures(src)).toEqual([]);
    expect(failures({ fromSnapshots: { snapshotIds: ["snap-abcd1234"] } })).toEqual([]);
    expect(failures({ adoptImageId: "img-abcd1234" })).toEqual([]);
    expect(
      failures({
        fromImport: {
          imageUrl: "https://b.cos.ap-guangzhou.myqcloud.com/a.qcow2",
          architecture: "x86_64",
          osType: "CentOS",
          osVersion: "7",
        },
      }),
    ).toEqual([]);
  });
  test("malformed ids name the field and an example", () => {
    expect(reasonFor({ fromInstance: { instanceId: "i-123" } }, "fromInstance.instanceId")).toMatch(
      /not a valid instance id; expected something like ins-/,
    );
    expect(reasonFor({ adoptImageId: "image-1" }, "adoptImageId")).toMatch(/valid image id/);
    expect(reasonFor({ fromSnapshots: { snapshotIds: ["snap-1"] } }, "fromSnapshots.snapshotIds[0]")).toMatch(
      /snapshot id/,
    );
    expect(
      reasonFor({ fromInstance: { instanceId: "ins-abcd1234", dataDiskIds: ["d-1"] } }, "fromInstance.dataDiskIds[0]"),
    ).toMatch(/disk id/);
    expect(reasonFor({ ...src, sharedWith: ["alice"] }, "sharedWith[0]")).toMatch(/account id/);
  });
  test("empty snapshot list and missing import fields", () => {
    expect(reasonFor({ fromSnapshots: { snapshotIds: [] } }, "fromSnapshots.snapshotIds")).toMatch(/at least one/);
    const f = failures({ fromImport: { imageUrl: "ftp://x", architecture: "sparc" } });
    const props = f.map((x) => x.property);
    expect(props).toEqual(
      expect.arrayContaining([
        "fromImport.osType",
        "fromImport.osVersion",
        "fromImport.imageUrl",
        "fromImport.architecture",
      ]),
    );
  });
  test("unknown properties are named", () => {
    expect(reasonFor({ fromInstance: { instanceID: "ins-abcd1234" } }, "fromInstance.instanceID")).toMatch(
      /unknown property/,
    );
    expect(reasonFor({ ...src, imagename: "x" }, "imagename")).toMatch(/unknown property/);
  });
});

describe("check: names, limits, policies", () => {
  test("name and description limits", () => {
    expect(reasonFor({ ...src, imageName: "x".repeat(61) }, "imageName")).toMatch(
      /61 characters long; the limit is 60/,
    );
    expect(reasonFor({ ...src, imageDescription: "x".repeat(257) }, "imageDescription")).toMatch(/limit is 256/);
    expect(failures({ ...src, imageName: "x".repeat(60), imageDescription: "y".repeat(256) })).toEqual([]);
  });
  test("unknown policy values and bad durations", () => {
    expect(
      reasonFor({ ...src, deletionPolicy: { unmanagedShares: "force" } }, "deletionPolicy.unmanagedShares"),
    ).toMatch(/use one of "block", "unshare"/);
    expect(
      reasonFor({ ...src, deletionPolicy: { instancesInUse: "ignore" } }, "deletionPolicy.instancesInUse"),
    ).toMatch(/"warn", "block"/);
    expect(reasonFor({ ...src, deletionPolicy: { deleteSnapshots: "yes" } }, "deletionPolicy.deleteSnapshots")).toMatch(
      /true or false/,
    );
    expect(reasonFor({ ...src, timeouts: { delete: "10 minutes" } }, "timeouts.delete")).toMatch(/not a duration/);
  });
  test("duplicate accounts", () => {
    expect(reasonFor({ ...src, sharedWith: ["100000000002", "100000000002"] }, "sharedWith")).toMatch(/more than once/);
  });
  test("defaults are filled", () => {
    const { inputs } = checkInputs({}, { ...src, resourceName: "web" }, ctx);
    expect(inputs.deletionPolicy).toEqual({
      unmanagedShares: "block",
      deleteSnapshots: false,
      inUse: { instances: "warn", launchTemplates: "warn", launchConfigurations: "warn" },
    });
    expect(inputs.timeouts).toEqual({ create: "60m", update: "20m", delete: "30m" });
    expect(inputs.region).toBe("ap-guangzhou");
    expect(inputs.sharedWith).toEqual([]);
  });
  test("no region anywhere is rejected", () => {
    const r = checkInputs({}, src, { randomHex: () => "0000000" }).failures;
    expect(r.find((f) => f.property === "region")?.reason).toMatch(/TENCENTCLOUD_REGION/);
  });
  test("a defaulted region is kept from the old inputs", () => {
    const { inputs } = checkInputs({ region: "ap-shanghai" }, src, ctx);
    expect(inputs.region).toBe("ap-shanghai");
  });
});

describe("check: auto-naming", () => {
  test("auto-name = resource name + 7 hex, within 60 characters", () => {
    const { inputs } = checkInputs({}, { ...src, resourceName: "web" }, ctx);
    expect(inputs.imageName).toBe("web-abcdef1");
    expect(inputs.autoNamed).toBe(true);
    const long = checkInputs({}, { ...src, resourceName: "n".repeat(80) }, ctx).inputs.imageName!;
    expect(long.length).toBe(60);
    expect(long).toMatch(/^n{52}-abcdef1$/);
  });
  test("stable across updates, fresh on replacement (no olds)", () => {
    const first = checkInputs({}, { ...src, resourceName: "web" }, ctx).inputs;
    const again = checkInputs(first, { ...src, resourceName: "web" }, { ...ctx, randomHex: () => "9999999" }).inputs;
    expect(again.imageName).toBe(first.imageName);
    const fresh = checkInputs({}, { ...src, resourceName: "web" }, { ...ctx, randomHex: () => "9999999" }).inputs;
    expect(fresh.imageName).toBe("web-9999999");
  });
  test("kept when the resource is renamed with aliases (resourceName changes); a replacement (no olds) draws a fresh one", () => {
    const first = checkInputs({}, { ...src, resourceName: "web" }, ctx).inputs;
    const renamed = checkInputs(
      first,
      { ...src, resourceName: "web-renamed" },
      { ...ctx, randomHex: () => "9999999" },
    ).inputs;
    expect(renamed).toMatchObject({ imageName: first.imageName, autoNamed: true, resourceName: "web-renamed" });
    const replacement = checkInputs(
      {},
      { ...src, resourceName: "web-renamed" },
      { ...ctx, randomHex: () => "9999999" },
    ).inputs;
    expect(replacement.imageName).toBe("web-renamed-9999999");
  });
  test("explicit names are not auto; adoption without a name keeps the image's name", () => {
    expect(checkInputs({}, { ...src, imageName: "mine" }, ctx).inputs.autoNamed).toBeUndefined();
    expect(checkInputs({}, { adoptImageId: "img-abcd1234", resourceName: "x" }, ctx).inputs.imageName).toBeUndefined();
  });
});

describe("check: unknown values at preview", () => {
  test("unknowns skip validation", () => {
    const { failures: f, inputs } = checkInputs(
      {},
      {
        fromInstance: { instanceId: UNKNOWN },
        imageName: UNKNOWN,
        sharedWith: UNKNOWN,
        region: UNKNOWN,
        tags: { a: UNKNOWN },
      },
      ctx,
    );
    expect(f).toEqual([]);
    expect(inputs.imageName).toBe(UNKNOWN);
  });
  test("wholly unknown deletionPolicy, timeouts and lists stay unknown instead of defaulting", () => {
    const { failures: f, inputs } = checkInputs(
      {},
      { fromSnapshots: { snapshotIds: UNKNOWN }, deletionPolicy: UNKNOWN, timeouts: UNKNOWN, sharedWith: UNKNOWN },
      ctx,
    );
    expect(f).toEqual([]);
    expect(inputs.deletionPolicy).toBe(UNKNOWN);
    expect(inputs.timeouts).toBe(UNKNOWN);
    expect(inputs.sharedWith).toBe(UNKNOWN);
    expect(inputs.fromSnapshots).toEqual({ snapshotIds: UNKNOWN });
  });
  test("a whole unknown source counts as the one source", () => {
    expect(checkInputs({}, { fromInstance: UNKNOWN }, ctx).failures).toEqual([]);
    expect(checkInputs({}, { fromInstance: UNKNOWN, adoptImageId: "img-abcd1234" }, ctx).failures.length).toBe(1);
  });
});

test("a whole-machine image cannot be shared", () => {
  expect(
    reasonFor(
      { fromInstance: { instanceId: "ins-abcd1234", dataDiskIds: ["disk-abcd1234"] }, sharedWith: ["100000000002"] },
      "sharedWith",
    ),
  ).toMatch(/whole-machine image/);
});
