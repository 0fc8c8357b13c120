// Image actions (provider/src/cloud/images.ts) against the emulator: describe, find by name, modify.
import {
  describeImage,
  describeImages,
  findPrivateImagesByName,
  modifyImageAttribute,
} from "../../../provider/src/cloud/images";
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

describe("describing", () => {
  test("images by id; unknown ids are simply missing", async () => {
    const found = await describeImages(settings(), ["img-alic0001", "img-nope0000", "img-pub00001"]);
    expect([...found.keys()].sort()).toEqual(["img-alic0001", "img-pub00001"]);
    expect(found.get("img-alic0001")).toMatchObject({ imageId: "img-alic0001", imageName: "alice-legacy" });
    expect(await describeImage(settings(), "img-nope0000")).toBeNull();
  });

  test("this account's custom images by exact name (the API's filter is fuzzy)", async () => {
    expect((await findPrivateImagesByName(settings(), "alice-legacy")).map((i) => i.imageId)).toEqual(["img-alic0001"]);
    expect(await findPrivateImagesByName(settings(), "alice")).toEqual([]);
    expect(await findPrivateImagesByName(settings("bob"), "alice-legacy")).toEqual([]);
  });
});

test("modifyImageAttribute changes the name and description in place", async () => {
  await modifyImageAttribute(settings(), "img-alic0001", { imageName: "renamed", imageDescription: "d" });
  expect(await describeImage(settings(), "img-alic0001")).toMatchObject({
    imageName: "renamed",
    imageDescription: "d",
  });
});
