import { parseEndpoint, resolveSettings, resolveTuning, tccliEndpoints } from "../../../provider/src/cloud/settings";
import { tccliCommand } from "../../../provider/src/cloud/commands-rules";

const env = { TENCENTCLOUD_SECRET_ID: "envId", TENCENTCLOUD_SECRET_KEY: "envKey", TENCENTCLOUD_REGION: "ap-shanghai" };
const config = {
  "tencentcloud:secretId": "cfgId",
  "tencentcloud:secretKey": "cfgKey",
  "tencentcloud:region": "ap-guangzhou",
};

test("stack config pair wins over the environment; id and key never mixed", () => {
  const none = () => undefined; // no profile files
  expect(resolveSettings({ env, config, readFile: none })).toMatchObject({
    secretId: "cfgId",
    secretKey: "cfgKey",
    region: "ap-guangzhou",
    source: { kind: "config-keys" },
  });
  expect(resolveSettings({ env, config: {}, readFile: none })).toMatchObject({
    secretId: "envId",
    secretKey: "envKey",
    region: "ap-shanghai",
    source: { kind: "env-keys" },
  });
  expect(resolveSettings({ env, config: {}, region: "ap-beijing", readFile: none }).region).toBe("ap-beijing");
  // Half a pair is an error naming the missing key, never a silent fall-through to another account.
  expect(() => resolveSettings({ env, config: { "tencentcloud:secretId": "cfgId" }, readFile: none })).toThrow(
    /sets tencentcloud:secretId but not tencentcloud:secretKey/,
  );
});

test("missing credentials or region name where to set them, without values", () => {
  const none = () => undefined;
  expect(() => resolveSettings({ env: {}, config: {}, readFile: none })).toThrow(
    /TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY.*TENCENTCLOUD_PROFILE/,
  );
  expect(() => resolveSettings({ env: {}, config: {}, readFile: none })).toThrow(
    /tencentcloud:secretId and tencentcloud:secretKey.*tencentcloud:profile/,
  );
  expect(() =>
    resolveSettings({ env: { TENCENTCLOUD_SECRET_ID: "a", TENCENTCLOUD_SECRET_KEY: "b" }, config: {}, readFile: none }),
  ).toThrow(/no region/);
});

test("endpoint parsing", () => {
  expect(parseEndpoint(undefined)).toEqual({ endpoint: "cvm.tencentcloudapi.com", protocol: "https://" });
  expect(parseEndpoint("http://127.0.0.1:9000/")).toEqual({ endpoint: "127.0.0.1:9000", protocol: "http://" });
  expect(parseEndpoint("cvm.ap-shanghai.tencentcloudapi.com")).toEqual({
    endpoint: "cvm.ap-shanghai.tencentcloudapi.com",
    protocol: "https://",
  });
});

test("tuning from the environment, with defaults", () => {
  expect(resolveTuning({})).toEqual({
    callTimeoutSec: 30,
    retryBaseMs: 500,
    retryMaxMs: 20000,
    retryAttempts: 8,
    pollMs: 5000,
    scanTtlMs: 60000,
  });
  expect(resolveTuning({ CVM_IMAGE_CALL_TIMEOUT: "1500ms", CVM_IMAGE_RETRY_ATTEMPTS: "3" })).toMatchObject({
    callTimeoutSec: 1.5,
    retryAttempts: 3,
  });
  expect(resolveTuning({ CVM_IMAGE_CALL_TIMEOUT: "12" }).callTimeoutSec).toBe(12);
});

test("tccliEndpoints: tccli's --endpoint for each service whose endpoint is not Tencent Cloud's default", () => {
  expect(tccliEndpoints({})).toEqual({});
  expect(tccliEndpoints({ TENCENTCLOUD_CVM_ENDPOINT: "https://cvm.tencentcloudapi.com/" })).toEqual({});
  // The emulator: the whole URL, since tccli speaks HTTPS unless told otherwise; Auto Scaling goes there too.
  expect(tccliEndpoints({ TENCENTCLOUD_CVM_ENDPOINT: "http://127.0.0.1:8080" })).toEqual({
    cvm: "http://127.0.0.1:8080",
    as: "http://127.0.0.1:8080",
  });
  // A regional endpoint: the host, as tccli's docs write it; Auto Scaling's follows it.
  expect(tccliEndpoints({ TENCENTCLOUD_CVM_ENDPOINT: "cvm.ap-guangzhou.tencentcloudapi.com" })).toEqual({
    cvm: "cvm.ap-guangzhou.tencentcloudapi.com",
    as: "as.ap-guangzhou.tencentcloudapi.com",
  });
  expect(tccliEndpoints({ TENCENTCLOUD_AS_ENDPOINT: "as.internal.example:8443" })).toEqual({
    as: "as.internal.example:8443",
  });
  const target = {
    region: "ap-guangzhou",
    profile: "build",
    endpoints: tccliEndpoints({ TENCENTCLOUD_CVM_ENDPOINT: "http://127.0.0.1:8080" }),
  };
  expect(tccliCommand(target, "cvm", "DescribeImages", "--ImageIds '[\"img-1\"]'")).toBe(
    "`tccli cvm DescribeImages --profile build --region ap-guangzhou --endpoint http://127.0.0.1:8080 --ImageIds '[\"img-1\"]'`",
  );
  expect(tccliCommand({ region: "ap-guangzhou", endpoints: {} }, "cvm", "DescribeImages", "")).toBe(
    "`tccli cvm DescribeImages --region ap-guangzhou `",
  );
});
