// The usage scan (provider/src/cloud/usage.ts) against the emulator: instances, launch templates and
// launch configurations, each kind refused on its own; one shared scan per account and region.
import { ApiError } from "../../../provider/src/cloud/call";
import { isRefusedScan, listInstances, scanUsage, sharedUsageScan } from "../../../provider/src/cloud/usage";
import { imageUsage } from "../../../provider/src/cloud/usage-rules";
import { resetProcess } from "../../../provider/src/cloud/process";
import { useCloudEmulator } from "./emulator";

const { env, settings } = useCloudEmulator();

test("listInstances: the account's instances in the region, with their images", async () => {
  expect((await listInstances(settings())).map((i) => [i.instanceId, i.imageId])).toEqual([
    ["ins-web00001", "img-pub00001"],
  ]);
  expect(await listInstances(settings("bob"))).toEqual([]);
});

test("scanUsage: every kind listed; the scan finds what uses an image", async () => {
  const scan = await scanUsage(settings(), {}, env());
  expect(scan).toMatchObject({ instances: { items: [expect.anything()] }, launchTemplates: { items: [] } });
  expect(imageUsage(scan, "img-pub00001").instances.map((i) => i.instanceId)).toEqual(["ins-web00001"]);
  expect(imageUsage(scan, "img-alic0001").instances).toEqual([]);
});

test("isRefusedScan: permission refusals and an unavailable service, not other failures", () => {
  const err = (code: string | undefined, kind: string) =>
    Object.assign(Object.create(ApiError.prototype) as ApiError, { code, kind, message: "m" });
  expect(isRefusedScan(err("UnauthorizedOperation", "client"))).toBe(true);
  expect(isRefusedScan(err("AuthFailure.UnauthorizedOperation", "client"))).toBe(true);
  expect(isRefusedScan(err("ResourceUnavailable.ServiceNotActivated", "client"))).toBe(true);
  expect(isRefusedScan(err(undefined, "unreachable"))).toBe(true);
  expect(isRefusedScan(err("InvalidParameter", "client"))).toBe(false);
  expect(isRefusedScan(err("AuthFailure.SignatureFailure", "client"))).toBe(false);
  expect(isRefusedScan(new Error("UnauthorizedOperation"))).toBe(false);
});

test("sharedUsageScan: one scan per account and region while it is fresh", async () => {
  resetProcess();
  const s = { ...settings(), tuning: { ...settings().tuning, scanTtlMs: 60_000 } };
  const first = sharedUsageScan(s);
  expect(sharedUsageScan(s)).toBe(first);
  const other = sharedUsageScan({ ...s, region: "ap-shanghai" });
  expect(other).not.toBe(first);
  await Promise.all([first, other]);
  resetProcess();
});
