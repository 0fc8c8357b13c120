// SyncImages (provider/src/cloud/sync.ts) against the emulator: one call, each copy named by its region.
import { syncImage } from "../../../provider/src/cloud/sync";
import { describeImage } from "../../../provider/src/cloud/images";
import { startEmulator, type RunningEmulator } from "@pulumi-tencentcloud-images/cvm-emulator";
import { resolveSettings, type Settings } from "../../../provider/src/cloud/settings";
import { FIXTURES } from "../../provider/harness";

let emu: RunningEmulator;
const env = (account = "alice") => ({
  ...emu.env(account),
  CVM_IMAGE_RETRY_BASE_MS: "10",
  CVM_IMAGE_RETRY_MAX_MS: "50",
});
const settings = (account = "alice", region = "ap-guangzhou"): Settings =>
  resolveSettings({ env: env(account), config: {}, region, readFile: () => undefined });

beforeAll(async () => {
  emu = await startEmulator({
    fixtures: FIXTURES as never,
    timing: { creatingMs: 50, syncingMs: 50, deleteLagMs: 20 },
  });
});
afterAll(() => emu.stop());

test("copies an image to another region and names the copy there", async () => {
  const copies = await syncImage(settings(), "img-alic0001", ["ap-shanghai"]);
  expect(copies).toEqual([{ region: "ap-shanghai", imageId: expect.stringMatching(/^img-/) }]);
  const copy = await describeImage(settings("alice", "ap-shanghai"), copies[0]!.imageId);
  expect(copy?.imageName).toBe("alice-legacy");
  expect(await describeImage(settings(), copies[0]!.imageId)).toBeNull(); // not in the source region
});

test("a refusal is thrown, not retried into a second copy", async () => {
  await expect(syncImage(settings(), "img-nope0000", ["ap-shanghai"])).rejects.toThrow(/SyncImages failed/);
});
