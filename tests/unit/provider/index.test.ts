// The provider implementation the serialized shim requires (provider/src/provider/index.ts): one
// entry per verb; configure and check need no cloud.
import * as impl from "../../../provider/src/provider/index";
import { getStackConfig } from "../../../provider/src/cloud/settings";
import { resetProcess } from "../../../provider/src/cloud/process";

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  resetProcess();
});

test("one entry per verb of a dynamic provider, delete under its reserved name", () => {
  for (const verb of ["configure", "check", "diff", "create", "read", "update", "delete"])
    expect([verb, typeof (impl as Record<string, unknown>)[verb]]).toEqual([verb, "function"]);
});

test("configure keeps only the stack config keys the provider reads", async () => {
  const config: Record<string, string> = { "tencentcloud:region": "ap-shanghai", "other:key": "x" };
  await impl.configure({ config: { get: (k) => config[k] } });
  expect(getStackConfig()["tencentcloud:region"]).toBe("ap-shanghai");
  expect(Object.values(getStackConfig())).not.toContain("x");
});

test("check fills defaults and reports refused inputs as one engine failure", async () => {
  process.env.TENCENTCLOUD_REGION = "ap-guangzhou";
  const ok = await impl.check({}, { adoptImageId: "img-abcd1234", imageName: "web" });
  expect(ok.failures).toEqual([]);
  expect(ok.inputs).toMatchObject({ adoptImageId: "img-abcd1234", imageName: "web", region: "ap-guangzhou" });
  const bad = await impl.check({}, { adoptImageId: "img-abcd1234", deletionPolicy: { unmanagedShares: "maybe" } });
  expect(bad.failures).toHaveLength(1);
  expect(bad.failures[0]!.property).toBe("");
  expect(bad.failures[0]!.reason).toContain("deletionPolicy.unmanagedShares");
});
