/**
 * The README's way to share an image by hand against the emulator and to cancel the share
 * (emulator/README.md, "Sharing an image against the emulator") runs as written: each `tccli` line
 * with tccli when installed, else the same call through the SDK (tests/support/tccli.ts).
 */
import * as path from "node:path";
import { readmeBlock } from "../support/readme";
import { runTccli } from "../support/tccli";
import { repoRoot } from "../support/toolchain";
import { CAROL, start } from "./helpers";
import type { RunningEmulator } from "../../emulator/src";

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await start();
});
afterAll(() => emu?.stop());

test("the README's tccli lines share an image with carol, show it to her, and cancel the share", async () => {
  const block = readmeBlock("emulator-test", "sharing", path.join(repoRoot, "emulator", "README.md"));
  const env: Record<string, string> = {};
  const answers: Array<Record<string, any>> = [];
  for (const line of block
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "")) {
    if (line.startsWith(". ./emulator.env")) Object.assign(env, emu.env("alice"));
    else if (/^[A-Z_]+=\S+/.test(line)) {
      const [, name, value] = /^([A-Z_]+)=(\S+)/.exec(line)!;
      env[name!] = value!;
    } else if (line.startsWith("curl ")) {
      // The line the reader takes carol's keys from.
      expect(line).toContain('"$TENCENTCLOUD_CVM_ENDPOINT/_emulator/accounts"');
      const { accounts } = (await (await fetch(`${env.TENCENTCLOUD_CVM_ENDPOINT}/_emulator/accounts`)).json()) as {
        accounts: Array<Record<string, string>>;
      };
      const carol = accounts.find((a) => a.name === "carol")!;
      Object.assign(env, { CAROL_SECRET_ID: carol.secretId!, CAROL_SECRET_KEY: carol.secretKey! });
    } else if (line.startsWith("tccli ")) answers.push((await runTccli(line, env)).response);
    else throw new Error(`a line this test does not know how to run: ${line}`);
  }
  const [shared, listed, seenByCarol, cancelled] = answers;
  expect(shared).toHaveProperty("RequestId");
  expect(listed!.SharePermissionSet.map((p: { AccountId: string }) => p.AccountId)).toEqual([CAROL]);
  expect(seenByCarol!.ImageSet.map((i: { ImageId: string; ImageType: string }) => [i.ImageId, i.ImageType])).toEqual([
    [env.IMG, "SHARED_IMAGE"],
  ]);
  expect(cancelled).toHaveProperty("RequestId");
  expect(answers).toHaveLength(4);
  const after = await runTccli(
    `tccli cvm DescribeImageSharePermission --region ap-guangzhou --endpoint "$TENCENTCLOUD_CVM_ENDPOINT" --ImageId "$IMG"`,
    env,
  );
  expect(after.response.SharePermissionSet).toEqual([]);
});
