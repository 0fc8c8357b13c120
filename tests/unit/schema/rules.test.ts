// The value rules of the property table (provider/src/schema/rules.ts): what each accepts, what it
// reports (where, and how to fix it), values unknown at preview, and the texts of values.
import {
  accepts,
  describeValue,
  duration,
  fileFormat,
  fileUrl,
  flag,
  id,
  oneOf,
  stableText,
  text,
  type Rule,
} from "../../../provider/src/schema/rules";
import { UNKNOWN } from "../../../provider/src/schema/types";

/** The checked value and the reports of one check at `x.y`. */
function run<T>(rule: Rule<T>, value: unknown): { value: T | undefined; reports: string[] } {
  const reports: string[] = [];
  const checked = rule.check(value, "x.y", (p, r) => reports.push(`${p}: ${r}`));
  return { value: checked, reports };
}

describe("every rule", () => {
  const rules: Array<[string, Rule]> = [
    ["text", text()],
    ["id", id("image")],
    ["oneOf", oneOf(["block", "unshare"])],
    ["flag", flag()],
    ["fileUrl", fileUrl(["qcow2", "raw"])],
    ["duration", duration()],
  ];

  test.each(rules)("%s: absent is undefined, unknown stays unknown, its example passes", (_name, rule) => {
    expect(run(rule, undefined)).toEqual({ value: undefined, reports: [] });
    expect(run(rule, null)).toEqual({ value: undefined, reports: [] });
    expect(run(rule, UNKNOWN)).toEqual({ value: UNKNOWN, reports: [] });
    expect(accepts(rule, JSON.parse(rule.example))).toBe(true);
  });
});

describe("text", () => {
  test("a string, not empty, within the limit, matching the pattern", () => {
    const rule = text({ max: 5, pattern: /^[a-z]+$/, patternText: "lower-case letters", example: "abc" });
    expect(rule.type).toBe("string, ≤ 5 characters: lower-case letters");
    expect(run(rule, "abc")).toEqual({ value: "abc", reports: [] });
    expect(run(rule, 12).reports).toEqual(['x.y: must be a string, not the number 12; write it in quotes, like "abc"']);
    expect(run(rule, " ").reports).toEqual(["x.y: must not be empty; remove the property or give it a value"]);
    expect(run(rule, "abcdef").reports).toEqual(["x.y: is 6 characters long; the limit is 5. Shorten it"]);
    expect(run(rule, "AB").reports).toEqual(['x.y: "AB" is not accepted: use lower-case letters, e.g. "abc"']);
    expect(run(text({ allowEmpty: true }), "").value).toBe("");
  });
});

describe("id", () => {
  test("an id of its kind, with an example of one", () => {
    expect(run(id("image"), "img-abcd1234").value).toBe("img-abcd1234");
    const { value, reports } = run(id("image"), "ins-abcd1234");
    expect(value).toBeUndefined();
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatch(/^x\.y: "ins-abcd1234" is not a valid image id; expected something like img-/);
  });
});

describe("oneOf", () => {
  test("one of the values; a case slip gets a suggestion", () => {
    const rule = oneOf(["block", "unshare"], { hint: "the default is block" });
    expect(rule.type).toBe("`block` | `unshare`");
    expect(run(rule, "unshare").value).toBe("unshare");
    expect(run(rule, "Block").reports).toEqual([
      'x.y: "Block" is not allowed; did you mean "block"? use one of "block", "unshare" (the default is block)',
    ]);
    expect(run(rule, "maybe").reports).toEqual([
      'x.y: "maybe" is not allowed; use one of "block", "unshare" (the default is block)',
    ]);
  });
});

describe("flag", () => {
  test("true or false; a quoted boolean is told to drop the quotes", () => {
    expect(run(flag(), false).value).toBe(false);
    expect(run(flag(), "true").reports).toEqual([
      'x.y: must be true or false, not the string "true"; write true without quotes',
    ]);
    expect(run(flag(), 1).reports).toEqual(["x.y: must be true or false, not the number 1; write true or false"]);
  });
});

describe("fileUrl and fileFormat", () => {
  const rule = fileUrl(["qcow2", "raw"]);

  test("an http(s) URL of a file with an accepted ending", () => {
    expect(run(rule, "https://b.cos.ap-guangzhou.myqcloud.com/d/disk.QCOW2").reports).toEqual([]);
    expect(run(rule, "ftp://host/disk.raw").reports[0]).toMatch(/is not an http\(s\) URL/);
    expect(run(rule, "disk.raw").reports[0]).toMatch(/is not an http\(s\) URL/);
    expect(run(rule, "https://host/disk.vmdk").reports).toEqual([
      'x.y: "https://host/disk.vmdk" is not a QCOW2 or RAW file; give the URL of a file ending in .qcow2, .raw',
    ]);
  });

  test("fileFormat: the lower-case ending of the URL's path", () => {
    expect(fileFormat("https://host/a/disk.VHD?sig=1.raw")).toBe("vhd");
    expect(fileFormat("https://host/a/disk")).toBe("");
    expect(fileFormat("not a url")).toBeUndefined();
  });
});

describe("duration", () => {
  test("a duration of at least one millisecond", () => {
    expect(run(duration(), "1h30m").value).toBe("1h30m");
    expect(run(duration(), "10").reports).toEqual([
      'x.y: "10" is not a duration; write it like "90s", "10m" or "1h30m"',
    ]);
    expect(run(duration(), "0s").reports[0]).toMatch(/rounds to 0 milliseconds/);
  });
});

describe("texts of values", () => {
  test("stableText: equal values give equal texts, whatever the key order; undefined fields dropped", () => {
    expect(stableText({ b: 1, a: [{ d: 2, c: undefined }] })).toBe('{"a":[{"d":2}],"b":1}');
    expect(stableText({ a: 1, b: 2 })).toBe(stableText({ b: 2, a: 1 }));
    expect(stableText(["b", "a"])).not.toBe(stableText(["a", "b"]));
  });

  test("describeValue: what a message calls a value", () => {
    expect(describeValue([1])).toBe("a list");
    expect(describeValue({})).toBe("an object");
    expect(describeValue(12)).toBe("the number 12");
    expect(describeValue(true)).toBe("true");
    expect(describeValue("x".repeat(50))).toBe(`the string "${"x".repeat(40)}…"`);
    expect(describeValue(undefined)).toBe("undefined");
  });
});
