// Sharing actions (provider/src/cloud/sharing.ts) against the emulator: DescribeImageSharePermission and
// ModifyImageSharePermission in chunks, with answers that may mean "already so".
import { describeShares, modifyShares } from "../../../provider/src/cloud/sharing";
import { BOB, CAROL } from "../../provider/harness";
import { useCloudEmulator } from "./emulator";

const { settings } = useCloudEmulator();

describe("modifyShares and describeShares", () => {
  test("shares and cancels, telling each chunk done; a repeat of either changes nothing and succeeds", async () => {
    const s = settings();
    expect(await describeShares(s, "img-alic0001")).toEqual([]);
    const chunks: string[][] = [];
    await modifyShares(s, "img-alic0001", [BOB, CAROL], "SHARE", { onChunk: (done) => chunks.push(done) });
    expect(chunks).toEqual([[BOB, CAROL]]);
    expect((await describeShares(s, "img-alic0001")).sort()).toEqual([BOB, CAROL]);
    await modifyShares(s, "img-alic0001", [BOB], "SHARE"); // as a retry after a lost answer would
    await modifyShares(s, "img-alic0001", [BOB, CAROL], "CANCEL");
    await modifyShares(s, "img-alic0001", [CAROL], "CANCEL");
    expect(await describeShares(s, "img-alic0001")).toEqual([]);
  });

  test("a real refusal is thrown: another account's image", async () => {
    await expect(modifyShares(settings(), "img-bobs0001", [CAROL], "SHARE")).rejects.toThrow(
      /ModifyImageSharePermission failed/,
    );
  });
});
