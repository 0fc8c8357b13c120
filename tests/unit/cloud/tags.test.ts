// Image tags through the Tag API (provider/src/cloud/tags.ts) against the emulator.
import { applyTags, imageResourceName } from "../../../provider/src/cloud/tags";
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

test("the image's six-segment resource name, uin left empty", () => {
  expect(imageResourceName("ap-guangzhou", "img-abcd1234")).toBe("qcs::cvm:ap-guangzhou:uin/:image/img-abcd1234");
});

test("sets and removes tags with ModifyResourceTags; the image then shows them", async () => {
  const s = settings();
  await applyTags(s, "img-alic0001", { team: "web", env: "prod" }, [], undefined, env());
  expect((await describeImage(s, "img-alic0001"))?.tags).toEqual({ team: "web", env: "prod" });
  await applyTags(s, "img-alic0001", { team: "api" }, ["env"], undefined, env());
  expect((await describeImage(s, "img-alic0001"))?.tags).toEqual({ team: "api" });
});
