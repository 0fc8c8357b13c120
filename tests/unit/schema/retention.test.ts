/**
 * The `ImageRetention` input table (`provider/src/schema/retention.ts`): every refusal names the
 * field and the fix, the defaults are filled, and its two rules (`age`, `positiveInteger`) on
 * their own.
 */
import {
  age,
  positiveInteger,
  RETENTION_ACTIONS,
  RETENTION_RULE,
  RETENTION_TAGS,
  RETIREMENT_STAGES,
} from "../../../provider/src/schema/retention";
import { UNKNOWN } from "../../../provider/src/schema/types";

interface Failure {
  property: string;
  reason: string;
}

/** Checks `raw` as the provider's check does (path "", leading dots dropped): the value and the failures. */
function check(raw: unknown): { value: Record<string, unknown> | undefined; failures: Failure[] } {
  const failures: Failure[] = [];
  const value = RETENTION_RULE.check(raw, "", (property, reason) =>
    failures.push({ property: property.replace(/^\./, ""), reason }),
  ) as Record<string, unknown> | undefined;
  return { value, failures };
}
const failures = (raw: Record<string, unknown>): Failure[] => check(raw).failures;
/**
 * The first refusal: the field's own. (A refused field is then absent for the rules across fields,
 * which may add a follow-on refusal, e.g. "nothing to keep" after a refused keepNewest; not asserted.)
 */
const firstFailure = (raw: Record<string, unknown>): Failure | undefined => check(raw).failures[0];
const VALID = { family: "web", keepNewest: 5 };

describe("RETENTION_RULE: refusals name the field and the fix", () => {
  test("no scope (nothing, or empty tags) is refused at family, naming the three ways to give one", () => {
    for (const raw of [{ keepNewest: 3 }, { keepNewest: 3, tags: {} }]) {
      expect(failures(raw)).toEqual([
        {
          property: "family",
          reason:
            'no scope: give family, namePrefix or tags (all given must hold), e.g. family: "web"; a retention of ' +
            "every image of the account is refused",
        },
      ]);
    }
    // Any one scope criterion is enough.
    expect(failures({ namePrefix: "web-", keepNewest: 3 })).toEqual([]);
    expect(failures({ tags: { team: "web" }, keepNewest: 3 })).toEqual([]);
  });

  test("neither keepNewest nor keepYoungerThan is refused at keepNewest, naming both with examples", () => {
    expect(failures({ family: "web" })).toEqual([
      {
        property: "keepNewest",
        reason: 'nothing to keep: give keepNewest (e.g. 5) or keepYoungerThan (e.g. "14d"), or both',
      },
    ]);
    expect(failures({ family: "web", keepYoungerThan: "14d" })).toEqual([]);
    expect(failures({ family: "web", keepNewest: 1, keepYoungerThan: "14d" })).toEqual([]);
  });

  test("no scope and nothing to keep: both refused at once", () => {
    expect(failures({}).map((f) => f.property)).toEqual(["family", "keepNewest"]);
  });

  test.each([
    [0, "the number 0"],
    [-1, "the number -1"],
    [2.5, "the number 2.5"],
    ["3", 'the string "3"'],
    [Number.NaN, "the number NaN"],
    [Number.POSITIVE_INFINITY, "the number Infinity"],
    [true, "true"],
  ])("keepNewest %p is refused: a whole number of at least 1, not %s", (v, shown) => {
    expect(firstFailure({ family: "web", keepNewest: v })).toEqual({
      property: "keepNewest",
      reason: `must be a whole number of at least 1, not ${shown}; e.g. 5`,
    });
  });

  test.each(["two weeks", "14", "14 days", "1w", "-1d", "0d", "0.4ms", "0s0m"])(
    "keepYoungerThan %p (not a duration, or rounds to zero) is refused with how to write one",
    (v) => {
      expect(firstFailure({ family: "web", keepYoungerThan: v })).toEqual({
        property: "keepYoungerThan",
        reason: `${JSON.stringify(v)} is not a duration of at least 1ms; write it like "14d", "36h", "30m" or "90s"`,
      });
    },
  );

  test("a duration given as a number or empty string is refused by the text rule, with an example", () => {
    expect(firstFailure({ family: "web", keepYoungerThan: 14 })).toEqual({
      property: "keepYoungerThan",
      reason: 'must be a string, not the number 14; write it in quotes, like "14d"',
    });
    expect(firstFailure({ family: "web", keepYoungerThan: "" })).toEqual({
      property: "keepYoungerThan",
      reason: "must not be empty; remove the property or give it a value",
    });
  });

  test("retire stages are durations too, refused at retire.deprecate and retire.unshare", () => {
    expect(failures({ ...VALID, retire: { deprecate: "a week", unshare: "0h" } }).slice(0, 2)).toEqual([
      {
        property: "retire.deprecate",
        reason: '"a week" is not a duration of at least 1ms; write it like "14d", "36h", "30m" or "90s"',
      },
      {
        property: "retire.unshare",
        reason: '"0h" is not a duration of at least 1ms; write it like "14d", "36h", "30m" or "90s"',
      },
    ]);
  });

  test("retire: {} (stages without durations) is refused at retire, naming both stages", () => {
    expect(failures({ ...VALID, retire: {} })).toEqual([
      {
        property: "retire",
        reason: 'retire lists no stage: give retire: { deprecate: "7d" } and/or unshare: "3d", or remove it',
      },
    ]);
    expect(failures({ ...VALID, retire: { unshare: "3d" } })).toEqual([]);
    expect(failures({ ...VALID, retire: { deprecate: "7d" } })).toEqual([]);
  });

  test.each(["9web", "web_base", "-web", "w".repeat(61)])("a malformed family %p is refused with the pattern", (f) => {
    expect(firstFailure({ family: f, keepNewest: 1 })).toEqual({
      property: "family",
      reason:
        `${JSON.stringify(f)} is not accepted (InvalidParameterValue.InvalidImageFamily): use 1 to 60 letters, ` +
        'digits and hyphens, starting with a letter, e.g. "web-base"',
    });
  });

  test("malformed tags (scope or exclude) are refused at the tag, naming the limit", () => {
    expect(firstFailure({ tags: { team: 5 }, keepNewest: 1 })).toEqual({
      property: "tags.team",
      reason: 'tag values must be strings, not the number 5; write it in quotes, like "5"',
    });
    expect(failures({ ...VALID, exclude: { tags: { "": "x" } } })).toEqual([
      { property: "exclude.tags", reason: 'tag key "" must be 1 to 127 characters; rename it' },
    ]);
    expect(failures({ ...VALID, exclude: { tags: { keep: "x".repeat(256) } } })).toEqual([
      { property: "exclude.tags.keep", reason: "tag value is 256 characters long; the limit is 255. Shorten it" },
    ]);
    expect(failures({ ...VALID, tags: "team=web" })[0]).toMatchObject({
      property: "tags",
      reason: expect.stringContaining('write it like { team: "web" }'),
    });
  });

  test("malformed or repeated image ids in exclude.imageIds are refused at the item, with an example id", () => {
    expect(failures({ ...VALID, exclude: { imageIds: ["img-6pb6lrmy", "ami-1"] } })).toEqual([
      {
        property: "exclude.imageIds[1]",
        reason: expect.stringMatching(/^"ami-1" is not a valid image id; expected something like img-6pb6lrmy/),
      },
    ]);
    expect(failures({ ...VALID, exclude: { imageIds: ["img-6pb6lrmy", "img-6pb6lrmy"] } })).toEqual([
      {
        property: "exclude.imageIds",
        reason: 'lists "img-6pb6lrmy" more than once; list each image id once',
      },
    ]);
    expect(failures({ ...VALID, exclude: { imageIds: "img-6pb6lrmy" } })).toEqual([
      {
        property: "exclude.imageIds",
        reason: 'must be a list, not the string "img-6pb6lrmy"; put it in a list: ["img-6pb6lrmy"]',
      },
    ]);
  });

  test("an unknown key is refused with the allowed ones, and a near miss in case suggested", () => {
    const [near] = failures({ ...VALID, keepnewest: 5 });
    expect(near).toEqual({
      property: "keepnewest",
      reason: expect.stringMatching(
        /^unknown property "keepnewest"; did you mean "keepNewest"\? the allowed properties are "family", "namePrefix", "tags", "keepNewest",/,
      ),
    });
    const [typo] = failures({ ...VALID, keepNewset: 2 });
    expect(typo!.property).toBe("keepNewset");
    expect(typo!.reason).toMatch(/^unknown property "keepNewset"; the allowed properties are .*"keepYoungerThan"/);
    expect(failures({ ...VALID, retire: { deprecated: "7d" } })).toEqual([
      {
        property: "retire.deprecated",
        reason: 'unknown property "deprecated"; the allowed properties are "deprecate", "unshare"',
      },
      {
        property: "retire",
        reason: 'retire lists no stage: give retire: { deprecate: "7d" } and/or unshare: "3d", or remove it',
      },
    ]);
  });

  test("deletionPolicy's fields are refused with their allowed values", () => {
    expect(failures({ ...VALID, deletionPolicy: { unmanagedShares: "Unshare", deleteSnapshots: "true" } })).toEqual([
      {
        property: "deletionPolicy.unmanagedShares",
        reason: '"Unshare" is not allowed; did you mean "unshare"? use one of "block", "unshare"',
      },
      {
        property: "deletionPolicy.deleteSnapshots",
        reason: 'must be true or false, not the string "true"; write true without quotes',
      },
    ]);
  });

  test("the whole input must be an object", () => {
    expect(check("web").failures).toHaveLength(1);
    expect(check("web").value).toBeUndefined();
  });
});

describe("RETENTION_RULE: what passes", () => {
  test("deletionPolicy is filled with its defaults, whole or field by field; nothing else is invented", () => {
    expect(check(VALID)).toEqual({
      value: { family: "web", keepNewest: 5, deletionPolicy: { unmanagedShares: "block", deleteSnapshots: false } },
      failures: [],
    });
    expect(check({ ...VALID, deletionPolicy: { unmanagedShares: "unshare" } }).value!.deletionPolicy).toEqual({
      unmanagedShares: "unshare",
      deleteSnapshots: false,
    });
    expect(check({ ...VALID, deletionPolicy: { deleteSnapshots: true } }).value!.deletionPolicy).toEqual({
      unmanagedShares: "block",
      deleteSnapshots: true,
    });
  });

  test("every field as given comes back as given", () => {
    const full = {
      family: "web",
      namePrefix: "web-",
      tags: { team: "web" },
      keepNewest: 5,
      keepYoungerThan: "7d12h",
      exclude: { imageIds: ["img-6pb6lrmy"], tags: { keep: "true" } },
      retire: { deprecate: "7d", unshare: "3d" },
      deletionPolicy: { unmanagedShares: "unshare", deleteSnapshots: true },
      dryRun: true,
      region: "ap-shanghai",
      profile: "prod",
      managedImageIds: ["img-abcd1234"],
    };
    expect(check(full)).toEqual({ value: full, failures: [] });
  });

  test("values unknown at preview pass unchecked, and count for the scope and for what is kept", () => {
    expect(check({ family: UNKNOWN, keepNewest: UNKNOWN })).toEqual({
      value: {
        family: UNKNOWN,
        keepNewest: UNKNOWN,
        deletionPolicy: { unmanagedShares: "block", deleteSnapshots: false },
      },
      failures: [],
    });
    expect(failures({ ...VALID, keepYoungerThan: UNKNOWN, retire: { deprecate: UNKNOWN } })).toEqual([]);
  });

  test("checked inputs compare equal with deletionPolicy absent or its defaults given; exclude.imageIds as a set", () => {
    const explicit = { ...VALID, deletionPolicy: { unmanagedShares: "block", deleteSnapshots: false } };
    expect(RETENTION_RULE.normalize(check(VALID).value)).toEqual(RETENTION_RULE.normalize(check(explicit).value));
    expect(RETENTION_RULE.normalize({ ...VALID, exclude: { imageIds: ["img-b0000000", "img-a0000000"] } })).toEqual(
      RETENTION_RULE.normalize({ ...VALID, exclude: { imageIds: ["img-a0000000", "img-b0000000"] } }),
    );
  });
});

describe("age()", () => {
  const run = (v: unknown, example?: string) => {
    const reports: Array<[string, string]> = [];
    const value = age(example).check(v, "retire.deprecate", (p, r) => reports.push([p, r]));
    return { value, reports };
  };

  test("returns a duration as written (days allowed), never its milliseconds", () => {
    for (const v of ["14d", "7d12h", "36h", "90s", "500ms", "1.5d", "1d1d"])
      expect(run(v)).toEqual({ value: v, reports: [] });
  });

  test("refuses what does not parse or rounds to zero, at the path, with examples", () => {
    expect(run("0.4ms")).toEqual({
      value: undefined,
      reports: [
        ["retire.deprecate", '"0.4ms" is not a duration of at least 1ms; write it like "14d", "36h", "30m" or "90s"'],
      ],
    });
    expect(run("1 week").reports).toHaveLength(1);
    expect(run(7, "7d")).toEqual({
      value: undefined,
      reports: [["retire.deprecate", 'must be a string, not the number 7; write it in quotes, like "7d"']],
    });
  });

  test("absent is undefined without a report; unknown passes through", () => {
    expect(run(undefined)).toEqual({ value: undefined, reports: [] });
    expect(run(null)).toEqual({ value: undefined, reports: [] });
    expect(run(UNKNOWN)).toEqual({ value: UNKNOWN, reports: [] });
  });

  test("type and example for the README and messages", () => {
    expect(age().type).toBe('duration such as `"14d"`, `"36h"`, `"90s"`');
    expect(age().example).toBe('"14d"');
    expect(age("3d").example).toBe('"3d"');
    expect(age().normalize("14d")).toBe("14d");
  });
});

describe("positiveInteger()", () => {
  const run = (v: unknown, example?: number) => {
    const reports: Array<[string, string]> = [];
    const value = positiveInteger(example).check(v, "keepNewest", (p, r) => reports.push([p, r]));
    return { value, reports };
  };

  test("accepts whole numbers from 1 up", () => {
    for (const v of [1, 2, 5, 1_000_000]) expect(run(v)).toEqual({ value: v, reports: [] });
  });

  test("refuses zero, negatives, fractions, strings and non-finite numbers, with its example", () => {
    for (const v of [0, -3, 1.5, "5", Number.NaN, Number.NEGATIVE_INFINITY, [5], {}])
      expect(run(v, 3)).toEqual({
        value: undefined,
        reports: [["keepNewest", expect.stringMatching(/^must be a whole number of at least 1, not .*; e\.g\. 3$/)]],
      });
  });

  test("absent is undefined without a report; unknown passes through; type and example", () => {
    expect(run(undefined)).toEqual({ value: undefined, reports: [] });
    expect(run(null)).toEqual({ value: undefined, reports: [] });
    expect(run(UNKNOWN)).toEqual({ value: UNKNOWN, reports: [] });
    expect(positiveInteger().type).toBe("integer ≥ 1");
    expect(positiveInteger().example).toBe("5");
    expect(positiveInteger(2).example).toBe("2");
  });
});

describe("retention constants", () => {
  test("the tags a retirement writes, its stages in order, and the actions", () => {
    expect(RETENTION_TAGS).toEqual({
      stage: "retention:stage",
      since: "retention:since",
      sharesPrefix: "retention:shares.",
    });
    expect(RETIREMENT_STAGES).toEqual(["deprecated", "unshared"]);
    expect(RETENTION_ACTIONS).toEqual(["keep", "wait", "restore", "deprecate", "unshare", "delete"]);
  });
});

describe("rules across fields read what was given", () => {
  test("a refused field gets its own refusal only, not a second one saying it is missing", () => {
    expect(failures({ family: "web", keepNewest: 0 }).map((f) => f.property)).toEqual(["keepNewest"]);
    expect(failures({ family: "9web", keepNewest: 1 }).map((f) => f.property)).toEqual(["family"]);
    expect(failures({ ...VALID, retire: { deprecate: "soon" } }).map((f) => f.property)).toEqual(["retire.deprecate"]);
  });

  test("retire unknown at preview is not refused; every refusal's path starts at the field", () => {
    expect(failures({ ...VALID, retire: UNKNOWN })).toEqual([]);
    const paths: string[] = [];
    RETENTION_RULE.check({}, "", (p) => paths.push(p));
    expect(paths).toEqual([".family", ".keepNewest"]);
  });
});
