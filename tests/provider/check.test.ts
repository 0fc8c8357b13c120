import { BOB, provider } from "./harness";
import { withInputDefaults } from "../../provider/src/schema/stored";

// check runs at preview: no emulator is started here, so any cloud call would fail the test.
const src = { fromInstance: { instanceId: "ins-abcd1234" } };
const imp = {
  imageUrl: "https://b.cos.ap-guangzhou.myqcloud.com/a.qcow2",
  architecture: "x86_64",
  osType: "CentOS",
  osVersion: "7",
};
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

beforeAll(() => {
  process.env.TENCENTCLOUD_REGION = "ap-guangzhou";
  process.env.TENCENTCLOUD_CVM_ENDPOINT = "http://127.0.0.1:1"; // nothing listens: a call would fail
});

const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
  ["no source", {}, "fromInstance", /no image source given; set exactly one of/],
  [
    "two sources",
    { ...src, fromSnapshots: { snapshotIds: ["snap-abcd1234"] } },
    "fromSnapshots",
    /both set; set exactly one image source/,
  ],
  ["three sources", { ...src, adoptImageId: "img-abcd1234", fromImport: imp }, "fromImport", /set exactly one/],
  [
    "malformed instance id",
    { fromInstance: { instanceId: "i-1" } },
    "fromInstance.instanceId",
    /not a valid instance id/,
  ],
  ["missing instance id", { fromInstance: {} }, "fromInstance.instanceId", /is required/],
  [
    "malformed disk id",
    { fromInstance: { instanceId: "ins-abcd1234", dataDiskIds: ["vol-1"] } },
    "fromInstance.dataDiskIds[0]",
    /not a valid disk id/,
  ],
  [
    "duplicate disks",
    { fromInstance: { instanceId: "ins-abcd1234", dataDiskIds: ["disk-abcd1234", "disk-abcd1234"] } },
    "fromInstance.dataDiskIds",
    /more than once/,
  ],
  [
    "non-boolean forcePowerOff",
    { fromInstance: { instanceId: "ins-abcd1234", forcePowerOff: "yes" } },
    "fromInstance.forcePowerOff",
    /true or false/,
  ],
  [
    "malformed snapshot id",
    { fromSnapshots: { snapshotIds: ["snapshot-1"] } },
    "fromSnapshots.snapshotIds[0]",
    /not a valid snapshot id/,
  ],
  ["empty snapshots", { fromSnapshots: { snapshotIds: [] } }, "fromSnapshots.snapshotIds", /at least one/],
  ["malformed image id", { adoptImageId: "ami-123" }, "adoptImageId", /not a valid image id/],
  ["bad import url", { fromImport: { ...imp, imageUrl: "not a url" } }, "fromImport.imageUrl", /not an http\(s\) URL/],
  [
    "bad architecture",
    { fromImport: { ...imp, architecture: "amd64" } },
    "fromImport.architecture",
    /use one of "x86_64", "i386", "arm_64"/,
  ],
  ["bad boot mode", { fromImport: { ...imp, bootMode: "BIOS" } }, "fromImport.bootMode", /"Legacy BIOS", "UEFI"/],
  ["bad license", { fromImport: { ...imp, licenseType: "GPL" } }, "fromImport.licenseType", /"TencentCloud", "BYOL"/],
  [
    "missing osVersion",
    { fromImport: { ...imp, osVersion: undefined } },
    "fromImport.osVersion",
    /is required \(the operating system version.*set it, e\.g\. osVersion:/,
  ],
  ["malformed account", { ...src, sharedWith: ["bob"] }, "sharedWith[0]", /not a valid account id/],
  // Near misses: the whole value must be one root account uin (digits only, no leading zero).
  [
    "an account id with text before it",
    { ...src, sharedWith: ["uin 100000000002"] },
    "sharedWith[0]",
    /^sharedWith\[0\]: "uin 100000000002" is not a valid account id; expected something like 100000000002/,
  ],
  [
    "an account id with a letter after it",
    { ...src, sharedWith: ["100000000002x"] },
    "sharedWith[0]",
    /^sharedWith\[0\]: "100000000002x" is not a valid account id/,
  ],
  [
    "an account id with a leading zero and a letter after it",
    { ...src, sharedWith: ["0100000000002x"] },
    "sharedWith[0]",
    /^sharedWith\[0\]: "0100000000002x" is not a valid account id/,
  ],
  [
    "an account id with a leading zero",
    { ...src, sharedWith: [BOB, "0100000000002"] },
    "sharedWith[1]",
    /^sharedWith\[1\]: "0100000000002" is not a valid account id/,
  ],
  [
    "two account ids in one string",
    { ...src, sharedWith: ["100000000002,100000000003"] },
    "sharedWith[0]",
    /^sharedWith\[0\]: "100000000002,100000000003" is not a valid account id/,
  ],
  [
    "an account id with a space after it",
    { ...src, sharedWith: ["100000000002 "] },
    "sharedWith[0]",
    /^sharedWith\[0\]: "100000000002 " is not a valid account id/,
  ],
  [
    "duplicate accounts",
    { ...src, sharedWith: ["100000000002", "100000000002"] },
    "sharedWith",
    /lists "100000000002" more than once/,
  ],
  ["name too long", { ...src, imageName: "n".repeat(61) }, "imageName", /61 characters long; the limit is 60/],
  ["empty name", { ...src, imageName: "" }, "imageName", /must not be empty/],
  ["description too long", { ...src, imageDescription: "d".repeat(257) }, "imageDescription", /the limit is 256/],
  [
    "unknown unmanagedShares policy",
    { ...src, deletionPolicy: { unmanagedShares: "force" } },
    "deletionPolicy.unmanagedShares",
    /use one of "block", "unshare"/,
  ],
  [
    "unknown instancesInUse policy",
    { ...src, deletionPolicy: { instancesInUse: "ignore" } },
    "deletionPolicy.instancesInUse",
    /use one of "warn", "block"/,
  ],
  [
    "non-boolean deleteSnapshots",
    { ...src, deletionPolicy: { deleteSnapshots: 1 } },
    "deletionPolicy.deleteSnapshots",
    /true or false/,
  ],
  [
    "unknown policy key",
    { ...src, deletionPolicy: { onShared: "block" } },
    "deletionPolicy.onShared",
    /unknown property/,
  ],
  [
    "bad duration",
    { ...src, timeouts: { create: "forever" } },
    "timeouts.create",
    /not a duration; write it like "90s"/,
  ],
  [
    "bad region",
    { ...src, region: "Guangzhou" },
    "region",
    /not a valid region name; expected something like ap-guangzhou/,
  ],
  ["non-string tag", { ...src, tags: { team: 1 } }, "tags.team", /tag values must be strings/],
  ["unknown property", { ...src, name: "x" }, "name", /unknown property "name"/],
  [
    "shared whole-machine image",
    { fromInstance: { instanceId: "ins-abcd1234", dataDiskIds: ["disk-abcd1234"] }, sharedWith: ["100000000002"] },
    "sharedWith",
    /cannot be shared/,
  ],
];

/** The line of the one failure the engine gets that is about `property` (see engineCheckFailures). */
const failureLine = (
  r: { failures?: Array<{ property: string; reason: string }> },
  property: string,
): string | undefined => {
  expect((r.failures ?? []).map((f) => f.property)).toEqual([""]);
  return r.failures?.[0]?.reason.split("\n").find((l) => l.startsWith(`${property}: `));
};

test.each(cases)("rejects %s", async (_label, props, property, reason) => {
  const r = await provider.check({}, { ...props, resourceName: "img" });
  expect(failureLine(r, property)).toMatch(reason);
});

test("gives the engine one failure per resource, without a property, in short lines", async () => {
  const r = await provider.check(
    {},
    { ...src, deletionPolicy: { unmanagedShares: "force" }, timeouts: { create: "forever" }, resourceName: "img" },
  );
  // With a property the engine would print "property P value V has a problem" (V: `{<nil>}` for a nested P).
  expect(r.failures?.map((f) => f.property)).toEqual([""]);
  const lines = r.failures![0]!.reason.split("\n");
  expect(lines[0]).toBe("2 inputs are not valid; nothing was sent to the cloud.");
  expect(lines[1]).toMatch(/^deletionPolicy\.unmanagedShares: .*use one of "block", "unshare"\.$/);
  expect(lines[2]).toMatch(/^timeouts\.create: .*not a duration; write it like "90s"/);
  expect(lines[3]).toBe("Fix the program, then run the command again.");
});

test("accepts good input and fills defaults", async () => {
  const r = await provider.check({}, { ...src, resourceName: "img" });
  expect(r.failures).toEqual([]);
  expect(withInputDefaults(r.inputs)).toMatchObject({
    region: "ap-guangzhou",
    deletionPolicy: { unmanagedShares: "block" },
    timeouts: { delete: "30m" },
  });
});

test("tolerates values unknown at preview", async () => {
  const r = await provider.check(
    {},
    {
      fromInstance: { instanceId: UNKNOWN, dataDiskIds: UNKNOWN },
      imageName: UNKNOWN,
      sharedWith: [UNKNOWN, "100000000002"],
      tags: UNKNOWN,
      resourceName: "img",
    },
  );
  expect(r.failures).toEqual([]);
});

test("no region anywhere is rejected with where to set it", async () => {
  const saved = process.env.TENCENTCLOUD_REGION;
  delete process.env.TENCENTCLOUD_REGION;
  try {
    const r = await provider.check({}, { ...src, resourceName: "img" });
    expect(failureLine(r, "region")).toMatch(/TENCENTCLOUD_REGION.*tencentcloud:region/);
  } finally {
    process.env.TENCENTCLOUD_REGION = saved;
  }
});
