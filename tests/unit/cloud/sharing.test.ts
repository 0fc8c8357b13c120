// Sharing actions (provider/src/cloud/sharing.ts) against the emulator: DescribeImageSharePermission and
// ModifyImageSharePermission in chunks, with answers that may mean "already so".
import { describeShares, modifyShares } from "../../../provider/src/cloud/sharing";
import { startEmulator, type RunningEmulator } from "@pulumi-tencentcloud-images/cvm-emulator";
import { resolveSettings, type Settings } from "../../../provider/src/cloud/settings";
import { BOB, CAROL, FIXTURES } from "../../provider/harness";

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
