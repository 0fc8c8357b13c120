import { autoName } from "../../../provider/src/schema/naming";

test("autoName", () => {
  expect(autoName("web", "1a2b3c4d")).toBe("web-1a2b3c4");
  expect(autoName("x".repeat(100), "1a2b3c4d").length).toBe(60);
});
