// The shared value helpers and defaults of provider/src/schema/types.ts. (Its types are checked
// against the property table by the compiler: tests/types/schema.ts.)
import {
  containsUnknown,
  DEFAULT_DELETION_POLICY,
  DEFAULT_TIMEOUTS,
  FAILED_STATES,
  isFailed,
  isTransitional,
  NO_USAGE,
  TRANSITIONAL_STATES,
  UNKNOWN,
  USAGE_KINDS,
} from "../../../provider/src/schema/types";

describe("image states", () => {
  test.each([
    ["CREATING", true, false],
    ["SYNCING", true, false],
    ["IMPORTING", true, false],
    ["CREATEFAILED", false, true],
    ["IMPORTFAILED", false, true],
    ["NORMAL", false, false],
    ["creating", false, false], // the API's states are upper case
    [undefined, false, false],
  ])("%s: transitional %s, failed %s", (state, transitional, failed) => {
    expect(isTransitional(state)).toBe(transitional);
    expect(isFailed(state)).toBe(failed);
  });

  test("no state is both transitional and failed", () => {
    expect(TRANSITIONAL_STATES.filter((s) => (FAILED_STATES as readonly string[]).includes(s))).toEqual([]);
  });
});

describe("containsUnknown", () => {
  test("finds the engine's unknown at any depth, in any field", () => {
    expect(UNKNOWN).toBe("04da6b54-80e4-46f7-96ec-b56ff0331ba9");
    expect(containsUnknown(UNKNOWN)).toBe(true);
    expect(containsUnknown(["a", UNKNOWN])).toBe(true);
    expect(containsUnknown({ fromSnapshots: { snapshotIds: ["snap-1", UNKNOWN] } })).toBe(true);
    expect(containsUnknown({ tags: { team: UNKNOWN } })).toBe(true);
  });

  test("nothing else is unknown", () => {
    for (const v of [undefined, null, "", "img-1", 0, false, [], {}, { a: ["b", { c: 1 }] }, `${UNKNOWN}x`])
      expect([v, containsUnknown(v)]).toEqual([v, false]);
  });
});

describe("defaults", () => {
  test("the deletion policy: block unmanaged shares, keep snapshots, warn for every usage kind", () => {
    expect(DEFAULT_DELETION_POLICY).toEqual({
      unmanagedShares: "block",
      deleteSnapshots: false,
      inUse: { instances: "warn", launchTemplates: "warn", launchConfigurations: "warn" },
    });
    expect(Object.keys(DEFAULT_DELETION_POLICY.inUse)).toEqual([...USAGE_KINDS]);
  });

  test("the timeouts and an empty usage", () => {
    expect(DEFAULT_TIMEOUTS).toEqual({ create: "60m", update: "20m", delete: "30m" });
    expect(NO_USAGE).toEqual({ instances: [], launchTemplates: [], launchConfigurations: [], unchecked: {} });
    expect(Object.isFrozen(NO_USAGE)).toBe(true);
  });
});
