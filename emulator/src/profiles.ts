/**
 * The emulator's accounts as Tencent Cloud credential profiles, the files `tccli configure
 * --profile NAME` writes, for tests and demos of programs that name profiles: per account,
 * `<dir>/<name>.credential` (`secretId`, `secretKey`; mode 0600) and `<dir>/<name>.configure`
 * (`_sys_param.region` = the data set's default region, `_sys_param.output` = `json`). Nothing else
 * goes into them: the emulator's endpoint stays in TENCENTCLOUD_CVM_ENDPOINT.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { RunningEmulator } from "./emulator";

/** Options of {@link writeProfiles}. */
export interface WriteProfilesOptions {
  /** The accounts to write, by name or uin (default: every account). */
  accounts?: string[];
  /** The profile name of an account, by account name (default: the account's name, e.g. `alice`). */
  names?: Record<string, string>;
  /** The region the `.configure` files set (default: the emulator's default region). */
  region?: string;
}

/** One profile written by {@link writeProfiles}. */
export interface WrittenProfile {
  /** The profile name (`TENCENTCLOUD_PROFILE`, `tencentcloud:profile`, or a resource's `profile` input). */
  profile: string;
  /** The emulator account it holds the keys of. */
  account: string;
  /** Its root account uin. */
  uin: string;
  /** The `.credential` file. */
  credentialFile: string;
  /** The `.configure` file. */
  configureFile: string;
}

/**
 * Writes the emulator's accounts as credential profiles into `dir` (created if missing), and
 * returns what it wrote. Point the provider at them with `tencentcloud:sharedCredentialsDir` or
 * TENCENTCLOUD_SHARED_CREDENTIALS_DIR = `dir`.
 */
export function writeProfiles(
  dir: string,
  emulator: Pick<RunningEmulator, "accounts" | "defaultRegion">,
  opts: WriteProfilesOptions = {},
): WrittenProfile[] {
  fs.mkdirSync(dir, { recursive: true });
  const wanted = opts.accounts;
  const accounts = emulator.accounts.filter((a) => !wanted || wanted.includes(a.name) || wanted.includes(a.uin));
  for (const w of wanted ?? []) {
    if (!accounts.some((a) => a.name === w || a.uin === w)) throw new Error(`no emulator account ${w}`);
  }
  const region = opts.region ?? emulator.defaultRegion;
  return accounts.map((a) => {
    const profile = opts.names?.[a.name] ?? a.name;
    const credentialFile = path.join(dir, `${profile}.credential`);
    const configureFile = path.join(dir, `${profile}.configure`);
    fs.writeFileSync(credentialFile, `${JSON.stringify({ secretId: a.secretId, secretKey: a.secretKey }, null, 4)}\n`, {
      mode: 0o600,
    });
    fs.chmodSync(credentialFile, 0o600);
    fs.writeFileSync(configureFile, `${JSON.stringify({ _sys_param: { region, output: "json" } }, null, 4)}\n`);
    return { profile, account: a.name, uin: a.uin, credentialFile, configureFile };
  });
}
