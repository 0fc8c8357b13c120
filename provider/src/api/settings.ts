/**
 * Where credentials, region, endpoint and tuning come from. Resolved per call, from the stack
 * config handed to `configure` (kept here, in process state, never in the serialized provider)
 * and from the environment.
 */
import { parseDuration } from "../logic/durations";

/** Stack-config keys read (the names the official Tencent Cloud provider uses). */
export const CONFIG_KEYS = {
  /** The SecretId (used together with `secretKey`; the pair wins over the environment). */
  secretId: "tencentcloud:secretId",
  /** The SecretKey (set it with `pulumi config set --secret`). */
  secretKey: "tencentcloud:secretKey",
  /** The session token of temporary credentials. */
  securityToken: "tencentcloud:securityToken",
  /** The default region. */
  region: "tencentcloud:region",
} as const;

/** Environment variables read. */
export const ENV_KEYS = {
  /** The SecretId, used when the stack config has no credential pair. */
  secretId: "TENCENTCLOUD_SECRET_ID",
  /** The SecretKey, used together with `TENCENTCLOUD_SECRET_ID`. */
  secretKey: "TENCENTCLOUD_SECRET_KEY",
  /** The session token of temporary credentials. */
  sessionToken: "TENCENTCLOUD_SESSION_TOKEN",
  /** The default region, when the stack config sets none. */
  region: "TENCENTCLOUD_REGION",
  /** The CVM API endpoint (`host:port` or `http(s)://host:port`), e.g. the local emulator. */
  endpoint: "TENCENTCLOUD_CVM_ENDPOINT",
  /** The Tag API endpoint; defaults to the CVM endpoint when that is set, else `tag.tencentcloudapi.com`. */
  tagEndpoint: "TENCENTCLOUD_TAG_ENDPOINT",
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
  /** How long one instance scan serves the deletes of an operation, ms (default 60000). */
  scanTtlMs: "CVM_IMAGE_INSTANCE_SCAN_TTL_MS",
} as const;

export type Env = Record<string, string | undefined>;
export type StackConfig = Record<string, string | undefined>;

/** Everything one API call needs. Never logged or stored. */
export interface Settings {
  secretId: string;
  secretKey: string;
  token?: string;
  region: string;
  /** host[:port], no scheme. */
  endpoint: string;
  protocol: "https://" | "http://";
  tuning: Tuning;
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

let processConfig: StackConfig = {};

/** Keeps the stack config given to `configure` (only the keys this provider reads). */
export function setStackConfig(get: (key: string) => string | undefined): void {
  const next: StackConfig = {};
  for (const key of Object.values(CONFIG_KEYS)) {
    const v = get(key);
    if (v !== undefined && v !== "") next[key] = v;
  }
  processConfig = next;
}

/** The stack config kept by `configure`. */
export function getStackConfig(): StackConfig {
  return processConfig;
}

function num(env: Env, key: string, fallback: number): number {
  const raw = env[key];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : fallback;
}

export function resolveTuning(env: Env = process.env): Tuning {
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

/** The default region: stack config `tencentcloud:region`, else TENCENTCLOUD_REGION. */
export function defaultRegion(env: Env = process.env, config: StackConfig = processConfig): string | undefined {
  return config[CONFIG_KEYS.region] || env[ENV_KEYS.region] || undefined;
}

/** Parses TENCENTCLOUD_CVM_ENDPOINT: `host[:port]` or `http(s)://host[:port][/]`. */
export function parseEndpoint(raw: string | undefined): { endpoint: string; protocol: "https://" | "http://" } {
  if (!raw) return { endpoint: "cvm.tencentcloudapi.com", protocol: "https://" };
  const m = /^(https?):\/\/([^/]+)\/?.*$/.exec(raw.trim());
  if (m) return { endpoint: m[2], protocol: m[1] === "http" ? "http://" : "https://" };
  return { endpoint: raw.trim().replace(/\/+$/, ""), protocol: "https://" };
}

/** Thrown when no credentials or region can be found. Its message names where to set them, never a value. */
export class ConfigurationError extends Error {
  override name = "ConfigurationError";
}

/**
 * Resolves the settings for a call. Credentials: the stack config pair (`tencentcloud:secretId` +
 * `tencentcloud:secretKey`, with `tencentcloud:securityToken`) when set, else the environment
 * (TENCENTCLOUD_SECRET_ID + TENCENTCLOUD_SECRET_KEY, with TENCENTCLOUD_SESSION_TOKEN). The id and key
 * always come from the same place.
 */
export function resolveSettings(opts: { region?: string; env?: Env; config?: StackConfig } = {}): Settings {
  const env = opts.env ?? process.env;
  const config = opts.config ?? processConfig;
  let secretId: string | undefined;
  let secretKey: string | undefined;
  let token: string | undefined;
  if (config[CONFIG_KEYS.secretId] && config[CONFIG_KEYS.secretKey]) {
    secretId = config[CONFIG_KEYS.secretId];
    secretKey = config[CONFIG_KEYS.secretKey];
    token = config[CONFIG_KEYS.securityToken] || undefined;
  } else if (env[ENV_KEYS.secretId] && env[ENV_KEYS.secretKey]) {
    secretId = env[ENV_KEYS.secretId];
    secretKey = env[ENV_KEYS.secretKey];
    token = env[ENV_KEYS.sessionToken] || undefined;
  }
  if (!secretId || !secretKey) {
    throw new ConfigurationError(
      "no Tencent Cloud credentials found: set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY (and TENCENTCLOUD_SESSION_TOKEN for temporary keys), " +
        "or the stack config tencentcloud:secretId and tencentcloud:secretKey (with `pulumi config set --secret`)",
    );
  }
  const region = opts.region || defaultRegion(env, config);
  if (!region) {
    throw new ConfigurationError("no region: set `region` on the resource, TENCENTCLOUD_REGION, or the stack config tencentcloud:region");
  }
  return { secretId, secretKey, token, region, ...parseEndpoint(env[ENV_KEYS.endpoint]), tuning: resolveTuning(env) };
}
