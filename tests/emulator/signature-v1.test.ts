/**
 * The v1 signature (HmacSHA1 / HmacSHA256) on form-encoded GET and POST requests: through the
 * official Node SDK's own v1 signer (client profile `signMethod`), and hand-signed here from the
 * documented algorithm for what the SDK never sends (expired, tampered, other host forms).
 */
import { RunningEmulator } from "../../emulator/src";
import { asClient, code, control, GZ, rawV1, reset, signedClient, start, v1Sign } from "./helpers";

let emu: RunningEmulator;
beforeAll(async () => (emu = await start()));
afterAll(() => emu.stop());
beforeEach(() => reset(emu));

const V1 = ["HmacSHA1", "HmacSHA256"] as const;
const METHODS = ["POST", "GET"] as const;
const errorOf = (r: { json: any }) => r.json.Response.Error?.Code;

describe.each(V1)("the SDK's own %s signer", (signMethod) => {
  test.each(METHODS)("%s: reads, nested parameters and writes work as with TC3", async (method) => {
    const c = signedClient(emu, { signMethod, method });
    const r = await c.DescribeImages({
      Filters: [
        { Name: "image-type", Values: ["PRIVATE_IMAGE"] },
        { Name: "image-name", Values: ["web"] },
      ],
      Limit: 5,
    });
    expect(r.ImageSet?.map((i) => i.ImageId)).toEqual(["img-alicegz1"]);
    const { ImageId } = await c.CreateImage({
      ImageName: `v1-${method}`,
      InstanceId: "ins-alicgz03",
      TagSpecification: [{ ResourceType: "image", Tags: [{ Key: "via", Value: "v1 form" }] }],
    });
    const created = await c.DescribeImages({ ImageIds: [ImageId!] });
    expect(created.ImageSet?.[0]).toMatchObject({
      ImageName: `v1-${method}`,
      Tags: [{ Key: "via", Value: "v1 form" }],
    });
    expect(await code(c.DeleteImages({ ImageIds: ["img-bad"], DryRun: true }))).toBe("InvalidImageId.Malformed");
  });

  test.each(METHODS)("%s: a wrong secret key → AuthFailure.SignatureFailure, and nothing happens", async (method) => {
    const c = signedClient(emu, { signMethod, method, secretKey: "x".repeat(32) });
    expect(await code(c.DescribeImages({}))).toBe("AuthFailure.SignatureFailure");
    expect(await code(c.CreateImage({ ImageName: "never", InstanceId: "ins-alicgz03" }))).toBe(
      "AuthFailure.SignatureFailure",
    );
    const images = await signedClient(emu, {}).DescribeImages({ Filters: [{ Name: "image-name", Values: ["never"] }] });
    expect(images.TotalCount).toBe(0);
  });

  test("the version in the form routes the call: Auto Scaling and the Tag API are reached too", async () => {
    const lc: any = await asClient(emu, "alice", GZ, { signMethod }).request("DescribeLaunchConfigurations", {});
    expect(lc.LaunchConfigurationSet.map((c: any) => c.LaunchConfigurationId)).toEqual(["asc-alicgz01"]);
    expect(await code(asClient(emu, "alice", GZ, { signMethod }).request("DescribeImages", {}))).toBe("InvalidAction");
  });

  test("the region comes from the form: missing → MissingParameter, unknown → InvalidRegion.NotFound", async () => {
    expect(await code(signedClient(emu, { signMethod }, "alice", null).DescribeImages({}))).toBe("MissingParameter");
    expect(await code(signedClient(emu, { signMethod }, "alice", "ap-mars").DescribeImages({}))).toBe(
      "InvalidRegion.NotFound",
    );
  });
});

test("calls signed with v1 are logged with their action and region", async () => {
  await control(emu, "DELETE", "calls");
  await signedClient(emu, { signMethod: "HmacSHA256", method: "GET" }).DescribeImageQuota();
  const { log } = await control(emu, "GET", "calls");
  expect(log).toEqual([expect.objectContaining({ action: "DescribeImageQuota", region: GZ, account: "100000000001" })]);
});

describe("hand-signed v1 requests", () => {
  test.each(METHODS)(
    "%s: an independent signer from the documented algorithm is accepted, with HmacSHA1 the default method",
    async (method) => {
      for (const signatureMethod of ["HmacSHA1", "HmacSHA256", null] as const) {
        const r = await rawV1(emu, {
          method,
          signatureMethod,
          params: { Action: "DescribeImageQuota", Version: "2017-03-12" },
        });
        expect(r.json.Response.ImageNumQuota).toBe(500);
      }
    },
  );

  test("the host may be signed without its port", async () => {
    const r = await rawV1(emu, {
      signedHost: "127.0.0.1",
      params: { Action: "DescribeImageQuota", Version: "2017-03-12" },
    });
    expect(r.json.Response.ImageNumQuota).toBe(500);
    const other = await rawV1(emu, {
      signedHost: "cvm.tencentcloudapi.com",
      params: { Action: "DescribeImageQuota", Version: "2017-03-12" },
    });
    expect(errorOf(other)).toBe("AuthFailure.SignatureFailure");
  });

  test("a tampered parameter → AuthFailure.SignatureFailure, and the image stays", async () => {
    const r = await rawV1(emu, {
      params: { Action: "DeleteImages", Version: "2017-03-12", "ImageIds.0": "img-aaaaaaaa" },
      sentParams: { "ImageIds.0": "img-alicegz1" },
    });
    expect(errorOf(r)).toBe("AuthFailure.SignatureFailure");
    expect((await signedClient(emu, {}).DescribeImages({ ImageIds: ["img-alicegz1"] })).TotalCount).toBe(1);
  });

  test("a signature over another method (GET signed, POST sent) → AuthFailure.SignatureFailure", async () => {
    const a = emu.defaultAccount;
    const params = {
      Action: "DescribeImageQuota",
      Version: "2017-03-12",
      Nonce: "1",
      Timestamp: String(Math.floor(Date.now() / 1000)),
      SecretId: a.secretId,
      Region: GZ,
      SignatureMethod: "HmacSHA256",
    };
    const signature = v1Sign(a.secretKey, "HmacSHA256", "GET", emu.endpoint, params);
    expect(errorOf(await rawV1(emu, { method: "POST", params, signature }))).toBe("AuthFailure.SignatureFailure");
    expect((await rawV1(emu, { method: "GET", params, signature })).json.Response.ImageNumQuota).toBe(500);
  });

  test("Timestamp more than 5 minutes off → AuthFailure.SignatureExpire; within → fine", async () => {
    const now = Math.floor(Date.now() / 1000);
    const at = (Timestamp: number) =>
      rawV1(emu, { params: { Action: "DescribeImageQuota", Version: "2017-03-12", Timestamp } });
    expect(errorOf(await at(now - 301))).toBe("AuthFailure.SignatureExpire");
    expect(errorOf(await at(now + 400))).toBe("AuthFailure.SignatureExpire");
    expect((await at(now - 240)).json.Response.ImageNumQuota).toBe(500);
  });

  test("unknown SecretId → AuthFailure.SecretIdNotFound", async () => {
    const r = await rawV1(emu, {
      params: { Action: "DescribeImageQuota", Version: "2017-03-12", SecretId: "AKIDunknownunknownunknown0000" },
    });
    expect(errorOf(r)).toBe("AuthFailure.SecretIdNotFound");
  });

  test("an unknown SignatureMethod → AuthFailure.InvalidAuthorization", async () => {
    const r = await rawV1(emu, {
      params: { Action: "DescribeImageQuota", Version: "2017-03-12", SignatureMethod: "HmacMD5" },
      signature: "AAAA",
    });
    expect(errorOf(r)).toBe("AuthFailure.InvalidAuthorization");
  });

  test("missing or malformed common parameters", async () => {
    const without = (name: string) =>
      rawV1(emu, { params: { Action: "DescribeImageQuota", Version: "2017-03-12", [name]: null } });
    expect(errorOf(await without("SecretId"))).toBe("MissingParameter");
    expect(errorOf(await without("Nonce"))).toBe("MissingParameter");
    expect(errorOf(await without("Timestamp"))).toBe("MissingParameter");
    expect(errorOf(await without("Action"))).toBe("MissingParameter");
    expect(errorOf(await without("Version"))).toBe("MissingParameter");
    expect(
      errorOf(await rawV1(emu, { params: { Action: "DescribeImageQuota", Version: "2017-03-12", Nonce: "-1" } })),
    ).toBe("InvalidParameter");
    expect(
      errorOf(await rawV1(emu, { params: { Action: "DescribeImageQuota", Version: "2017-03-12", Timestamp: "soon" } })),
    ).toBe("InvalidParameter");
    expect(errorOf(await rawV1(emu, { params: { Action: "DescribeImageQuota", Version: "2015-01-01" } }))).toBe(
      "NoSuchVersion",
    );
  });

  test("a Token parameter → AuthFailure.TokenFailure (the emulator's keys are permanent)", async () => {
    const r = await rawV1(emu, { params: { Action: "DescribeImageQuota", Version: "2017-03-12", Token: "tok" } });
    expect(errorOf(r)).toBe("AuthFailure.TokenFailure");
  });

  test("action parameters are validated as in TC3 (unknown, mistyped)", async () => {
    expect(errorOf(await rawV1(emu, { params: { Action: "DescribeImages", Version: "2017-03-12", Foo: "1" } }))).toBe(
      "UnknownParameter",
    );
    expect(
      errorOf(await rawV1(emu, { params: { Action: "DescribeImages", Version: "2017-03-12", Limit: "ten" } })),
    ).toBe("InvalidParameter");
  });

  test("a v1 POST body over 1 MB → RequestSizeLimitExceeded", async () => {
    const r = await rawV1(emu, {
      params: {
        Action: "DescribeImages",
        Version: "2017-03-12",
        "Filters.0.Name": "image-name",
        "Filters.0.Values.0": "x".repeat(1024 * 1024),
      },
    });
    expect(errorOf(r)).toBe("RequestSizeLimitExceeded");
  });

  test("a form POST without a Signature (and no Authorization) → AuthFailure.InvalidAuthorization", async () => {
    const res = await fetch(`${emu.url}/`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "Action=DescribeImageQuota&Version=2017-03-12",
    });
    expect(((await res.json()) as any).Response.Error.Code).toBe("AuthFailure.InvalidAuthorization");
  });
});
