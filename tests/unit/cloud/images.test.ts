// Image actions (provider/src/cloud/images.ts) against the emulator: describe, find by name, modify.
import {
  describeImage,
  describeImages,
  findPrivateImagesByName,
  modifyImageAttribute,
} from "../../../provider/src/cloud/images";
import { useCloudEmulator } from "./emulator";

const { settings } = useCloudEmulator();

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
