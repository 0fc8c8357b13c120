import { formatDuration, parseDuration } from "../../../provider/src/schema/durations";

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
