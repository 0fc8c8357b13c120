// Everything checkable without the cloud is refused at `check` (so at `pulumi preview`), naming
// the field and the fix; no input shape crashes the preview; values unknown at preview pass.
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { checkInputs } from "../../../provider/src/provider/check-rules";
import { UNKNOWN } from "../../../provider/src/schema/types";
import { INPUTS } from "../../../provider/src/schema/properties";
import { Field, isObjectRule } from "../../../provider/src/schema/rules";

const ctx = { defaultRegion: "ap-guangzhou", randomHex: () => "abcdef1" };
const src = { fromInstance: { instanceId: "ins-abcd1234" } };
const imp = {
  imageUrl: "https://b-1250000000.cos.ap-guangzhou.myqcloud.com/disk.qcow2",
  architecture: "x86_64",
  osType: "CentOS",
  osVersion: "7.9",
};
const check = (news: Record<string, unknown>) => checkInputs({}, { resourceName: "web", ...news }, ctx);
/** What the engine does with check's inputs; throws "Unexpected struct type." on `undefined` anywhere. */
const serialize = (inputs: Record<string, unknown>) => Struct.fromJavaScript(inputs as never);

const tags = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, "v"]));
const accounts = (n: number) => Array.from({ length: n }, (_, i) => String(100000000000 + i));

/** [case, inputs, the failing property, what the reason must say (the fix)] */
const REFUSALS: Array<[string, Record<string, unknown>, string, RegExp]> = [
  ["more than 50 tags", { ...src, tags: tags(51) }, "tags", /has 51 tags; the limit is 50 .*Remove 1/],
  [
    "more than 500 accounts in sharedWith",
    { ...src, sharedWith: accounts(501) },
    "sharedWith",
    /lists 501 accounts; the limit is 500 .*OverQuota.*Remove 1/,
  ],
  [
    "an imageFamily of the wrong form",
    { ...src, imageFamily: "9 lives" },
    "imageFamily",
    /use 1 to 60 letters, digits and hyphens, starting with a letter, e\.g\. "web-base"/,
  ],
  ["an imageFamily too long", { ...src, imageFamily: `f${"x".repeat(60)}` }, "imageFamily", /use 1 to 60 letters/],
  [
    "fromImport: an unsupported osType",
    { fromImport: { ...imp, osType: "Solaris" } },
    "fromImport.osType",
    /InvalidImageOsType\.Unsupported.*use one of "CentOS"/,
  ],
  [
    "fromImport: an osType in the wrong case",
    { fromImport: { ...imp, osType: "centos" } },
    "fromImport.osType",
    /did you mean "CentOS"\?/,
  ],
  [
    "fromImport: a malformed osVersion",
    { fromImport: { ...imp, osVersion: "7/8!" } },
    "fromImport.osVersion",
    /use 1 to 32 letters, digits, spaces, dots, underscores or hyphens.*e\.g\. "7\.9"/,
  ],
  [
    "fromImport: a file that is not RAW/VHD/QCOW2/VMDK/ISO",
    { fromImport: { ...imp, imageUrl: "https://b.cos.ap-guangzhou.myqcloud.com/disk.zip" } },
    "fromImport.imageUrl",
    /is not a RAW, VHD, QCOW2, VMDK or ISO file.*give the URL of a file ending in \.raw, \.vhd, \.qcow2, \.vmdk, \.iso/,
  ],
  [
    "fromImport: a data-disk file of another format",
    { fromImport: { ...imp, dataDiskImageUrls: ["https://b.cos.ap-guangzhou.myqcloud.com/data.tar"] } },
    "fromImport.dataDiskImageUrls[0]",
    /give the URL of a file ending in/,
  ],
  [
    "fromImport: an ISO without force",
    { fromImport: { ...imp, imageUrl: "https://b.cos.ap-guangzhou.myqcloud.com/os.iso" } },
    "fromImport.force",
    /ISOMustImportByForce.*set fromImport\.force: true/,
  ],
  [
    "fromImport: an ISO data disk without force",
    { fromImport: { ...imp, dataDiskImageUrls: ["https://b.cos.ap-guangzhou.myqcloud.com/data.ISO"] } },
    "fromImport.force",
    /set fromImport\.force: true/,
  ],
  [
    "a timeout that rounds to zero",
    { ...src, timeouts: { create: "0.4ms" } },
    "timeouts.create",
    /"0\.4ms" rounds to 0 milliseconds.*give at least "1ms"/,
  ],
  [
    "a timeout that is not a duration",
    { ...src, timeouts: { delete: "10 minutes" } },
    "timeouts.delete",
    /write it like "90s", "10m" or "1h30m"/,
  ],
  [
    "fromImport.dataDiskImageUrls: a number entry",
    { fromImport: { ...imp, dataDiskImageUrls: [1] } },
    "fromImport.dataDiskImageUrls[0]",
    /must be a string, not the number 1; write it in quotes/,
  ],
  [
    "fromImport.dataDiskImageUrls: an object entry",
    { fromImport: { ...imp, dataDiskImageUrls: [{ imageUrl: "https://b/x.raw" }] } },
    "fromImport.dataDiskImageUrls[0]",
    /must be a string, not an object; write it in quotes, like "https:/,
  ],
  [
    "fromImport.dataDiskImageUrls: a string, not a list",
    { fromImport: { ...imp, dataDiskImageUrls: "https://b/x.raw" } },
    "fromImport.dataDiskImageUrls",
    /put it in a list: \["https:\/\/b\/x\.raw"\]/,
  ],
  [
    "fromImport.dataDiskImageUrls: a nested list",
    { fromImport: { ...imp, dataDiskImageUrls: [["https://b/x.raw"]] } },
    "fromImport.dataDiskImageUrls[0]",
    /must be a string, not a list/,
  ],
  [
    "deletionPolicy: a string",
    { ...src, deletionPolicy: "unshare" },
    "deletionPolicy",
    /write deletionPolicy: \{ unmanagedShares: "unshare" \}/,
  ],
  [
    "deletionPolicy: a value one field takes",
    { ...src, deletionPolicy: "block" },
    "deletionPolicy",
    /write deletionPolicy: \{ unmanagedShares: "block" \}$/,
  ],
  [
    "timeouts: a value three fields take",
    { ...src, timeouts: "10m" },
    "timeouts",
    /write timeouts: \{ create: "10m" \} \(or update, delete instead of create\)/,
  ],
  [
    "deletionPolicy: a list",
    { ...src, deletionPolicy: ["unshare"] },
    "deletionPolicy",
    /must be an object, not a list; write it like deletionPolicy: \{ unmanagedShares: "block" \}/,
  ],
  ["timeouts: a string", { ...src, timeouts: "10m" }, "timeouts", /write timeouts: \{ create: "10m" \}/],
  [
    "fromInstance: an id instead of the object",
    { fromInstance: "ins-abcd1234" },
    "fromInstance",
    /write fromInstance: \{ instanceId: "ins-abcd1234" \}/,
  ],
  [
    "fromInstance.instanceId: a list",
    { fromInstance: { instanceId: ["ins-abcd1234"] } },
    "fromInstance.instanceId",
    /must be a string, not a list; write it in quotes/,
  ],
  [
    "fromInstance.dataDiskIds: a number entry",
    { fromInstance: { instanceId: "ins-abcd1234", dataDiskIds: [7] } },
    "fromInstance.dataDiskIds[0]",
    /must be a string, not the number 7/,
  ],
  [
    "fromSnapshots.snapshotIds: a string",
    { fromSnapshots: { snapshotIds: "snap-abcd1234" } },
    "fromSnapshots.snapshotIds",
    /put it in a list: \["snap-abcd1234"\]/,
  ],
  [
    "fromImport: a list instead of the object",
    { fromImport: [imp] },
    "fromImport",
    /must be an object, not a list; write it like fromImport: \{ imageUrl:/,
  ],
  [
    "sharedWith: a single account",
    { ...src, sharedWith: "100000000002" },
    "sharedWith",
    /put it in a list: \["100000000002"\]/,
  ],
  [
    "sharedWith: a number entry",
    { ...src, sharedWith: [100000000002] },
    "sharedWith[0]",
    /must be a string, not the number 100000000002; write it in quotes/,
  ],
  [
    "tags: a list",
    { ...src, tags: [{ key: "team", value: "web" }] },
    "tags",
    /must be an object of tag keys to string values, not a list; write it like \{ team: "web" \}/,
  ],
  [
    "tags: a number value",
    { ...src, tags: { team: 7 } },
    "tags.team",
    /tag values must be strings, not the number 7; write it in quotes, like "7"/,
  ],
  [
    "imageDeprecated: a string",
    { ...src, imageDeprecated: "true" },
    "imageDeprecated",
    /must be true or false, not the string "true"; write true without quotes/,
  ],
  [
    "imageName: a number",
    { ...src, imageName: 12 },
    "imageName",
    /must be a string, not the number 12; write it in quotes/,
  ],
  ["a property in the wrong case", { ...src, ImageName: "web" }, "ImageName", /did you mean "imageName"\?/],
  [
    "a nested property in the wrong case",
    { fromInstance: { instanceID: "ins-abcd1234" } },
    "fromInstance.instanceID",
    /did you mean "instanceId"\?/,
  ],
];

describe("check refuses at preview, naming the field and the fix", () => {
  test.each(REFUSALS)("%s", (_label, news, property, fix) => {
    const { inputs, failures } = check(news);
    const failure = failures.find((f) => f.property === property);
    expect(failure).toBeDefined();
    expect(failure!.reason).toMatch(fix);
    // No crash on the way back to the engine, whatever was refused.
    expect(() => serialize(inputs)).not.toThrow();
  });

  test("the same inputs without the fault pass (each case fails for its own reason)", () => {
    const fine = [
      { ...src, tags: tags(50) },
      { ...src, sharedWith: accounts(500) },
      { ...src, imageFamily: "web-base-2" },
      { fromImport: { ...imp, osType: "Ubuntu", osVersion: "22.04 LTS" } },
      { fromImport: { ...imp, imageUrl: "https://b.cos.ap-guangzhou.myqcloud.com/os.iso", force: true } },
      { fromImport: { ...imp, dataDiskImageUrls: ["https://b.cos.ap-guangzhou.myqcloud.com/data.VMDK?sign=x"] } },
      { ...src, timeouts: { create: "1ms", update: "0.6ms", delete: "1h30m" } },
      { ...src, deletionPolicy: { unmanagedShares: "unshare" }, imageDeprecated: true },
    ];
    for (const news of fine) expect(check(news).failures).toEqual([]);
  });
});

/** Every input path of the table: top-level properties and the fields of object inputs. */
function paths(): Array<{ path: string[]; field: Field }> {
  const out: Array<{ path: string[]; field: Field }> = [];
  for (const [key, row] of INPUTS) {
    out.push({ path: [key], field: row });
    if (isObjectRule(row.rule))
      for (const [k, f] of Object.entries(row.rule.fields)) out.push({ path: [key, k], field: f });
  }
  return out;
}

/** A valid program with every object input set, so that each path can be replaced. */
function base(top: string): Record<string, unknown> {
  const source =
    top === "fromSnapshots"
      ? { fromSnapshots: { snapshotIds: ["snap-abcd1234"] } }
      : top === "fromImport"
        ? { fromImport: imp }
        : top === "adoptImageId"
          ? {}
          : src;
  return { ...source, deletionPolicy: { unmanagedShares: "block" }, timeouts: { create: "10m" } };
}

function withValue(path: string[], value: unknown): Record<string, unknown> {
  const news = JSON.parse(JSON.stringify(base(path[0]!))) as Record<string, Record<string, unknown>>;
  if (path.length === 1) (news as Record<string, unknown>)[path[0]!] = value;
  else news[path[0]!] = { ...(news[path[0]!] ?? {}), [path[1]!]: value };
  return news;
}

const SHAPES: Array<[string, unknown]> = [
  ["a number", 1],
  ["a boolean", true],
  ["a string", "x"],
  ["an empty string", ""],
  ["an empty list", []],
  ["a list of numbers", [1]],
  ["a list of objects", [{ a: 1 }]],
  ["a list of lists", [["x"]]],
  ["a list holding null", [null]],
  ["an empty object", {}],
  ["an object", { a: 1, b: [2] }],
  ["an object of objects", { a: { b: "c" } }],
];

describe("no input shape crashes check, for every property and field of the table", () => {
  const all = paths();
  test.each(all.flatMap(({ path }) => SHAPES.map(([shape, value]) => [path.join("."), shape, path, value] as const)))(
    "%s given %s",
    (_p, _shape, path, value) => {
      let result: ReturnType<typeof check> | undefined;
      expect(() => (result = check(withValue([...path], value)))).not.toThrow();
      expect(() => serialize(result!.inputs)).not.toThrow();
      for (const f of result!.failures) expect(f.reason.length).toBeGreaterThan(10);
    },
  );

  test.each(all.map(({ path }) => [path.join("."), path] as const))(
    "%s unknown at preview passes through",
    (_p, path) => {
      const { inputs, failures } = check(withValue([...path], UNKNOWN));
      expect(failures).toEqual([]);
      const got = path.length === 1 ? inputs[path[0]!] : (inputs[path[0]!] as Record<string, unknown>)[path[1]!];
      expect(got).toBe(UNKNOWN);
      expect(() => serialize(inputs)).not.toThrow();
    },
  );

  test("unknowns inside lists and maps pass through too", () => {
    const { inputs, failures } = check({
      fromImport: { ...imp, dataDiskImageUrls: [UNKNOWN, "https://b/x.raw"], imageUrl: UNKNOWN },
      sharedWith: [UNKNOWN, "100000000002"],
      tags: { team: UNKNOWN },
    });
    expect(failures).toEqual([]);
    expect(inputs.sharedWith).toEqual([UNKNOWN, "100000000002"]);
    expect(inputs.tags).toEqual({ team: UNKNOWN });
  });
});
