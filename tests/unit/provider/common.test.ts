// Helpers shared by the operations (provider/src/provider/common.ts): deadlines, not-found answers,
// and the one credential redaction of errors and texts.
import { ApiError } from "../../../provider/src/cloud/call";
import { resetProcess } from "../../../provider/src/cloud/process";
import {
  causeOf,
  deadlineFrom,
  isImageNotFound,
  redactCredentials,
  redactError,
} from "../../../provider/src/provider/common";

const KEYS = {
  TENCENTCLOUD_SECRET_ID: "AKIDcommon000000000000000000000000",
  TENCENTCLOUD_SECRET_KEY: "commonkey0000000",
};
const saved = { ...process.env };
beforeEach(() => {
  resetProcess();
  Object.assign(process.env, KEYS, { TENCENTCLOUD_REGION: "ap-guangzhou" });
});
afterEach(() => {
  process.env = { ...saved };
  resetProcess();
});

test("deadlineFrom: the timeout from now, or the fallback when it is not a duration", () => {
  const now = Date.now();
  expect(deadlineFrom("10m", "60m") - now).toBeGreaterThanOrEqual(600_000);
  expect(deadlineFrom("10m", "60m") - now).toBeLessThan(601_000);
  expect(deadlineFrom("soon", "1h") - now).toBeGreaterThanOrEqual(3_600_000);
  expect(deadlineFrom(undefined, "1h") - now).toBeLessThan(3_601_000);
  expect(() => deadlineFrom(undefined, "never")).toThrow(/the timeout default "never" is not a duration/);
});

test("isImageNotFound: only the API's InvalidImageId.NotFound", () => {
  const api = (code: string) => Object.assign(Object.create(ApiError.prototype) as ApiError, { code });
  expect(isImageNotFound(api("InvalidImageId.NotFound"))).toBe(true);
  expect(isImageNotFound(api("InvalidImageId.Malformed"))).toBe(false);
  expect(isImageNotFound(new Error("InvalidImageId.NotFound"))).toBe(false);
});

test("redactCredentials and redactError remove the credentials in use, keeping the provider text", () => {
  const text = `signed with ${KEYS.TENCENTCLOUD_SECRET_KEY} by ${KEYS.TENCENTCLOUD_SECRET_ID}`;
  expect(redactCredentials(text)).toBe("signed with *** by ***");
  const e = Object.assign(new Error(text), {
    reasons: [text],
    properties: { note: text, __provider: "serialized-shim" },
  });
  const out = redactError(e) as Error & { reasons: string[]; properties: Record<string, string> };
  expect(out).toBe(e);
  expect(out.message).toBe("signed with *** by ***");
  expect(out.stack).not.toContain(KEYS.TENCENTCLOUD_SECRET_KEY);
  expect(out.reasons).toEqual(["signed with *** by ***"]);
  expect(out.properties).toEqual({ note: "signed with *** by ***", __provider: "serialized-shim" });
  expect(redactError(`thrown ${KEYS.TENCENTCLOUD_SECRET_KEY}`).message).toBe("thrown ***");
});

test("causeOf: a plain error's message, redacted", () => {
  expect(causeOf(new Error(`bad ${KEYS.TENCENTCLOUD_SECRET_KEY}`))).toBe("bad ***");
  expect(causeOf("text")).toBe("text");
});
