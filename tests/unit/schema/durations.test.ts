import { formatDuration, parseAge, parseDuration } from "../../../provider/src/schema/durations";

test("durations", () => {
  expect(parseDuration("90s")).toBe(90_000);
  expect(parseDuration("10m")).toBe(600_000);
  expect(parseDuration("1h30m")).toBe(5_400_000);
  expect(parseDuration("500ms")).toBe(500);
  expect(parseDuration("10")).toBeUndefined();
  expect(parseDuration("0s")).toBeUndefined();
  expect(parseDuration("ten minutes")).toBeUndefined();
  expect(formatDuration(150_000)).toBe("2m30s");
  expect(formatDuration(800)).toBe("800ms");
});

describe("parseAge", () => {
  const DAY = 86_400_000;

  test("reads days besides the duration units, alone or combined, into whole milliseconds", () => {
    expect(parseAge("14d")).toBe(14 * DAY);
    expect(parseAge("7d12h")).toBe(7.5 * DAY);
    expect(parseAge("1d1h1m1s1ms")).toBe(DAY + 3_600_000 + 60_000 + 1000 + 1);
    expect(parseAge("36h")).toBe(1.5 * DAY);
    expect(parseAge("90s")).toBe(90_000);
    expect(parseAge("500ms")).toBe(500);
    expect(parseAge("1.5d")).toBe(1.5 * DAY);
    expect(parseAge("1d1d")).toBe(2 * DAY);
  });

  test("ignores surrounding spaces; rounds to whole milliseconds", () => {
    expect(parseAge(" 3d ")).toBe(3 * DAY);
    expect(parseAge("0.5ms")).toBe(1);
    expect(parseAge("1.4ms")).toBe(1);
  });

  test("is undefined for what is not an age, or rounds to zero, or is too large to be a number", () => {
    for (const text of ["", "d", "14", "14 d", "1w", "1D", "-1d", "+1d", "1e3s", ".5d", "1d 2h", "two weeks"])
      expect([text, parseAge(text)]).toEqual([text, undefined]);
    for (const text of ["0d", "0s", "0.4ms", "0d0h"]) expect([text, parseAge(text)]).toEqual([text, undefined]);
    expect(parseAge(`${"9".repeat(400)}d`)).toBeUndefined();
  });

  test("agrees with parseDuration wherever a duration has no days; parseDuration refuses days", () => {
    for (const text of ["90s", "10m", "1h30m", "500ms", "0.5ms", "0.4ms", "0s", "10"])
      expect([text, parseAge(text)]).toEqual([text, parseDuration(text)]);
    expect(parseDuration("1d")).toBeUndefined();
  });
});
