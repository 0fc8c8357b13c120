// "Did you mean …?" for mistyped command and option names (provider/src/cli/suggest.ts).
import { editDistance, suggestName, unknownName } from "../../../provider/src/cli/suggest";

describe("editDistance", () => {
  test.each([
    ["", "", 0],
    ["abc", "", 3],
    ["", "abc", 3],
    ["port", "port", 0],
    ["prot", "port", 1], // adjacent transposition costs 1
    ["pot", "port", 1], // insertion
    ["portt", "port", 1], // deletion
    ["part", "port", 1], // substitution
    ["kitten", "sitting", 3],
    ["ca", "abc", 3], // optimal string alignment: no edit of a transposed pair
  ])("%j → %j: %d", (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe("suggestName", () => {
  const options = ["--port", "--plan", "--stack", "--fail-on", "--show-secrets"];

  test("the closest candidate within one edit per three characters, case-insensitively", () => {
    expect(suggestName("--prot", options)).toBe("--port");
    expect(suggestName("--STACK", options)).toBe("--stack");
    expect(suggestName("--fial-on", options)).toBe("--fail-on");
    expect(suggestName("--show-secret", options)).toBe("--show-secrets");
  });

  test("nothing when no candidate is close enough", () => {
    expect(suggestName("--verbose", options)).toBeUndefined();
    expect(suggestName("x", [])).toBeUndefined();
    // "ab" allows one edit (at least one): "xy" is two away.
    expect(suggestName("xy", ["ab"])).toBeUndefined();
    expect(suggestName("xb", ["ab"])).toBe("ab");
  });

  test("an exact match wins; ties go to the earlier candidate", () => {
    expect(suggestName("plan", ["plans", "plan"])).toBe("plan");
    expect(suggestName("cat", ["bat", "hat"])).toBe("bat");
  });
});

describe("unknownName", () => {
  test("names the kind and the typed name, with the suggestion when there is one", () => {
    expect(unknownName("option", "--prot", ["--port"])).toBe("unknown option: --prot (did you mean --port?)");
    expect(unknownName("command", "frobnicate", ["serve", "state"])).toBe("unknown command: frobnicate");
  });
});
