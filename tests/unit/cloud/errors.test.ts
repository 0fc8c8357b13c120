import { backoffDelay, classifyError, isCredentialRefusal, redact } from "../../../provider/src/cloud/errors";

describe("classifyError", () => {
  test.each([
    [{ code: "RequestLimitExceeded" }, "throttled", true],
    [{ code: "RequestLimitExceeded.UinLimitExceeded" }, "throttled", true],
    [{ code: "MutexOperation.TaskRunning" }, "busy", true],
    [{ code: "InvalidParameterValue.InvalidImageState" }, "busy", true],
    [{ code: "ResourceInUse" }, "busy", true],
    [{ code: "ResourceUnavailable.SnapshotCreating" }, "busy", true],
    [{ code: "InternalError" }, "server", true],
    [{ httpCode: 503, message: "Service Unavailable" }, "server", true],
    [{ httpCode: 429, message: "Too Many" }, "throttled", true],
    [new Error("request to http://127.0.0.1:1/ failed, reason: connect ECONNREFUSED 127.0.0.1:1"), "unreachable", true],
    [
      new Error("request to http://nosuchhost.invalid/ failed, reason: getaddrinfo ENOTFOUND nosuchhost.invalid"),
      "unreachable",
      true,
    ],
    [
      new Error(
        "request to https://cvm.tencentcloudapi.com/ failed, reason: getaddrinfo EAI_AGAIN cvm.tencentcloudapi.com",
      ),
      "unreachable",
      true,
    ],
    [{ code: "ECONNREFUSED", message: "connect ECONNREFUSED 127.0.0.1:1" }, "unreachable", true],
    [new Error("request to http://127.0.0.1:1/ failed, reason: read ECONNRESET"), "network", true],
    [new Error("request to http://127.0.0.1:1/ failed, reason: socket hang up"), "network", true],
    [{ code: "ECONNRESET", message: "read ECONNRESET" }, "network", true],
    [new Error("network timeout at: http://x/"), "network", true],
    [{ name: "FetchError", type: "invalid-json", message: "invalid json response body" }, "network", true],
    [{ code: "InvalidImageId.NotFound" }, "not-found", false],
    [{ code: "InvalidImageId.InShared" }, "client", false],
    [{ code: "InvalidImageName.Duplicate" }, "client", false],
    [{ httpCode: 400, message: "Bad Request" }, "client", false],
  ])("%j → %s", (err, kind, retryable) => {
    const c = classifyError(err);
    expect(c.kind).toBe(kind);
    expect(c.retryable).toBe(retryable);
  });
});

test("backoff grows, is capped and jittered", () => {
  expect(backoffDelay(0, 100, 1000, () => 0.999)).toBe(99);
  expect(backoffDelay(3, 100, 1000, () => 0.999)).toBe(799);
  expect(backoffDelay(10, 100, 1000, () => 0.999)).toBe(999);
  expect(backoffDelay(3, 100, 1000, () => 0)).toBe(1);
});

test("redact", () => {
  expect(redact("key=SECRETKEY123 id=AKID1", ["SECRETKEY123", undefined, ""])).toBe("key=*** id=AKID1");
});

test("isCredentialRefusal: authentication and CAM refusals need a fix before a re-run; other codes do not", () => {
  for (const code of [
    "AuthFailure.SignatureFailure",
    "AuthFailure.UnauthorizedOperation",
    "UnauthorizedOperation.PermissionDenied",
    "UnauthorizedOperation",
  ]) {
    expect([code, isCredentialRefusal(code)]).toEqual([code, true]);
  }
  for (const code of [undefined, "FailedOperation", "InternalError", "InvalidImageId.InShared", "AuthFailureX"]) {
    expect([code, isCredentialRefusal(code)]).toEqual([code, false]);
  }
});
