/** Wire protocol: envelope, GET form, TC3 verification and the common errors, through the real SDK. */
import { RunningEmulator } from "../../emulator/src";
import { client, code, control, failure, GZ, raw, start } from "./helpers";

let emu: RunningEmulator;
beforeAll(async () => (emu = await start()));
afterAll(() => emu.stop());

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test("success answers carry a uuid RequestId in the Response envelope (POST)", async () => {
  const r = await client(emu).DescribeImageQuota();
  expect(r.ImageNumQuota).toBe(500);
  expect(r.RequestId).toMatch(UUID);
});

test("GET with the flattened query form works the same as POST", async () => {
  const get = client(emu, "alice", GZ, "GET");
  const r = await get.DescribeImages({
    Filters: [
      { Name: "image-type", Values: ["PRIVATE_IMAGE"] },
      { Name: "image-name", Values: ["web"] },
    ],
    Limit: 5,
  });
  expect(r.ImageSet?.map((i) => i.ImageId)).toEqual(["img-alicegz1"]);
  const d = await get.DescribeInstances({ InstanceIds: ["ins-alicgz01", "ins-alicgz02"] });
  expect(d.TotalCount).toBe(2);
  expect(await code(get.DeleteImages({ ImageIds: ["img-bad"], DryRun: true }))).toBe("InvalidImageId.Malformed");
});

test("API errors come back with HTTP 200, Error.Code/Message and RequestId", async () => {
  const res = await raw(emu, { action: "DescribeImages", body: JSON.stringify({ ImageIds: ["nope"] }) });
  expect(res.status).toBe(200);
  expect(res.json.Response.Error.Code).toBe("InvalidImageId.Malformed");
  expect(res.json.Response.Error.Message).toEqual(expect.any(String));
  expect(res.json.Response.RequestId).toMatch(UUID);
});

test("the SDK surfaces the error code, message and request id", async () => {
  const e = await failure(client(emu).DescribeImages({ ImageIds: ["img-x"] }));
  expect(e.code).toBe("InvalidImageId.Malformed");
  expect(e.requestId).toMatch(UUID);
});

test("X-TC-TraceId is echoed", async () => {
  const res = await raw(emu, { action: "DescribeImageQuota", extraHeaders: { "X-TC-TraceId": "trace-123" } });
  expect(res.headers.get("x-tc-traceid")).toBe("trace-123");
});

describe("TC3 signature", () => {
  test("a hand-signed request (service cvm, host without port) is accepted", async () => {
    const res = await raw(emu, { action: "DescribeImageQuota" });
    expect(res.json.Response.ImageNumQuota).toBe(500);
  });

  test("wrong secret key → AuthFailure.SignatureFailure", async () => {
    expect(await code(client(emu, "alice", GZ, "POST", "x".repeat(32)).DescribeImages({}))).toBe(
      "AuthFailure.SignatureFailure",
    );
    expect(await code(client(emu, "alice", GZ, "GET", "x".repeat(32)).DescribeImages({}))).toBe(
      "AuthFailure.SignatureFailure",
    );
  });

  test("unknown SecretId → AuthFailure.SecretIdNotFound", async () => {
    const res = await raw(emu, {
      action: "DescribeImages",
      authorization: `TC3-HMAC-SHA256 Credential=AKIDunknownunknownunknownunknown0000/2020-01-01/cvm/tc3_request, SignedHeaders=content-type;host, Signature=${"0".repeat(64)}`,
    });
    expect(res.json.Response.Error.Code).toBe("AuthFailure.SecretIdNotFound");
  });

  test("tampered body → AuthFailure.SignatureFailure", async () => {
    const res = await raw(emu, {
      action: "DeleteImages",
      body: '{"ImageIds":["img-aaaaaaaa"]}',
      sentBody: '{"ImageIds":["img-alicegz1"]}',
    });
    expect(res.json.Response.Error.Code).toBe("AuthFailure.SignatureFailure");
    const images = await client(emu).DescribeImages({ ImageIds: ["img-alicegz1"] });
    expect(images.TotalCount).toBe(1);
  });

  test("timestamp more than 5 minutes off → AuthFailure.SignatureExpire; within → fine", async () => {
    const now = Math.floor(Date.now() / 1000);
    expect((await raw(emu, { action: "DescribeImageQuota", timestamp: now - 301 })).json.Response.Error.Code).toBe(
      "AuthFailure.SignatureExpire",
    );
    expect((await raw(emu, { action: "DescribeImageQuota", timestamp: now + 400 })).json.Response.Error.Code).toBe(
      "AuthFailure.SignatureExpire",
    );
    expect((await raw(emu, { action: "DescribeImageQuota", timestamp: now - 240 })).json.Response.ImageNumQuota).toBe(
      500,
    );
  });

  test("scope date different from the timestamp's UTC date → AuthFailure.SignatureFailure", async () => {
    const res = await raw(emu, { action: "DescribeImageQuota", scopeDate: "2019-02-25" });
    expect(res.json.Response.Error.Code).toBe("AuthFailure.SignatureFailure");
  });

  test("service comes from the credential scope (the SDK signs `127` for 127.0.0.1)", async () => {
    expect((await raw(emu, { action: "DescribeImageQuota", service: "127" })).json.Response.ImageNumQuota).toBe(500);
  });

  test("missing or malformed Authorization → AuthFailure.InvalidAuthorization", async () => {
    expect((await raw(emu, { action: "DescribeImageQuota", authorization: "" })).json.Response.Error.Code).toBe(
      "AuthFailure.InvalidAuthorization",
    );
    expect(
      (await raw(emu, { action: "DescribeImageQuota", authorization: "HMAC-SHA1 foo" })).json.Response.Error.Code,
    ).toBe("AuthFailure.InvalidAuthorization");
  });

  test("X-TC-Token is refused for permanent keys → AuthFailure.TokenFailure", async () => {
    const res = await raw(emu, { action: "DescribeImageQuota", extraHeaders: { "X-TC-Token": "tok" } });
    expect(res.json.Response.Error.Code).toBe("AuthFailure.TokenFailure");
  });
});

describe("common errors", () => {
  test("unknown action → InvalidAction (SDK generic request)", async () => {
    expect(await code(client(emu).request("RunInstancesPlease", {}))).toBe("InvalidAction");
  });

  test("wrong version → NoSuchVersion", async () => {
    expect((await raw(emu, { action: "DescribeImages", version: "2018-01-01" })).json.Response.Error.Code).toBe(
      "NoSuchVersion",
    );
  });

  test("missing region → MissingParameter; unknown region → InvalidRegion.NotFound", async () => {
    expect(await code(client(emu, "alice", null).DescribeImages({}))).toBe("MissingParameter");
    expect(await code(client(emu, "alice", "ap-mars").DescribeImages({}))).toBe("InvalidRegion.NotFound");
  });

  test("the region errors are settings", async () => {
    await control(emu, "PATCH", "settings", { behaviour: { unknownRegionError: "UnsupportedRegion" } });
    expect(await code(client(emu, "alice", "ap-mars").DescribeImages({}))).toBe("UnsupportedRegion");
    await control(emu, "POST", "reset");
  });

  test("unknown parameter → UnknownParameter (top level and nested)", async () => {
    expect(await code(client(emu).request("DescribeImages", { Foo: 1 }))).toBe("UnknownParameter");
    expect(
      await code(client(emu).request("DescribeImages", { Filters: [{ Name: "image-id", Values: [], Extra: 1 }] })),
    ).toBe("UnknownParameter");
    expect(await code(client(emu, "alice", GZ, "GET").request("DescribeImages", { Bar: "x" }))).toBe(
      "UnknownParameter",
    );
  });

  test("missing parameter → MissingParameter", async () => {
    expect(await code(client(emu).request("DeleteImages", {}))).toBe("MissingParameter");
    expect(await code(client(emu).request("DescribeImages", { Filters: [{ Values: ["x"] }] }))).toBe(
      "MissingParameter",
    );
  });

  test("mistyped parameter → InvalidParameter", async () => {
    expect(await code(client(emu).request("DescribeImages", { Limit: "ten" }))).toBe("InvalidParameter");
    expect(await code(client(emu).request("DeleteImages", { ImageIds: "img-alicegz1" }))).toBe("InvalidParameter");
    expect(await code(client(emu).request("DeleteImages", { ImageIds: ["img-alicegz1"], DryRun: "yes" }))).toBe(
      "InvalidParameter",
    );
    expect(await code(client(emu, "alice", GZ, "GET").request("DescribeImages", { Limit: "ten" }))).toBe(
      "InvalidParameter",
    );
  });

  test("a body that is not JSON → InvalidParameter", async () => {
    const res = await raw(emu, { action: "DescribeImages", body: "{not json" });
    expect(res.json.Response.Error.Code).toBe("InvalidParameter");
  });

  test("other HTTP methods → UnsupportedProtocol", async () => {
    const res = await fetch(`${emu.url}/`, { method: "PUT", body: "{}" });
    expect(((await res.json()) as any).Response.Error.Code).toBe("UnsupportedProtocol");
  });
});
