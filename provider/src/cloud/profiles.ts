/**
 * Credential profiles as Tencent Cloud's tools store them: `tccli configure --profile NAME` writes
 * `<dir>/NAME.credential` (JSON: `secretId`, `secretKey`, and `token` for temporary keys) and
 * `<dir>/NAME.configure` (JSON: `_sys_param.region`, the output format, per-service endpoints),
 * in `~/.tccli` by default. The official Terraform and Pulumi providers read the same files
 * (`profile` / `shared_credentials_dir`, TENCENTCLOUD_PROFILE / TENCENTCLOUD_SHARED_CREDENTIALS_DIR).
 *
 * Files are read when a call needs them, never cached, so a fixed file takes effect at the next
 * operation. Errors name the file, never its content.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ConfigurationError } from "./credentials-rules";
import { PROFILE_NAME_PATTERN } from "../schema/naming";

/** The profile tccli uses when none is named. */
export const DEFAULT_PROFILE = "default";
/** The folder tccli keeps its profiles in, under the home folder. */
export const DEFAULT_PROFILE_DIR = "~/.tccli";

/** What a credential file holds that this package uses. */
export interface ProfileCredential {
  secretId: string;
  secretKey: string;
  /** The session token of temporary keys (`token`). */
  token?: string;
}

/** A profile read from its files. */
export interface Profile {
  name: string;
  /** `<dir>/<name>.credential`, absolute. */
  credentialFile: string;
  /** The credential file as messages show it (`~/.tccli/build.credential`). */
  shownFile: string;
  credential: ProfileCredential;
  /** `_sys_param.region` of `<dir>/<name>.configure`, when that file sets one. */
  region?: string;
}

/** How files are read (tests replace it); undefined when the file does not exist. */
export type FileReader = (file: string) => string | undefined;

/** Reads a file as UTF-8; undefined when it does not exist. Other errors (permissions) are thrown. */
export const readFileIfExists: FileReader = (file) => {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT" || (e as NodeJS.ErrnoException).code === "ENOTDIR")
      return undefined;
    throw e;
  }
};

/** The home folder: HOME (USERPROFILE on Windows) from `env`, else the OS's. */
export function homeDir(env: Record<string, string | undefined>): string {
  return (process.platform === "win32" ? env.USERPROFILE : env.HOME) || os.homedir();
}

/** `~` or `~/x` expanded against `home`; other paths resolved as given. */
export function expandHome(p: string, home: string): string {
  if (p === "~") return home;
  if (p.startsWith("~/") || p.startsWith("~\\")) return path.join(home, p.slice(2));
  return path.resolve(p);
}

/** A path under `home` written with `~`, for messages. */
export function shownPath(p: string, home: string): string {
  const rel = path.relative(home, p);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? `~/${rel.split(path.sep).join("/")}` : p;
}

/** Why `name` cannot be a profile name, or undefined when it can. */
export function profileNameProblem(name: string): string | undefined {
  return PROFILE_NAME_PATTERN.test(name)
    ? undefined
    : `${JSON.stringify(name)} is not a profile name: use 1 to 64 letters, digits, ".", "_" or "-", starting with a ` +
        `letter or digit`;
}

/**
 * The credential file's fields; throws ConfigurationError naming the file (never its content) when they are unusable.
 */
export function parseCredentialFile(text: string, shownFile: string): ProfileCredential {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new ConfigurationError(`${shownFile} is not valid JSON; write it again with \`tccli configure\``);
  }
  const rec = (data && typeof data === "object" && !Array.isArray(data) ? data : {}) as Record<string, unknown>;
  const str = (k: string) => (typeof rec[k] === "string" ? (rec[k] as string).trim() : "");
  // A role to assume, or the CVM instance's role, would give another identity than the keys: refused, not ignored.
  if (str("role-arn") || str("type") === "cvm-role") {
    throw new ConfigurationError(
      `${shownFile} asks for a role (role-arn or use-cvm-role), which this package does not assume; use a profile ` +
        `that holds the keys to use`,
    );
  }
  const secretId = str("secretId");
  const secretKey = str("secretKey");
  if (!secretId || !secretKey) {
    const missing = [!secretId && "secretId", !secretKey && "secretKey"].filter(Boolean).join(" and ");
    throw new ConfigurationError(`${shownFile} has no ${missing}; set them with \`tccli configure\``);
  }
  const token = str("token");
  return token ? { secretId, secretKey, token } : { secretId, secretKey };
}

/**
 * `_sys_param.region` of a configure file; undefined when absent or the file is unreadable (the region is optional).
 */
export function parseConfigureFile(text: string): { region?: string } {
  try {
    const data = JSON.parse(text) as { _sys_param?: { region?: unknown } };
    const region = data?._sys_param?.region;
    return typeof region === "string" && region.trim() !== "" ? { region: region.trim() } : {};
  } catch {
    return {};
  }
}

/**
 * Reads profile `name` from `dir` (already expanded). Undefined when its credential file does not
 * exist; throws ConfigurationError when it exists but cannot be used.
 */
export function readProfile(
  name: string,
  dir: string,
  opts: { home: string; readFile?: FileReader },
): Profile | undefined {
  const problem = profileNameProblem(name);
  if (problem) throw new ConfigurationError(problem);
  const read = opts.readFile ?? readFileIfExists;
  const credentialFile = path.join(dir, `${name}.credential`);
  const shownFile = shownPath(credentialFile, opts.home);
  let text: string | undefined;
  try {
    text = read(credentialFile);
  } catch (e) {
    throw new ConfigurationError(`${shownFile} cannot be read (${(e as NodeJS.ErrnoException).code ?? "error"})`);
  }
  if (text === undefined) return undefined;
  const credential = parseCredentialFile(text, shownFile);
  let configure: string | undefined;
  try {
    configure = read(path.join(dir, `${name}.configure`));
  } catch {
    configure = undefined;
  }
  const region = configure === undefined ? undefined : parseConfigureFile(configure).region;
  return { name, credentialFile, shownFile, credential, ...(region ? { region } : {}) };
}
