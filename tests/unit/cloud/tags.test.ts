// Image tags through the Tag API (provider/src/cloud/tags.ts) against the emulator.
import { applyTags, imageResourceName } from "../../../provider/src/cloud/tags";
import { describeImage } from "../../../provider/src/cloud/images";
import { useCloudEmulator } from "./emulator";

const { env, settings } = useCloudEmulator();

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
