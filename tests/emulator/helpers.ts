/** Shared helpers for the emulator tests: real SDK clients, the control surface, raw signed requests. */
import { createHash, createHmac } from "node:crypto";
import * as tencentcloud from "tencentcloud-sdk-nodejs-cvm";
import { CommonClient } from "tencentcloud-sdk-nodejs-common";
import { EmulatorOptions, RunningEmulator, startEmulator } from "../../emulator/src";

export const CvmClient = tencentcloud.cvm.v20170312.Client;
export type Cvm = InstanceType<typeof CvmClient>;

export const ALICE = "100000000001";
export const BOB = "100000000002";
export const CAROL = "100000000003";
export const GZ = "ap-guangzhou";
export const SH = "ap-shanghai";

/** Short timings so state transitions are quick but observable. */
export const FAST: EmulatorOptions = {
  rateLimits: false,
  timing: { creatingMs: 500, importingMs: 500, syncingMs: 500, deleteLagMs: 300 },
};

export function start(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  return startEmulator({ ...FAST, ...options, timing: { ...FAST.timing, ...options.timing } });
}

/** A real SDK client for an account (name) in a region. */
export function client(
  emu: RunningEmulator,
  account = "alice",
  region: string | null = GZ,
  method: "POST" | "GET" = "POST",
  secretKey?: string,
): Cvm {
  const a = emu.accounts.find((x) => x.name === account);
  if (!a) throw new Error(`no account ${account}`);
  return new CvmClient({
    credential: { secretId: a.secretId, secretKey: secretKey ?? a.secretKey },
    region: (region ?? undefined) as string,
    profile: { httpProfile: { endpoint: emu.endpoint, protocol: "http://", reqMethod: method, reqTimeout: 10 } },
  });
}

/** A sign method of the SDK's client profile. */
export type SignMethod = "TC3-HMAC-SHA256" | "HmacSHA1" | "HmacSHA256";

/** Client options beyond the account and region. */
export interface ClientOptions {
  method?: "POST" | "GET";
  signMethod?: SignMethod;
  secretKey?: string;
}

function profileFor(emu: RunningEmulator, account: string, o: ClientOptions) {
  const a = emu.accounts.find((x) => x.name === account);
  if (!a) throw new Error(`no account ${account}`);
  return {
    credential: { secretId: a.secretId, secretKey: o.secretKey ?? a.secretKey },
    profile: {
      signMethod: o.signMethod,
      httpProfile: { endpoint: emu.endpoint, protocol: "http://", reqMethod: o.method ?? "POST", reqTimeout: 10 },
    },
  };
}

/** A real CVM SDK client signing with the given method (the SDK's own v1 signer for HmacSHA1 / HmacSHA256). */
export function signedClient(
  emu: RunningEmulator,
  o: ClientOptions,
  account = "alice",
  region: string | null = GZ,
): Cvm {
  return new CvmClient({ ...profileFor(emu, account, o), region: (region ?? undefined) as string });
}

/** The Auto Scaling API (as.tencentcloudapi.com, 2018-04-19) through the SDK's generic CommonClient, pointed at the emulator. */
export function asClient(
  emu: RunningEmulator,
  account = "alice",
  region: string | null = GZ,
  o: ClientOptions = {},
): CommonClient {
  return new CommonClient("as.tencentcloudapi.com", "2018-04-19", {
    ...profileFor(emu, account, o),
    region: region ?? undefined,
  });
}

/** The SDK error a call fails with (the test fails if it succeeds). */
export async function failure(
  p: Promise<unknown>,
): Promise<{ code?: string; message: string; requestId?: string; httpCode?: number }> {
  try {
    await p;
  } catch (e) {
    return e as { code?: string; message: string; requestId?: string; httpCode?: number };
  }
  throw new Error("expected the call to fail, but it succeeded");
}

/** The error code a call fails with. */
export async function code(p: Promise<unknown>): Promise<string | undefined> {
  return (await failure(p)).code;
}

/** Call the control surface. */
export async function control<T = any>(emu: RunningEmulator, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${emu.url}/_emulator/${path}`, {
    method,
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as T;
  if (res.status !== 200) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

export const reset = (emu: RunningEmulator) => control(emu, "POST", "reset");

/** Poll until `fn` returns a truthy value. */
export async function waitFor<T>(fn: () => Promise<T>, timeoutMs = 5000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 40));
  }
}

/** The image as DescribeImages shows it to `c`, or undefined. */
export async function describeOne(c: Cvm, imageId: string) {
  const r = await c.DescribeImages({ ImageIds: [imageId] });
  return r.ImageSet?.[0];
}

export async function waitForState(c: Cvm, imageId: string, state: string) {
  return waitFor(async () => ((await describeOne(c, imageId))?.ImageState === state ? true : undefined));
}

export async function waitGone(c: Cvm, imageId: string) {
  return waitFor(async () => ((await describeOne(c, imageId)) === undefined ? true : undefined));
}

/** Options for a hand-signed request (to forge what the SDK never sends). */
export interface RawOptions {
  action: string;
  body?: string;
  account?: string;
  secretKey?: string;
  region?: string | null;
  version?: string;
  timestamp?: number;
  scopeDate?: string;
  service?: string;
  /** Body actually sent, when different from the signed one (tampering). */
  sentBody?: string;
  extraHeaders?: Record<string, string>;
  authorization?: string;
}

const sha = (s: string) => createHash("sha256").update(s).digest("hex");
const mac = (k: string | Buffer, s: string) => createHmac("sha256", k).update(s).digest();

/** Send a TC3-signed POST built here (independently of the SDK), returning the parsed JSON. */
export async function raw(
  emu: RunningEmulator,
  o: RawOptions,
): Promise<{ status: number; json: any; headers: Headers }> {
  const a = emu.accounts.find((x) => x.name === (o.account ?? "alice"))!;
  const body = o.body ?? "{}";
  const ts = o.timestamp ?? Math.floor(Date.now() / 1000);
  const date = o.scopeDate ?? new Date(ts * 1000).toISOString().slice(0, 10);
  const service = o.service ?? "cvm";
  const canonical = `POST\n/\n\ncontent-type:application/json\nhost:127.0.0.1\n\ncontent-type;host\n${sha(body)}`;
  const sts = `TC3-HMAC-SHA256\n${ts}\n${date}/${service}/tc3_request\n${sha(canonical)}`;
  const key = mac(mac(mac(`TC3${o.secretKey ?? a.secretKey}`, date), service), "tc3_request");
  const sig = createHmac("sha256", key).update(sts).digest("hex");
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    "X-TC-Action": o.action,
    "X-TC-Version": o.version ?? "2017-03-12",
    "X-TC-Timestamp": String(ts),
    Authorization:
      o.authorization ??
      `TC3-HMAC-SHA256 Credential=${a.secretId}/${date}/${service}/tc3_request, SignedHeaders=content-type;host, Signature=${sig}`,
    ...(o.region === null ? {} : { "X-TC-Region": o.region ?? GZ }),
    ...o.extraHeaders,
  };
  const res = await fetch(`${emu.url}/`, { method: "POST", headers, body: o.sentBody ?? body });
  return { status: res.status, json: await res.json(), headers: res.headers };
}

/** Options for a hand-signed v1 request (HmacSHA1 / HmacSHA256), built here from the documented algorithm. */
export interface RawV1Options {
  /** Common and action parameters, flattened (`Filters.0.Name`); Nonce, Timestamp, SecretId, SignatureMethod and Region are filled in unless given (null leaves one out). */
  params: Record<string, string | number | null>;
  method?: "GET" | "POST";
  signatureMethod?: "HmacSHA1" | "HmacSHA256" | null;
  account?: string;
  secretKey?: string;
  /** The host as signed; default the emulator's `host:port` (as the Node SDK signs it). */
  signedHost?: string;
  /** Parameters sent in place of the signed ones (tampering). */
  sentParams?: Record<string, string | number>;
  /** A signature to send instead of the computed one. */
  signature?: string;
  extraHeaders?: Record<string, string>;
}

/** The v1 signature of a form: base64 HMAC over METHOD + host + "/?" + the sorted name=value pairs (unencoded). */
export function v1Sign(
  secretKey: string,
  signatureMethod: "HmacSHA1" | "HmacSHA256",
  method: string,
  host: string,
  params: Record<string, string>,
): string {
  const pairs = Object.keys(params)
    .filter((k) => k !== "Signature")
    .sort()
    .map((k) => `${k}=${params[k]}`);
  const digest = signatureMethod === "HmacSHA1" ? "sha1" : "sha256";
  return createHmac(digest, secretKey)
    .update(`${method}${host}/?${pairs.join("&")}`)
    .digest("base64");
}

/** Send a v1-signed request built here (independently of the SDK), returning the parsed JSON. */
export async function rawV1(emu: RunningEmulator, o: RawV1Options): Promise<{ status: number; json: any }> {
  const a = emu.accounts.find((x) => x.name === (o.account ?? "alice"))!;
  const method = o.method ?? "POST";
  const defaults: Record<string, string | number | null> = {
    Nonce: 4711,
    Timestamp: Math.floor(Date.now() / 1000),
    SecretId: a.secretId,
    Region: GZ,
    SignatureMethod: o.signatureMethod === undefined ? "HmacSHA256" : o.signatureMethod,
  };
  const merged: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...defaults, ...o.params })) if (v !== null) merged[k] = String(v);
  const signatureMethod = (merged.SignatureMethod ?? "HmacSHA1") as "HmacSHA1" | "HmacSHA256";
  const signature =
    o.signature ?? v1Sign(o.secretKey ?? a.secretKey, signatureMethod, method, o.signedHost ?? emu.endpoint, merged);
  const sent = new URLSearchParams({
    ...merged,
    ...(o.sentParams ? Object.fromEntries(Object.entries(o.sentParams).map(([k, v]) => [k, String(v)])) : {}),
    Signature: signature,
  });
  const res =
    method === "GET"
      ? await fetch(`${emu.url}/?${sent}`, { headers: o.extraHeaders })
      : await fetch(`${emu.url}/`, {
          method: "POST",
          headers: { "Content-Type": "application/x-www-form-urlencoded", ...o.extraHeaders },
          body: sent.toString(),
        });
  return { status: res.status, json: await res.json() };
}
