/**
 * Where credentials, region, endpoint and tuning come from. Resolved per call, from the stack
 * config handed to `configure` (kept in the process state, `cloud/process.ts`, never in the
 * serialized provider), from credential profiles (`cloud/profiles.ts`) and from the environment.
 *
 * Credentials, first that applies (see {@link resolveCredentials}):
 *  1. the resource's `profile` input: that profile's credential file;
 *  2. the stack config: `tencentcloud:secretId` + `tencentcloud:secretKey` (with
 *     `tencentcloud:securityToken`), else the profile `tencentcloud:profile`;
 *  3. the environment: TENCENTCLOUD_SECRET_ID + TENCENTCLOUD_SECRET_KEY (with
 *     TENCENTCLOUD_SECURITY_TOKEN, else TENCENTCLOUD_SESSION_TOKEN), else the profile TENCENTCLOUD_PROFILE;
 *  4. the tccli `default` profile, when its file exists.
 * Keys always come with their token from one level; a level that sets only half a pair is an error.
 * Profiles are read from `tencentcloud:sharedCredentialsDir`, else TENCENTCLOUD_SHARED_CREDENTIALS_DIR,
 * else `~/.tccli`.
 */
import { parseDuration } from "../schema/durations";
import { ConfigurationError, type CredentialSource, type Operation } from "./credentials-rules";
import type { EndpointOrigin } from "./endpoints";
import type { CommandEndpoints, CommandService } from "./commands-rules";
import {
  DEFAULT_PROFILE,
  DEFAULT_PROFILE_DIR,
  expandHome,
  FileReader,
  homeDir,
  readProfile,
  shownPath,
} from "./profiles";
import { processState } from "./process";
import * as path from "node:path";

export { ConfigurationError };

/** Stack-config keys read (the names the official Tencent Cloud provider uses). */
export const CONFIG_KEYS = {
  /** The SecretId (used together with `secretKey`; the pair wins over `profile` and over the environment). */
  secretId: "tencentcloud:secretId",
  /** The SecretKey (set it with `pulumi config set --secret`). */
  secretKey: "tencentcloud:secretKey",
  /** The session token of temporary credentials. */
  securityToken: "tencentcloud:securityToken",
  /** A credential profile (`<dir>/<name>.credential`), used when the stack config sets no key pair. */
  profile: "tencentcloud:profile",
  /** The folder of the credential profiles (default `~/.tccli`). */
  sharedCredentialsDir: "tencentcloud:sharedCredentialsDir",
  /** The default region. */
  region: "tencentcloud:region",
} as const;

/** Environment variables read. */
export const ENV_KEYS = {
  /** The SecretId, used when the stack config sets no credentials. */
  secretId: "TENCENTCLOUD_SECRET_ID",
  /** The SecretKey, used together with `TENCENTCLOUD_SECRET_ID`. */
  secretKey: "TENCENTCLOUD_SECRET_KEY",
  /**
   * The session token of temporary credentials (the official provider's name; wins over `TENCENTCLOUD_SESSION_TOKEN`).
   */
  securityToken: "TENCENTCLOUD_SECURITY_TOKEN",
  /** The session token of temporary credentials (the SDK's name). */
  sessionToken: "TENCENTCLOUD_SESSION_TOKEN",
  /** A credential profile, used when neither the stack config nor the environment sets keys. */
  profile: "TENCENTCLOUD_PROFILE",
  /** The folder of the credential profiles, when the stack config sets none (default `~/.tccli`). */
  sharedCredentialsDir: "TENCENTCLOUD_SHARED_CREDENTIALS_DIR",
  /** The default region, when the stack config sets none. */
  region: "TENCENTCLOUD_REGION",
  /** The CVM API endpoint (`host:port` or `http(s)://host:port`), e.g. the local emulator. */
  endpoint: "TENCENTCLOUD_CVM_ENDPOINT",
  /** The Tag API endpoint; defaults to the CVM endpoint when that is set, else `tag.tencentcloudapi.com`. */
  tagEndpoint: "TENCENTCLOUD_TAG_ENDPOINT",
  /**
   * The Auto Scaling API endpoint (launch configurations); defaults to
   * the CVM endpoint when that is set, else `as.tencentcloudapi.com`.
   */
  asEndpoint: "TENCENTCLOUD_AS_ENDPOINT",
  /** Per-call timeout, a duration or seconds (default `30s`). */
  callTimeout: "CVM_IMAGE_CALL_TIMEOUT",
  /** Backoff base for retried calls, ms (default 500). */
  retryBaseMs: "CVM_IMAGE_RETRY_BASE_MS",
  /** Backoff cap for retried calls, ms (default 20000). */
  retryMaxMs: "CVM_IMAGE_RETRY_MAX_MS",
  /** Attempts per call for retryable errors (default 8). */
  retryAttempts: "CVM_IMAGE_RETRY_ATTEMPTS",
  /** Interval between state polls, ms (default 5000). */
  pollMs: "CVM_IMAGE_POLL_MS",
  /**
   * How long one usage scan (instances, launch templates, launch
   * configurations) serves the deletes of an operation, ms (default 60000).
   */
  scanTtlMs: "CVM_IMAGE_INSTANCE_SCAN_TTL_MS",
} as const;

export type Env = Record<string, string | undefined>;
export type StackConfig = Record<string, string | undefined>;

/**
 * Everything one API call needs: the CVM endpoint (see
 * {@link cvmEndpoint}), keys, region, tuning. Never logged or stored.
 */
export interface Settings extends ResolvedEndpoint {
  secretId: string;
  secretKey: string;
  token?: string;
  region: string;
  tuning: Tuning;
  /** Where the credentials came from (named in authentication errors; holds no secret). */
  source?: CredentialSource;
  /** The operation the calls belong to (for the fix an authentication error suggests). */
  operation?: Operation;
}

export interface Tuning {
  /** Per-call timeout, seconds. Default 30. */
  callTimeoutSec: number;
  /** Backoff base, ms. Default 500. */
  retryBaseMs: number;
  /** Backoff cap, ms. Default 20000. */
  retryMaxMs: number;
  /** Attempts per call for retryable errors. Default 8. */
  retryAttempts: number;
  /** Interval between state polls, ms. Default 5000. */
  pollMs: number;
  /** How long one instance scan serves the deletes of an operation, ms. Default 60000. */
  scanTtlMs: number;
}

/**
 * The environment the provider reads: the process's, read at each use (a variable changed meanwhile
 * counts). The cloud and provider layers take it from here rather than read `process.env` themselves.
 */
export function processEnv(): Env {
  return process.env;
}

/** Keeps the stack config given to `configure` (only the keys this provider reads) in the process state. */
export function setStackConfig(get: (key: string) => string | undefined): void {
  const next: StackConfig = {};
  for (const key of Object.values(CONFIG_KEYS)) {
    const v = get(key);
    if (v !== undefined && v !== "") next[key] = v;
  }
  processState.config = next;
}

/** The stack config kept by `configure`. */
export function getStackConfig(): StackConfig {
  return processState.config;
}

function num(env: Env, key: string, fallback: number): number {
  const raw = env[key];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : fallback;
}

export function resolveTuning(env: Env = processEnv()): Tuning {
  const timeoutText = env[ENV_KEYS.callTimeout];
  const timeoutMs = timeoutText ? (parseDuration(timeoutText) ?? Number(timeoutText) * 1000) : 30_000;
  return {
    callTimeoutSec: Number.isFinite(timeoutMs) && timeoutMs > 0 ? timeoutMs / 1000 : 30,
    retryBaseMs: num(env, ENV_KEYS.retryBaseMs, 500),
    retryMaxMs: num(env, ENV_KEYS.retryMaxMs, 20_000),
    retryAttempts: Math.max(1, Math.floor(num(env, ENV_KEYS.retryAttempts, 8))),
    pollMs: num(env, ENV_KEYS.pollMs, 5000),
    scanTtlMs: num(env, ENV_KEYS.scanTtlMs, 60_000),
  };
}

/**
 * The default region: stack config `tencentcloud:region`, else TENCENTCLOUD_REGION, else the region
 * of the profile the credentials come from (`_sys_param.region` of its `.configure` file), with
 * `profile` the resource's `profile` input. Undefined when none is set.
 */
export function defaultRegion(
  env: Env = processEnv(),
  config: StackConfig = processState.config,
  profile?: string,
): string | undefined {
  const set = config[CONFIG_KEYS.region] || env[ENV_KEYS.region];
  if (set) return set;
  try {
    return resolveCredentials({ env, config, profile }).region;
  } catch {
    return undefined;
  }
}

/** Parses TENCENTCLOUD_CVM_ENDPOINT: `host[:port]` or `http(s)://host[:port][/]`. */
export function parseEndpoint(raw: string | undefined): { endpoint: string; protocol: "https://" | "http://" } {
  if (!raw) return { endpoint: "cvm.tencentcloudapi.com", protocol: "https://" };
  const m = /^(https?):\/\/([^/]+)\/?.*$/.exec(raw.trim());
  if (m) return { endpoint: m[2], protocol: m[1] === "http" ? "http://" : "https://" };
  return { endpoint: raw.trim().replace(/\/+$/, ""), protocol: "https://" };
}

/** An endpoint to call, and where it came from. */
export interface ResolvedEndpoint {
  /** host[:port], no scheme. */
  endpoint: string;
  protocol: "https://" | "http://";
  /** Where it came from (named when it cannot be reached). */
  endpointOrigin: EndpointOrigin;
}

/** The CVM endpoint: TENCENTCLOUD_CVM_ENDPOINT when set, else `cvm.tencentcloudapi.com`. */
export function cvmEndpoint(env: Env = processEnv()): ResolvedEndpoint {
  const raw = env[ENV_KEYS.endpoint];
  return { ...parseEndpoint(raw), endpointOrigin: { kind: raw ? "env" : "default", variable: ENV_KEYS.endpoint } };
}

/** The services other than CVM that the provider calls, each with its own endpoint setting. */
const SERVICE_ENDPOINT_KEYS = { tag: ENV_KEYS.tagEndpoint, as: ENV_KEYS.asEndpoint } as const;

/**
 * Where the calls of another service (`tag`: the Tag API, `as`: Auto Scaling) go: its own
 * variable (TENCENTCLOUD_TAG_ENDPOINT, TENCENTCLOUD_AS_ENDPOINT) when set. Otherwise, when
 * TENCENTCLOUD_CVM_ENDPOINT is set, that endpoint: as it is (the local emulator serves every API on
 * one port), except that a Tencent Cloud domain's leading `cvm.` becomes the service's
 * (cvm.intl.tencentcloudapi.com → tag.intl.tencentcloudapi.com). Otherwise `<service>.tencentcloudapi.com`.
 */
export function serviceEndpoint(
  service: keyof typeof SERVICE_ENDPOINT_KEYS,
  env: Env = processEnv(),
): ResolvedEndpoint {
  const variable = SERVICE_ENDPOINT_KEYS[service];
  const own = env[variable];
  if (own) return { ...parseEndpoint(own), endpointOrigin: { kind: "env", variable } };
  if (!env[ENV_KEYS.endpoint])
    return {
      ...parseEndpoint(`https://${service}.tencentcloudapi.com`),
      endpointOrigin: { kind: "default", variable },
    };
  const cvm = cvmEndpoint(env);
  return { ...cvm, endpoint: cvm.endpoint.replace(/^cvm\.(?=.*tencentcloudapi\.com(:\d+)?$)/i, `${service}.`) };
}

/** Resolved credentials: the keys, where they came from, and the region of their profile (if any). */
export interface Credentials {
  secretId: string;
  secretKey: string;
  token?: string;
  source: CredentialSource;
  /** `_sys_param.region` of the profile's `.configure` file, when the credentials come from a profile that sets one. */
  region?: string;
}

/** Where {@link resolveCredentials} looks. */
export interface CredentialOptions {
  /** The resource's `profile` input (wins over everything else). */
  profile?: string;
  /** Default `process.env`. */
  env?: Env;
  /** Default: the stack config kept by `configure`. */
  config?: StackConfig;
  /** How profile files are read (tests). */
  readFile?: FileReader;
}

const NO_CREDENTIALS =
  "no Tencent Cloud credentials found. Set one of: a `profile` input on the resource; the stack config " +
  "tencentcloud:secretId and tencentcloud:secretKey (with `pulumi config set --secret`), or tencentcloud:profile; " +
  "the environment variables TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY (and TENCENTCLOUD_SECURITY_TOKEN for " +
  "temporary keys), or TENCENTCLOUD_PROFILE; or a tccli default profile (`tccli configure` writes " +
  "~/.tccli/default.credential)";

/** The profile folder: stack config, else environment, else `~/.tccli`; expanded. */
export function profileDir(env: Env, config: StackConfig): { dir: string; home: string; from: string } {
  const home = homeDir(env);
  const fromConfig = config[CONFIG_KEYS.sharedCredentialsDir];
  const fromEnv = env[ENV_KEYS.sharedCredentialsDir];
  const raw = fromConfig || fromEnv || DEFAULT_PROFILE_DIR;
  const from = fromConfig
    ? `stack config ${CONFIG_KEYS.sharedCredentialsDir}`
    : fromEnv
      ? ENV_KEYS.sharedCredentialsDir
      : "the default folder";
  return { dir: expandHome(raw, home), home, from };
}

/** The profile folder in use (see {@link profileDir}) and how to read its files. */
interface ProfileFolder {
  dir: string;
  home: string;
  from: string;
  readFile?: FileReader;
}

/** The credentials of the profile `name`, which the setting `named` named; throws when its file is missing. */
function fromProfile(
  folder: ProfileFolder,
  name: string,
  kind: "resource-profile" | "config-profile" | "env-profile",
  named: string,
): Credentials {
  const { dir, home, from } = folder;
  const p = readProfile(name, dir, { home, readFile: folder.readFile });
  if (!p) {
    const file = shownPath(path.join(dir, `${name}.credential`), home);
    throw new ConfigurationError(
      `profile \`${name}\` (${named}) not found: there is no ${file} (the profile folder is ${from}). ` +
        `Write it with \`tccli configure --profile ${name}\`, or set tencentcloud:sharedCredentialsDir or ` +
        `TENCENTCLOUD_SHARED_CREDENTIALS_DIR to the folder that holds it`,
    );
  }
  return {
    ...p.credential,
    source: { kind, profile: name, file: p.shownFile },
    ...(p.region ? { region: p.region } : {}),
  };
}

/** The keys the stack config sets, if any; throws when it sets only half of the pair. */
function configKeyCredentials(config: StackConfig): Credentials | undefined {
  const cId = config[CONFIG_KEYS.secretId];
  const cKey = config[CONFIG_KEYS.secretKey];
  const cToken = config[CONFIG_KEYS.securityToken];
  if (!cId && !cKey && !cToken) return undefined;
  if (!cId || !cKey) {
    const missing = !cId ? CONFIG_KEYS.secretId : CONFIG_KEYS.secretKey;
    const set = [cId && CONFIG_KEYS.secretId, cKey && CONFIG_KEYS.secretKey, cToken && CONFIG_KEYS.securityToken];
    throw new ConfigurationError(
      `the stack config sets ${set.filter(Boolean).join(" and ")} but not ${missing}: ` +
        `set both tencentcloud:secretId and tencentcloud:secretKey (\`pulumi config set --secret\`), or remove ` +
        `them to use tencentcloud:profile or the environment`,
    );
  }
  return { secretId: cId, secretKey: cKey, ...(cToken ? { token: cToken } : {}), source: { kind: "config-keys" } };
}

/** The keys the environment sets, if any (with the session token, by either name); throws on half a pair. */
function envKeyCredentials(env: Env): Credentials | undefined {
  const eId = env[ENV_KEYS.secretId];
  const eKey = env[ENV_KEYS.secretKey];
  if (!eId && !eKey) return undefined;
  if (!eId || !eKey) {
    throw new ConfigurationError(
      `the environment sets ${eId ? ENV_KEYS.secretId : ENV_KEYS.secretKey} but not ` +
        `${eId ? ENV_KEYS.secretKey : ENV_KEYS.secretId}: set both, or neither to use TENCENTCLOUD_PROFILE or the ` +
        `tccli default profile`,
    );
  }
  const tokenVariable = env[ENV_KEYS.securityToken]
    ? ENV_KEYS.securityToken
    : env[ENV_KEYS.sessionToken]
      ? ENV_KEYS.sessionToken
      : undefined;
  const token = tokenVariable ? env[tokenVariable] : undefined;
  return {
    secretId: eId,
    secretKey: eKey,
    ...(token ? { token } : {}),
    source: { kind: "env-keys", ...(tokenVariable ? { tokenVariable } : {}) },
  };
}

/**
 * The credentials of a call, by the precedence in this file's header. Throws ConfigurationError
 * (naming the settings to use, never a value) when none are set, when a level sets half a pair,
 * or when a named profile's file is missing or unusable.
 */
export function resolveCredentials(opts: CredentialOptions = {}): Credentials {
  const env = opts.env ?? processEnv();
  const config = opts.config ?? processState.config;
  const folder: ProfileFolder = { ...profileDir(env, config), readFile: opts.readFile };
  const { dir, home } = folder;

  if (opts.profile) return fromProfile(folder, opts.profile, "resource-profile", "the resource's `profile` input");
  const configKeys = configKeyCredentials(config);
  if (configKeys) return configKeys;
  if (config[CONFIG_KEYS.profile])
    return fromProfile(folder, config[CONFIG_KEYS.profile]!, "config-profile", "stack config tencentcloud:profile");
  const envKeys = envKeyCredentials(env);
  if (envKeys) return envKeys;
  if (env[ENV_KEYS.profile]) return fromProfile(folder, env[ENV_KEYS.profile]!, "env-profile", "TENCENTCLOUD_PROFILE");

  const fallback = readProfile(DEFAULT_PROFILE, dir, { home, readFile: opts.readFile });
  if (fallback) {
    return {
      ...fallback.credential,
      source: { kind: "default-profile", profile: DEFAULT_PROFILE, file: fallback.shownFile },
      ...(fallback.region ? { region: fallback.region } : {}),
    };
  }
  throw new ConfigurationError(NO_CREDENTIALS);
}

/**
 * What tccli's `--endpoint` takes to reach the endpoint of `service` in use: `host[:port]` over
 * HTTPS, the whole URL over HTTP (tccli speaks HTTPS otherwise); none for Tencent Cloud's own
 * `<service>.tencentcloudapi.com`, tccli's default.
 */
function tccliEndpoint(e: ResolvedEndpoint, service: CommandService): string | undefined {
  if (e.protocol === "https://" && e.endpoint === `${service}.tencentcloudapi.com`) return undefined;
  return e.protocol === "http://" ? `http://${e.endpoint}` : e.endpoint;
}

/**
 * tccli's `--endpoint` for each service the ways forward call,
 * where the provider's calls go elsewhere than the default.
 */
export function tccliEndpoints(env: Env = processEnv()): CommandEndpoints {
  const out: CommandEndpoints = {};
  const cvm = tccliEndpoint(cvmEndpoint(env), "cvm");
  const as = tccliEndpoint(serviceEndpoint("as", env), "as");
  if (cvm) out.cvm = cvm;
  if (as) out.as = as;
  return out;
}

/** The secrets (keys, ids, tokens) of every credential resolved in this process, for redaction. */
export function credentialsSeen(): string[] {
  return [...processState.secretsSeen];
}

/** What {@link resolveSettings} takes: a region, the resource's profile, where to read, and the operation. */
export interface ResolveOptions extends CredentialOptions {
  /** The resource's region (wins over every default). */
  region?: string;
  /** The operation the settings serve (named in the fix of an authentication error). */
  operation?: Operation;
}

/**
 * Resolves the settings for a call: the credentials by precedence (see {@link resolveCredentials}),
 * the region (`region`, else {@link defaultRegion}'s sources, else the profile's region), the
 * endpoint and the tuning.
 */
export function resolveSettings(opts: ResolveOptions = {}): Settings {
  const env = opts.env ?? processEnv();
  const config = opts.config ?? processState.config;
  const creds = resolveCredentials({ ...opts, env, config });
  for (const v of [creds.secretId, creds.secretKey, creds.token]) if (v) processState.secretsSeen.add(v);
  const region = opts.region || config[CONFIG_KEYS.region] || env[ENV_KEYS.region] || creds.region;
  if (!region) {
    throw new ConfigurationError(
      "no region: set `region` on the resource, the stack config tencentcloud:region, TENCENTCLOUD_REGION, or a " +
        "region in the profile's .configure file (`tccli configure set region …`)",
    );
  }
  return {
    secretId: creds.secretId,
    secretKey: creds.secretKey,
    ...(creds.token ? { token: creds.token } : {}),
    region,
    ...cvmEndpoint(env),
    tuning: resolveTuning(env),
    source: creds.source,
    ...(opts.operation ? { operation: opts.operation } : {}),
  };
}
