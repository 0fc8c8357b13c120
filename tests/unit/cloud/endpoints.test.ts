import { isLocalEndpoint, unreachableText } from "../../../provider/src/cloud/endpoints";
import { cvmEndpoint } from "../../../provider/src/cloud/settings";

test.each([
  ["127.0.0.1:8080", true],
  ["127.0.0.1", true],
  ["127.1.2.3:9", true],
  ["localhost:8080", true],
  ["LOCALHOST", true],
  ["[::1]:8080", true],
  ["::1", true],
  ["cvm.tencentcloudapi.com", false],
  ["10.0.0.5:8080", false],
  ["localhost.example.com:80", false],
  ["[2001:db8::1]:8080", false],
])("isLocalEndpoint(%s) is %s", (endpoint, local) => {
  expect(isLocalEndpoint(endpoint)).toBe(local);
});

test("the CVM endpoint says whether TENCENTCLOUD_CVM_ENDPOINT set it", () => {
  expect(cvmEndpoint({ TENCENTCLOUD_CVM_ENDPOINT: "http://127.0.0.1:9000" })).toEqual({
    endpoint: "127.0.0.1:9000",
    protocol: "http://",
    endpointOrigin: { kind: "env", variable: "TENCENTCLOUD_CVM_ENDPOINT" },
  });
  expect(cvmEndpoint({})).toEqual({
    endpoint: "cvm.tencentcloudapi.com",
    protocol: "https://",
    endpointOrigin: { kind: "default", variable: "TENCENTCLOUD_CVM_ENDPOINT" },
  });
});

describe("unreachableText", () => {
  const fromEnv = { kind: "env", variable: "TENCENTCLOUD_CVM_ENDPOINT" } as const;

  test("a local address asks whether the emulator runs, and names the variable to fix", () => {
    const text = unreachableText({
      url: "http://127.0.0.1:8080",
      endpoint: "127.0.0.1:8080",
      origin: fromEnv,
      code: "ECONNREFUSED",
    });
    expect(text).toBe(
      "cannot reach the API endpoint http://127.0.0.1:8080 (set by TENCENTCLOUD_CVM_ENDPOINT): the connection was refused (ECONNREFUSED). " +
        "It is a local address: is the emulator running? Start it (`cvm-image emulator`), or set TENCENTCLOUD_CVM_ENDPOINT to the address it listens on",
    );
  });

  test("a remote address set by a variable: check that address; the default: check the network", () => {
    const set = unreachableText({
      url: "https://cvm.example.invalid",
      endpoint: "cvm.example.invalid",
      origin: fromEnv,
      code: "ENOTFOUND",
    });
    expect(set).toContain(
      "(set by TENCENTCLOUD_CVM_ENDPOINT): its host name does not resolve (ENOTFOUND). Check the address in TENCENTCLOUD_CVM_ENDPOINT",
    );
    expect(set).not.toContain("emulator");
    const byDefault = unreachableText({
      url: "https://tag.tencentcloudapi.com",
      endpoint: "tag.tencentcloudapi.com",
      origin: { kind: "default", variable: "TENCENTCLOUD_TAG_ENDPOINT" },
      code: "EAI_AGAIN",
    });
    expect(byDefault).toContain("https://tag.tencentcloudapi.com (the default; TENCENTCLOUD_TAG_ENDPOINT is not set)");
    expect(byDefault).toContain("(EAI_AGAIN). Check this machine's network, DNS and proxy settings");
  });
});
