import { parseEndpoint, resolveSettings, resolveTuning } from "../../provider/src/api/settings";

const env = { TENCENTCLOUD_SECRET_ID: "envId", TENCENTCLOUD_SECRET_KEY: "envKey", TENCENTCLOUD_REGION: "ap-shanghai" };
const config = { "tencentcloud:secretId": "cfgId", "tencentcloud:secretKey": "cfgKey", "tencentcloud:region": "ap-guangzhou" };

test("stack config pair wins over the environment; id and key never mixed", () => {
  const none = () => undefined; // no profile files
  expect(resolveSettings({ env, config, readFile: none })).toMatchObject({ secretId: "cfgId", secretKey: "cfgKey", region: "ap-guangzhou", source: { kind: "config-keys" } });
  expect(resolveSettings({ env, config: {}, readFile: none })).toMatchObject({ secretId: "envId", secretKey: "envKey", region: "ap-shanghai", source: { kind: "env-keys" } });
  expect(resolveSettings({ env, config: {}, region: "ap-beijing", readFile: none }).region).toBe("ap-beijing");
  // Half a pair is an error naming the missing key, never a silent fall-through to another account.
  expect(() => resolveSettings({ env, config: { "tencentcloud:secretId": "cfgId" }, readFile: none })).toThrow(/sets tencentcloud:secretId but not tencentcloud:secretKey/);
});

test("missing credentials or region name where to set them, without values", () => {
  const none = () => undefined;
  expect(() => resolveSettings({ env: {}, config: {}, readFile: none })).toThrow(/TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY.*TENCENTCLOUD_PROFILE/);
  expect(() => resolveSettings({ env: {}, config: {}, readFile: none })).toThrow(/tencentcloud:secretId and tencentcloud:secretKey.*tencentcloud:profile/);
  expect(() => resolveSettings({ env: { TENCENTCLOUD_SECRET_ID: "a", TENCENTCLOUD_SECRET_KEY: "b" }, config: {}, readFile: none })).toThrow(/no region/);
});

test("endpoint parsing", () => {
  expect(parseEndpoint(undefined)).toEqual({ endpoint: "cvm.tencentcloudapi.com", protocol: "https://" });
  expect(parseEndpoint("http://127.0.0.1:9000/")).toEqual({ endpoint: "127.0.0.1:9000", protocol: "http://" });
  expect(parseEndpoint("cvm.ap-shanghai.tencentcloudapi.com")).toEqual({ endpoint: "cvm.ap-shanghai.tencentcloudapi.com", protocol: "https://" });
});

test("tuning from the environment, with defaults", () => {
  expect(resolveTuning({})).toEqual({ callTimeoutSec: 30, retryBaseMs: 500, retryMaxMs: 20000, retryAttempts: 8, pollMs: 5000, scanTtlMs: 60000 });
  expect(resolveTuning({ CVM_IMAGE_CALL_TIMEOUT: "1500ms", CVM_IMAGE_RETRY_ATTEMPTS: "3" })).toMatchObject({ callTimeoutSec: 1.5, retryAttempts: 3 });
  expect(resolveTuning({ CVM_IMAGE_CALL_TIMEOUT: "12" }).callTimeoutSec).toBe(12);
});
