/**
 * Tags on existing images: `update` changes them in place through the Tag API (ModifyResourceTags),
 * which the emulator serves on the CVM endpoint, and `read` (refresh) reports what the cloud has.
 */
import { imageResourceName } from "../../provider/src/cloud/tags";
import { serviceEndpoint } from "../../provider/src/cloud/settings";
import { change, describe as describeImage, Harness, provider, startHarness, up } from "./harness";
import { withOutputDefaults } from "../../provider/src/schema/stored";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  delete process.env.TENCENTCLOUD_TAG_ENDPOINT; // the Tag API goes to TENCENTCLOUD_CVM_ENDPOINT: the emulator
});
afterAll(() => h.stop());

const liveTags = async (id: string) =>
  Object.fromEntries(
    ((await describeImage(h, id)).Tags as { Key: string; Value: string }[]).map((t) => [t.Key, t.Value]),
  );

describe("tags after creation", () => {
  test("update changes, adds and removes tags in place with one ModifyResourceTags; read reports them", async () => {
    const src = { fromInstance: { instanceId: "ins-web00001" } };
    const { id, outs, inputs } = await up("tagged", { ...src, tags: { team: "a", keep: "k", gone: "g" } });
    expect(await liveTags(id)).toEqual({ team: "a", keep: "k", gone: "g" });

    await h.clearCalls();
    const u = await change("tagged", id, inputs, outs, { ...src, tags: { team: "b", keep: "k", added: "n" } });
    expect(u.diff).toMatchObject({ changes: true, replaces: [] });
    expect(u.outs).toMatchObject({ imageId: id, imageState: "NORMAL", tags: { team: "b", keep: "k", added: "n" } });
    expect(await liveTags(id)).toEqual({ team: "b", keep: "k", added: "n" });
    const counts = await h.counts();
    expect(counts.ModifyResourceTags).toBe(1);
    expect(counts.CreateImage ?? 0).toBe(0);
    expect(counts.ModifyImageAttribute ?? 0).toBe(0);

    const r = await provider.read(id, u.outs!);
    expect(r.id).toBe(id);
    expect(r.props.tags).toEqual({ team: "b", keep: "k", added: "n" });

    // Removing every tag.
    const cleared = await change("tagged", id, u.news, u.outs!, { ...src, tags: {} });
    expect(withOutputDefaults(cleared.outs!).tags).toEqual({});
    expect(await liveTags(id)).toEqual({});
    await provider.delete(id, cleared.outs!);
  });

  test("out-of-band tag changes show on refresh, and the next update puts the declared tags back", async () => {
    const props = { fromInstance: { instanceId: "ins-web00001" }, tags: { team: "a" } };
    const { id, outs, inputs } = await up("drift", props);
    const tagApi = tagClient();
    await tagApi.request("ModifyResourceTags", {
      Resource: imageResourceName("ap-guangzhou", id),
      ReplaceTags: [
        { TagKey: "team", TagValue: "x" },
        { TagKey: "rogue", TagValue: "1" },
      ],
    });

    const refreshed = await provider.read(id, outs);
    expect(refreshed.props.tags).toEqual({ team: "x", rogue: "1" });

    const u = await change("drift", id, inputs, { ...refreshed.props, __provider: outs.__provider }, props);
    expect(u.diff).toMatchObject({ changes: true, replaces: [] });
    expect(u.outs!.tags).toEqual({ team: "a" });
    expect(await liveTags(id)).toEqual({ team: "a" });
    await provider.delete(id, u.outs!);
  });

  test("adopting an image applies the declared tags through the Tag API", async () => {
    const { id, outs } = await up("adopt", { adoptImageId: "img-alic0001", tags: { owner: "ops" } });
    expect(id).toBe("img-alic0001");
    expect(outs.tags).toEqual({ owner: "ops" });
    expect(await liveTags(id)).toEqual({ owner: "ops" });
  });
});

/** The SDK's generic client on the Tag API, as alice, pointed at the emulator. */
function tagClient() {
  const from = require.resolve("tencentcloud-sdk-nodejs-cvm");
  const { CommonClient } = require(require.resolve("tencentcloud-sdk-nodejs-common", { paths: [from] }));
  const env = h.emu.env("alice");
  return new CommonClient("tag.tencentcloudapi.com", "2018-08-13", {
    credential: { secretId: env.TENCENTCLOUD_SECRET_ID, secretKey: env.TENCENTCLOUD_SECRET_KEY },
    profile: { httpProfile: { endpoint: h.emu.endpoint, protocol: "http://" } },
  }) as { request(action: string, req: unknown): Promise<Record<string, unknown>> };
}

describe("where Tag API calls go", () => {
  // Where the endpoint came from is named when it cannot be reached.
  const byDefault = (variable: string) => ({ kind: "default", variable });
  const byEnv = (variable: string) => ({ kind: "env", variable });
  test.each<
    [
      string,
      Record<string, string>,
      { endpoint: string; protocol: string; endpointOrigin: { kind: string; variable: string } },
    ]
  >([
    [
      "default",
      {},
      {
        endpoint: "tag.tencentcloudapi.com",
        protocol: "https://",
        endpointOrigin: byDefault("TENCENTCLOUD_TAG_ENDPOINT"),
      },
    ],
    [
      "TENCENTCLOUD_TAG_ENDPOINT wins",
      { TENCENTCLOUD_TAG_ENDPOINT: "http://127.0.0.1:9", TENCENTCLOUD_CVM_ENDPOINT: "http://127.0.0.1:8" },
      { endpoint: "127.0.0.1:9", protocol: "http://", endpointOrigin: byEnv("TENCENTCLOUD_TAG_ENDPOINT") },
    ],
    [
      "the CVM endpoint (the emulator serves both)",
      { TENCENTCLOUD_CVM_ENDPOINT: "http://127.0.0.1:8080" },
      { endpoint: "127.0.0.1:8080", protocol: "http://", endpointOrigin: byEnv("TENCENTCLOUD_CVM_ENDPOINT") },
    ],
    [
      "a Tencent Cloud CVM domain becomes the Tag domain",
      { TENCENTCLOUD_CVM_ENDPOINT: "cvm.intl.tencentcloudapi.com" },
      {
        endpoint: "tag.intl.tencentcloudapi.com",
        protocol: "https://",
        endpointOrigin: byEnv("TENCENTCLOUD_CVM_ENDPOINT"),
      },
    ],
    [
      "a proxy named cvm.* elsewhere is kept",
      { TENCENTCLOUD_CVM_ENDPOINT: "https://cvm.proxy.example.com" },
      { endpoint: "cvm.proxy.example.com", protocol: "https://", endpointOrigin: byEnv("TENCENTCLOUD_CVM_ENDPOINT") },
    ],
  ])("%s", (_what, env, expected) => {
    expect(serviceEndpoint("tag", env)).toEqual(expected);
  });

  test.each<
    [
      string,
      Record<string, string>,
      { endpoint: string; protocol: string; endpointOrigin: { kind: string; variable: string } },
    ]
  >([
    [
      "Auto Scaling by default",
      {},
      {
        endpoint: "as.tencentcloudapi.com",
        protocol: "https://",
        endpointOrigin: byDefault("TENCENTCLOUD_AS_ENDPOINT"),
      },
    ],
    [
      "TENCENTCLOUD_AS_ENDPOINT wins",
      { TENCENTCLOUD_AS_ENDPOINT: "http://127.0.0.1:9", TENCENTCLOUD_CVM_ENDPOINT: "http://127.0.0.1:8" },
      { endpoint: "127.0.0.1:9", protocol: "http://", endpointOrigin: byEnv("TENCENTCLOUD_AS_ENDPOINT") },
    ],
    [
      "Auto Scaling at the CVM endpoint (the emulator serves every API)",
      { TENCENTCLOUD_CVM_ENDPOINT: "http://127.0.0.1:8080" },
      { endpoint: "127.0.0.1:8080", protocol: "http://", endpointOrigin: byEnv("TENCENTCLOUD_CVM_ENDPOINT") },
    ],
    [
      "a Tencent Cloud CVM domain becomes the Auto Scaling domain",
      { TENCENTCLOUD_CVM_ENDPOINT: "cvm.intl.tencentcloudapi.com" },
      {
        endpoint: "as.intl.tencentcloudapi.com",
        protocol: "https://",
        endpointOrigin: byEnv("TENCENTCLOUD_CVM_ENDPOINT"),
      },
    ],
    [
      "the Tag endpoint does not move Auto Scaling",
      { TENCENTCLOUD_TAG_ENDPOINT: "http://127.0.0.1:9" },
      {
        endpoint: "as.tencentcloudapi.com",
        protocol: "https://",
        endpointOrigin: byDefault("TENCENTCLOUD_AS_ENDPOINT"),
      },
    ],
  ])("%s", (_what, env, expected) => {
    expect(serviceEndpoint("as", env)).toEqual(expected);
  });

  test("the resource name is the six-segment form with the uin left empty", () => {
    expect(imageResourceName("ap-guangzhou", "img-abcdefgh")).toBe("qcs::cvm:ap-guangzhou:uin/:image/img-abcdefgh");
  });
});
