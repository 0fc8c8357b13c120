// SyncImages (provider/src/cloud/sync.ts) against the emulator: one call, each copy named by its region.
import { syncImage } from "../../../provider/src/cloud/sync";
import { describeImage } from "../../../provider/src/cloud/images";
import { useCloudEmulator } from "./emulator";

const { settings } = useCloudEmulator();

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
