// One emulator for a unit test file of a cloud/ module (the provider harness's fixtures), with the
// module's settings for an account and region, resolved as the provider resolves them.
import { startEmulator, type RunningEmulator } from "@pulumi-tencentcloud-images/cvm-emulator";
import { resolveSettings, type Settings } from "../../../provider/src/cloud/settings";
import { FIXTURES } from "../../provider/harness";

/** Starts the emulator before the file's tests and stops it after; call at the top of a test file. */
export function useCloudEmulator() {
  let emu: RunningEmulator | undefined;
  beforeAll(async () => {
    emu = await startEmulator({
      fixtures: FIXTURES as never,
      timing: { creatingMs: 50, syncingMs: 50, deleteLagMs: 20 },
    });
  });
  afterAll(() => emu?.stop());
  /** The environment the provider would see as `account`, with short retries. */
  const env = (account = "alice") => ({
    ...emu!.env(account),
    CVM_IMAGE_RETRY_BASE_MS: "10",
    CVM_IMAGE_RETRY_MAX_MS: "50",
  });
  const settings = (account = "alice", region = "ap-guangzhou"): Settings =>
    resolveSettings({ env: env(account), config: {}, region, readFile: () => undefined });
  return { env, settings, emulator: () => emu! };
}
