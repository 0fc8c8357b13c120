/**
 * The Tag API (2018-08-13) on the emulator's port, through the SDK's generic CommonClient, the way
 * a Tag API client reaches tag.tencentcloudapi.com: ModifyResourceTags on images, its effect on
 * DescribeImages and the tag filters, the refusals, and DescribeResourceTagsByResourceIds.
 */
import { CommonClient } from "tencentcloud-sdk-nodejs-common";
import { RunningEmulator } from "../../emulator/src";
import {
  ALICE,
  BOB,
  client,
  code,
  control,
  describeOne,
  failure,
  GZ,
  raw,
  reset,
  SH,
  start,
  waitForState,
} from "./helpers";

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await start();
});
afterAll(() => emu.stop());
beforeEach(() => reset(emu));

/** A Tag API client for an account: tag.tencentcloudapi.com, pointed at the emulator. No region (the Tag API takes none) unless given. */
function tags(account = "alice", region?: string) {
  const a = emu.accounts.find((x) => x.name === account)!;
  return new CommonClient("tag.tencentcloudapi.com", "2018-08-13", {
    credential: { secretId: a.secretId, secretKey: a.secretKey },
    region,
    profile: { httpProfile: { endpoint: emu.endpoint, protocol: "http://", reqTimeout: 10 } },
  });
}

const res = (imageId: string, region = GZ, uin = "") => `qcs::cvm:${region}:uin/${uin}:image/${imageId}`;
const modify = (req: Record<string, unknown>, account = "alice") => tags(account).request("ModifyResourceTags", req);

async function tagsOf(imageId: string, account = "alice", region = GZ) {
  return (await describeOne(client(emu, account, region), imageId))?.Tags;
}

async function idsMatching(name: string, values: string[]) {
  const r = await client(emu).DescribeImages({ Filters: [{ Name: name, Values: values }], Limit: 100 });
  return (r.ImageSet ?? []).map((i) => i.ImageId).sort();
}

describe("ModifyResourceTags on the caller's image", () => {
  test("ReplaceTags adds and overwrites, DeleteTags removes; DescribeImages and its tag filters follow", async () => {
    expect(await tagsOf("img-alicegz1")).toEqual([{ Key: "team", Value: "web" }]);

    const r = await modify({
      Resource: res("img-alicegz1"),
      ReplaceTags: [
        { TagKey: "team", TagValue: "platform" },
        { TagKey: "env", TagValue: "prod" },
      ],
    });
    expect(r.RequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await tagsOf("img-alicegz1")).toEqual([
      { Key: "team", Value: "platform" },
      { Key: "env", Value: "prod" },
    ]);
    expect(await idsMatching("tag-key", ["env"])).toEqual(["img-alicegz1"]);
    expect(await idsMatching("tag-value", ["platform"])).toEqual(["img-alicegz1"]);
    expect(await idsMatching("tag:team", ["platform"])).toEqual(["img-alicegz1"]);
    expect(await idsMatching("tag:team", ["web"])).toEqual([]);

    await modify({
      Resource: res("img-alicegz1"),
      DeleteTags: [{ TagKey: "team" }],
      ReplaceTags: [{ TagKey: "owner", TagValue: "" }],
    });
    expect(await tagsOf("img-alicegz1")).toEqual([
      { Key: "env", Value: "prod" },
      { Key: "owner", Value: "" },
    ]);
    expect(await idsMatching("tag-key", ["team"])).toEqual([]);
    expect(await idsMatching("tag:owner", [""])).toEqual(["img-alicegz1"]);

    // Deleting a key the image does not have changes nothing.
    await modify({ Resource: res("img-alicegz1"), DeleteTags: [{ TagKey: "absent" }] });
    expect((await tagsOf("img-alicegz1"))?.length).toBe(2);
    // The change is in the state (and so in a state file).
    const state = await control(emu, "GET", "state");
    expect(state.images.find((i: { imageId: string }) => i.imageId === "img-alicegz1").tags).toEqual([
      { Key: "env", Value: "prod" },
      { Key: "owner", Value: "" },
    ]);
  });

  test("the resource may name the caller's uin or leave it empty; other regions' images by their own region", async () => {
    await modify({ Resource: res("img-alicegz1", GZ, ALICE), ReplaceTags: [{ TagKey: "a", TagValue: "1" }] });
    await modify({ Resource: res("img-alicesh1", SH), ReplaceTags: [{ TagKey: "b", TagValue: "2" }] });
    expect(await tagsOf("img-alicegz1")).toContainEqual({ Key: "a", Value: "1" });
    expect(await tagsOf("img-alicesh1", "alice", SH)).toEqual([{ Key: "b", Value: "2" }]);
  });

  test("an image still CREATING can be tagged; the tags are there once it is NORMAL", async () => {
    const c = client(emu);
    const { ImageId } = await c.CreateImage({ ImageName: "tag-me", InstanceId: "ins-alicgz03" });
    await modify({ Resource: res(ImageId!), ReplaceTags: [{ TagKey: "stage", TagValue: "new" }] });
    await waitForState(c, ImageId!, "NORMAL");
    expect(await tagsOf(ImageId!)).toEqual([{ Key: "stage", Value: "new" }]);
  });

  test("the request may carry X-TC-Region (the Node SDK sends the client's region); it is not used", async () => {
    await tags("alice", SH).request("ModifyResourceTags", {
      Resource: res("img-alicegz1"),
      ReplaceTags: [{ TagKey: "r", TagValue: "x" }],
    });
    await tags("alice", "ap-nowhere").request("ModifyResourceTags", {
      Resource: res("img-alicegz1"),
      DeleteTags: [{ TagKey: "r" }],
    });
    expect(await tagsOf("img-alicegz1")).toEqual([{ Key: "team", Value: "web" }]);
  });
});

describe("refusals", () => {
  const replace = [{ TagKey: "x", TagValue: "y" }];

  test("another account's image, shared with the caller or not, is not found; its tags are unchanged", async () => {
    const shared = await failure(modify({ Resource: res("img-bobgz001"), ReplaceTags: replace }));
    expect(shared.code).toBe("ResourceNotFound");
    expect(shared.message).toContain("img-bobgz001");
    expect(shared.message).not.toContain("it is in");
    expect(await code(modify({ Resource: res("img-carolsh1", SH), ReplaceTags: replace }))).toBe("ResourceNotFound");
    expect(await tagsOf("img-bobgz001", "bob")).toEqual([]);
    // Its owner can.
    await modify({ Resource: res("img-bobgz001", GZ, BOB), ReplaceTags: replace }, "bob");
    expect(await tagsOf("img-bobgz001", "bob")).toEqual([{ Key: "x", Value: "y" }]);
  });

  test("naming another account's uin → InvalidParameterValue.UinInvalid", async () => {
    expect(await code(modify({ Resource: res("img-alicegz1", GZ, BOB), ReplaceTags: replace }))).toBe(
      "InvalidParameterValue.UinInvalid",
    );
    expect(await code(modify({ Resource: res("img-bobgz001", GZ, BOB), ReplaceTags: replace }))).toBe(
      "InvalidParameterValue.UinInvalid",
    );
  });

  test("region mismatch → ResourceNotFound naming where the image is; unknown region → InvalidParameterValue.RegionInvalid", async () => {
    const e = await failure(modify({ Resource: res("img-alicegz1", SH), ReplaceTags: replace }));
    expect(e.code).toBe("ResourceNotFound");
    expect(e.message).toContain("(it is in ap-guangzhou)");
    expect(await code(modify({ Resource: res("img-alicegz1", "ap-nowhere"), ReplaceTags: replace }))).toBe(
      "InvalidParameterValue.RegionInvalid",
    );
    expect(await tagsOf("img-alicegz1")).toEqual([{ Key: "team", Value: "web" }]);
  });

  test("public, unknown and deleted images → ResourceNotFound", async () => {
    expect(await code(modify({ Resource: res("img-pubgz001"), ReplaceTags: replace }))).toBe("ResourceNotFound");
    expect(await code(modify({ Resource: res("img-zzzzzzzz"), ReplaceTags: replace }))).toBe("ResourceNotFound");
    await client(emu).DeleteImages({ ImageIds: ["img-alicegz1"] });
    expect(await code(modify({ Resource: res("img-alicegz1"), ReplaceTags: replace }))).toBe("ResourceNotFound");
  });

  test.each([
    ["qcs::cvm:ap-guangzhou:uin/:image", "InvalidParameterValue.ResourceDescriptionError"],
    ["img-alicegz1", "InvalidParameterValue.ResourceDescriptionError"],
    ["qcs::cvm:ap-guangzhou:uin/:image/img-alicegz1:extra", "InvalidParameterValue.ResourceDescriptionError"],
    ["qcs:x:cvm:ap-guangzhou:uin/:image/img-alicegz1", "InvalidParameterValue.ResourceDescriptionError"],
    ["qcs::cvm:ap-guangzhou:100000000001:image/img-alicegz1", "InvalidParameterValue.ResourceDescriptionError"],
    ["qcs::cvm:ap-guangzhou:uin/:image/", "InvalidParameterValue.ResourceDescriptionError"],
    ["qcs::cbs:ap-guangzhou:uin/:image/img-alicegz1", "InvalidParameterValue.ServiceTypeInvalid"],
    ["qcs::cvm:ap-guangzhou:uin/:instance/ins-alicgz01", "InvalidParameterValue.ResourcePrefixInvalid"],
    ["qcs::cvm:ap-guangzhou:uin/:image/IMG-1", "InvalidParameterValue.ResourceIdInvalid"],
  ])("resource %s → %s", async (resource, expected) => {
    const e = await failure(modify({ Resource: resource, ReplaceTags: replace }));
    expect(e.code).toBe(expected);
    expect(e.message).toMatch(/qcs::cvm:<region>:uin\/<uin or empty>:image\/<imageId>|malformed/);
  });

  test.each<[string, string, Record<string, unknown>]>([
    ["neither ReplaceTags nor DeleteTags", "MissingParameter", {}],
    ["no Resource", "MissingParameter", { Resource: undefined, ReplaceTags: replace }],
    ["an empty ReplaceTags", "InvalidParameter.Tag", { ReplaceTags: [] }],
    ["an empty DeleteTags", "InvalidParameter.Tag", { ReplaceTags: replace, DeleteTags: [] }],
    [
      "a key in both lists",
      "InvalidParameterValue.DeleteTagsParamError",
      { ReplaceTags: replace, DeleteTags: [{ TagKey: "x" }] },
    ],
    [
      "a repeated key",
      "InvalidParameterValue.TagKeyDuplicate",
      { ReplaceTags: [...replace, { TagKey: "x", TagValue: "z" }] },
    ],
    ["an empty key", "InvalidParameterValue.TagKeyEmpty", { ReplaceTags: [{ TagKey: " ", TagValue: "v" }] }],
    [
      "a key of 128 characters",
      "InvalidParameterValue.TagKeyLengthExceeded",
      { ReplaceTags: [{ TagKey: "k".repeat(128), TagValue: "v" }] },
    ],
    [
      "a value of 256 characters",
      "InvalidParameterValue.TagValueLengthExceeded",
      { ReplaceTags: [{ TagKey: "k", TagValue: "v".repeat(256) }] },
    ],
    ["a CVM-style Tags field", "UnknownParameter", { Tags: [{ Key: "k", Value: "v" }] }],
    ["a Tag without TagValue", "MissingParameter", { ReplaceTags: [{ TagKey: "k" }] }],
  ])("%s → %s", async (_what, expected, req) => {
    expect(await code(modify({ Resource: res("img-alicegz1"), ...req }))).toBe(expected);
    expect(await tagsOf("img-alicegz1")).toEqual([{ Key: "team", Value: "web" }]);
  });

  test("more than 50 tags on the image → LimitExceeded.ResourceAttachedTags; 50 are fine", async () => {
    const many = (n: number, prefix: string) =>
      Array.from({ length: n }, (_, i) => ({ TagKey: `${prefix}${i}`, TagValue: "v" }));
    await modify({ Resource: res("img-alicegz1"), ReplaceTags: many(49, "k") });
    expect((await tagsOf("img-alicegz1"))?.length).toBe(50);
    expect(await code(modify({ Resource: res("img-alicegz1"), ReplaceTags: many(1, "more") }))).toBe(
      "LimitExceeded.ResourceAttachedTags",
    );
    // Replacing within the 50 and deleting to make room both work.
    await modify({
      Resource: res("img-alicegz1"),
      ReplaceTags: [
        { TagKey: "k0", TagValue: "w" },
        { TagKey: "new", TagValue: "n" },
      ],
      DeleteTags: [{ TagKey: "k1" }],
    });
    expect((await tagsOf("img-alicegz1"))?.length).toBe(50);
  });
});

describe("protocol: routing by version, signature, call log, faults, rate limit", () => {
  test("a Tag action needs 2018-08-13 and a CVM action 2017-03-12; unknown versions → NoSuchVersion", async () => {
    const body = JSON.stringify({ Resource: res("img-alicegz1"), ReplaceTags: [{ TagKey: "x", TagValue: "y" }] });
    expect(
      (await raw(emu, { action: "ModifyResourceTags", version: "2017-03-12", body })).json.Response.Error.Code,
    ).toBe("InvalidAction");
    expect(
      (await raw(emu, { action: "DescribeImages", version: "2018-08-13", region: null })).json.Response.Error.Code,
    ).toBe("InvalidAction");
    const e = (await raw(emu, { action: "ModifyResourceTags", version: "2019-01-01", body })).json.Response.Error;
    expect(e.Code).toBe("NoSuchVersion");
    expect(e.Message).toContain("2018-08-13");
    expect(await code(tags().request("DescribeImages", {}))).toBe("InvalidAction");
    // Signed with `tag` as the service (the cloud's host), no region header: accepted.
    const ok = await raw(emu, {
      action: "ModifyResourceTags",
      version: "2018-08-13",
      service: "tag",
      region: null,
      body,
    });
    expect(ok.json.Response.Error).toBeUndefined();
    expect(await tagsOf("img-alicegz1")).toContainEqual({ Key: "x", Value: "y" });
  });

  test("TC3 verification applies: a wrong key → AuthFailure.SignatureFailure, an unknown SecretId → AuthFailure.SecretIdNotFound", async () => {
    const body = JSON.stringify({ Resource: res("img-alicegz1"), DeleteTags: [{ TagKey: "team" }] });
    const wrong = await raw(emu, {
      action: "ModifyResourceTags",
      version: "2018-08-13",
      service: "tag",
      region: null,
      body,
      secretKey: "x".repeat(32),
    });
    expect(wrong.json.Response.Error.Code).toBe("AuthFailure.SignatureFailure");
    const a = emu.accounts[0]!;
    const stranger = new CommonClient("tag.tencentcloudapi.com", "2018-08-13", {
      credential: { secretId: "AKIDnobody000000000000000000000000", secretKey: a.secretKey },
      profile: { httpProfile: { endpoint: emu.endpoint, protocol: "http://", reqTimeout: 10 } },
    });
    expect(await code(stranger.request("ModifyResourceTags", JSON.parse(body)))).toBe("AuthFailure.SecretIdNotFound");
    expect(await tagsOf("img-alicegz1")).toEqual([{ Key: "team", Value: "web" }]);
  });

  test("calls are logged with the account; fault rules match the action and the image in the resource", async () => {
    await control(emu, "POST", "faults", {
      action: "ModifyResourceTags",
      imageId: "img-alicegz1",
      error: "FailedOperation.ResourceTagProcessing",
      times: 1,
    });
    const req = { Resource: res("img-alicegz1"), ReplaceTags: [{ TagKey: "x", TagValue: "y" }] };
    expect(await code(modify(req))).toBe("FailedOperation.ResourceTagProcessing");
    await modify(req);
    await control(emu, "POST", "faults", { action: "ModifyResourceTags", imageId: "img-alicesh1", httpStatus: 503 });
    await modify(req); // another image: the rule does not fire
    expect((await failure(modify({ ...req, Resource: res("img-alicesh1", SH) }))).httpCode).toBe(503);
    const calls = await control(emu, "GET", "calls");
    expect(calls.counts.ModifyResourceTags).toBe(4);
    const log = calls.log.filter((c: { action: string }) => c.action === "ModifyResourceTags");
    expect(log.map((c: { errorCode?: string; httpStatus?: number }) => c.errorCode ?? c.httpStatus ?? "ok")).toEqual([
      "FailedOperation.ResourceTagProcessing",
      "ok",
      "ok",
      503,
    ]);
    expect(log.every((c: { account?: string }) => c.account === ALICE)).toBe(true);
  });

  test("rate limit: 20/s per account (the documented rate), overridable like the CVM actions", async () => {
    await control(emu, "PATCH", "settings", { rateLimits: true });
    const req = { Resource: res("img-alicegz1"), ReplaceTags: [{ TagKey: "x", TagValue: "y" }] };
    const burst = await Promise.allSettled(Array.from({ length: 60 }, () => modify(req)));
    const codes = burst.flatMap((r) => (r.status === "rejected" ? [(r.reason as { code?: string }).code] : []));
    expect(codes.length).toBeGreaterThanOrEqual(15);
    expect(codes.every((c) => c === "RequestLimitExceeded")).toBe(true);
    expect(burst.length - codes.length).toBeGreaterThanOrEqual(15);
    // Bob has his own bucket.
    await modify({ Resource: res("img-bobgz001"), ReplaceTags: [{ TagKey: "x", TagValue: "y" }] }, "bob");

    await control(emu, "PATCH", "settings", { rateOverrides: { ModifyResourceTags: 1 } });
    await new Promise((r) => setTimeout(r, 1100));
    await modify(req);
    expect(await code(modify(req))).toBe("RequestLimitExceeded");
  });
});

describe("DescribeResourceTagsByResourceIds", () => {
  test("lists the tags of the caller's own images in the region, skipping others; pages by Offset/Limit", async () => {
    await modify({ Resource: res("img-alicegz1"), ReplaceTags: [{ TagKey: "env", TagValue: "prod" }] });
    const t = tags();
    const ask = (extra: Record<string, unknown> = {}) =>
      t.request("DescribeResourceTagsByResourceIds", {
        ServiceType: "cvm",
        ResourcePrefix: "image",
        ResourceRegion: GZ,
        ResourceIds: ["img-alicegz1", "img-bobgz001", "img-pubgz001", "img-alicesh1"],
        ...extra,
      });
    const r = await ask();
    expect(r).toMatchObject({ TotalCount: 2, Offset: 0, Limit: 15 });
    expect(r.Tags).toEqual([
      { TagKey: "team", TagValue: "web", ResourceId: "img-alicegz1", Category: "Custom" },
      { TagKey: "env", TagValue: "prod", ResourceId: "img-alicegz1", Category: "Custom" },
    ]);
    expect((await ask({ Offset: 1, Limit: 1 })).Tags).toEqual([
      { TagKey: "env", TagValue: "prod", ResourceId: "img-alicegz1", Category: "Custom" },
    ]);
    expect((await ask({ Category: "System" })).TotalCount).toBe(0);
    expect(await code(ask({ Offset: 1, Limit: 2 }))).toBe("InvalidParameterValue.OffsetInvalid");
    expect(await code(ask({ ResourceRegion: "ap-nowhere" }))).toBe("InvalidParameterValue.RegionInvalid");
    expect(await code(ask({ ResourcePrefix: "instance" }))).toBe("InvalidParameterValue.ResourcePrefixInvalid");
    expect(
      await code(ask({ ResourceIds: Array.from({ length: 51 }, (_, i) => `img-${String(i).padStart(8, "0")}`) })),
    ).toBe("LimitExceeded.ResourceNumPerRequest");
  });
});
