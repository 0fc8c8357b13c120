/**
 * Credentials echoed by the API (issue 25): whatever the source of the keys (tccli's default
 * profile, TENCENTCLOUD_PROFILE, a resource's `profile`, temporary keys with a session token from
 * the environment or from a profile), an API message that echoes them shows `***` instead in the
 * errors, the resource warnings and the preflight's report.
 *
 * Two layers redact: the API layer, when it builds the error of a failed call (the call's own
 * keys and token), and the provider's final error formatting (every credential the process has
 * resolved, and the secret-looking stack config and environment values). Warnings and the
 * preflight's report only pass the first; errors pass both. Each layer is pinned here alone:
 * - the API layer: the ApiError of a failed call, and the warnings and preflight rows built from it;
 * - the final formatting (the provider's errors, and getImage's in the program's process): an error
 *   of other credentials that echoes keys this process resolved earlier (keys of a profile, or of
 *   an environment since changed), which the API layer of that call does not know.
 *
 * The emulator refuses session tokens (its accounts have permanent keys), so the calls go through
 * a small proxy that drops the token header after noting it: the provider signs and sends the
 * token as it would to Tencent Cloud (the TC3 signature does not cover the token header).
 */
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import type { AddressInfo } from "node:net";
import { formatJson, formatMarkdown, formatTable, getImage, runPreflight } from "pulumi-tencentcloud-images";
import { provider, rejection, up, useHarness } from "./harness";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { setWarningSink } =
  require("pulumi-tencentcloud-images/dist/cloud/diagnostics") as typeof import("../../provider/src/cloud/diagnostics");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { callApi, ApiError } =
  require("pulumi-tencentcloud-images/dist/cloud/call") as typeof import("../../provider/src/cloud/call");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { resolveSettings } =
  require("pulumi-tencentcloud-images/dist/cloud/settings") as typeof import("../../provider/src/cloud/settings");

const h = useHarness();
const GZ = "ap-guangzhou";
const TYPE = "pulumi-nodejs:dynamic/tencentcloud-images:CustomImage";

/** Accounts whose keys only ever come from profiles here (the harness's alice is in the environment). */
const EXTRA_ACCOUNTS = [
  {
    name: "erin",
    uin: "100000000005",
    secretId: "AKIDerinRedaction000000000000000000",
    secretKey: "erinRedactionSecretKey00000000000",
  },
  {
    name: "frank",
    uin: "100000000006",
    secretId: "AKIDfrankRedaction00000000000000000",
    secretKey: "frankRedactionSecretKey0000000000",
  },
];
const PROFILE_TOKEN = "profileSessionTokenOfFrank0000000000000000";
const ENV_TOKEN = "environmentSessionTokenOfDave000000000000";

interface Case {
  /** The emulator account whose keys the case uses. */
  account: string;
  /** The environment of the case (on top of the harness's, with its keys removed unless set here). */
  env: Record<string, string>;
  /** Resource inputs of the case (a `profile`). */
  props: Record<string, unknown>;
  /** The token the calls carry, if any. */
  token?: string;
}

let dir: string;
let proxy: http.Server;
/** The session tokens the proxy saw (and dropped). */
const tokensSeen = new Set<string>();
const accounts = new Map<string, { uin: string; secretId: string; secretKey: string }>();
let saved: Record<string, string | undefined>;
const ENV_NAMES = [
  "TENCENTCLOUD_SECRET_ID",
  "TENCENTCLOUD_SECRET_KEY",
  "TENCENTCLOUD_SECURITY_TOKEN",
  "TENCENTCLOUD_SESSION_TOKEN",
  "TENCENTCLOUD_PROFILE",
  "TENCENTCLOUD_SHARED_CREDENTIALS_DIR",
  "TENCENTCLOUD_CVM_ENDPOINT",
  "TENCENTCLOUD_AS_ENDPOINT",
];

function writeProfile(name: string, credential: Record<string, string>) {
  fs.writeFileSync(path.join(dir, `${name}.credential`), JSON.stringify(credential), { mode: 0o600 });
  fs.writeFileSync(path.join(dir, `${name}.configure`), JSON.stringify({ _sys_param: { region: GZ, output: "json" } }));
}

beforeAll(async () => {
  saved = Object.fromEntries(ENV_NAMES.map((k) => [k, process.env[k]]));
  await h.control("POST", "fixtures", { accounts: EXTRA_ACCOUNTS });
  for (const a of (await h.control("GET", "accounts")).accounts) accounts.set(a.name, a);
  // One instance per account to image.
  await h.control("POST", "fixtures", {
    instances: [...accounts.keys()].map((name) => ({
      instanceId: `ins-red${name.slice(0, 5).padEnd(5, "0")}`,
      region: GZ,
      owner: name,
      name: `${name}-vm`,
      imageId: "img-pub00001",
      systemDisk: {},
    })),
  });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ptci-redaction-"));
  const keys = (name: string) => ({ secretId: accounts.get(name)!.secretId, secretKey: accounts.get(name)!.secretKey });
  writeProfile("default", keys("carol"));
  writeProfile("ops", keys("erin"));
  writeProfile("build", keys("bob"));
  writeProfile("temp", { ...keys("frank"), token: PROFILE_TOKEN });

  proxy = http.createServer((req, res) => {
    const headers = { ...req.headers };
    const token = headers["x-tc-token"];
    if (typeof token === "string" && token) tokensSeen.add(token);
    delete headers["x-tc-token"];
    const [host, port] = h.emu.endpoint.split(":");
    const upstream = http.request({ host, port: Number(port), method: req.method, path: req.url, headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
});

afterAll(async () => {
  for (const [k, v] of Object.entries(saved))
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  await new Promise((resolve) => proxy.close(resolve));
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Applies a case's environment: the calls go through the proxy, the profiles are in `dir`, and only the case's keys are set. */
function useEnv(c: Pick<Case, "env">) {
  for (const k of ENV_NAMES) delete process.env[k];
  Object.assign(process.env, {
    TENCENTCLOUD_CVM_ENDPOINT: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    TENCENTCLOUD_SHARED_CREDENTIALS_DIR: dir,
    ...c.env,
  });
}

/** The harness's own credentials (alice's keys in the environment). */
const ALICE_ENV = () => ({
  env: {
    TENCENTCLOUD_SECRET_ID: accounts.get("alice")!.secretId,
    TENCENTCLOUD_SECRET_KEY: accounts.get("alice")!.secretKey,
  },
});

const CASES: Array<[string, () => Case]> = [
  ["tccli's default profile", () => ({ account: "carol", env: {}, props: {} })],
  [
    "the profile TENCENTCLOUD_PROFILE names",
    () => ({ account: "erin", env: { TENCENTCLOUD_PROFILE: "ops" }, props: {} }),
  ],
  [
    "a resource's profile (keys in the environment too)",
    () => ({ account: "bob", env: ALICE_ENV().env, props: { profile: "build" } }),
  ],
  [
    "a resource's profile with temporary keys (a token)",
    () => ({ account: "frank", env: ALICE_ENV().env, props: { profile: "temp" }, token: PROFILE_TOKEN }),
  ],
  [
    "temporary keys in the environment (TENCENTCLOUD_SECURITY_TOKEN)",
    () => ({
      account: "dave",
      env: {
        TENCENTCLOUD_SECRET_ID: accounts.get("dave")!.secretId,
        TENCENTCLOUD_SECRET_KEY: accounts.get("dave")!.secretKey,
        TENCENTCLOUD_SECURITY_TOKEN: ENV_TOKEN,
      },
      props: {},
      token: ENV_TOKEN,
    }),
  ],
];

/** The credentials of a case: what must never be shown. */
function secretsOf(c: Case): string[] {
  const a = accounts.get(c.account)!;
  return [a.secretId, a.secretKey, ...(c.token ? [c.token] : [])];
}

/** An API message that echoes the credentials (every secret checked for is in it). */
function echo(secrets: string[]): string {
  return `request refused; it was signed by ${secrets.map((s, i) => `credential${i} ${s}`).join(", ")}`;
}
/** What the echo shows once redacted. */
function redactedEcho(secrets: string[]): string {
  return `request refused; it was signed by ${secrets.map((_, i) => `credential${i} ***`).join(", ")}`;
}

function expectNone(texts: string[], secrets: string[]) {
  expect(secrets.length).toBeGreaterThanOrEqual(2);
  for (const text of texts) for (const s of secrets) expect(text).not.toContain(s);
}

const errorTexts = (e: Error & Record<string, any>) => [
  e.message,
  String(e.stack),
  JSON.stringify(e.reasons ?? []),
  JSON.stringify(e.properties ?? {}),
];

function previewDeleting(name: string, id: string, outs: Record<string, unknown>) {
  const urn = `urn:pulumi:dev::redaction::${TYPE}::${name}`;
  return {
    steps: [{ op: "delete", urn, oldState: { urn, custom: true, id, type: TYPE, inputs: outs, outputs: outs } }],
  };
}

describe.each(CASES)("keys from %s", (label, make) => {
  let c: Case;
  let secrets: string[];
  beforeEach(() => {
    c = make();
    secrets = secretsOf(c);
    useEnv(c);
    tokensSeen.clear();
  });

  test("the API layer's error shows the refusal without the call's credentials", async () => {
    const uin = accounts.get(c.account)!.uin;
    await h.control("POST", "faults", {
      action: "DescribeImages",
      account: uin,
      error: "UnauthorizedOperation.PermissionDenied",
      message: echo(secrets),
      times: 1,
    });
    const s = resolveSettings({ region: GZ, ...(c.props.profile ? { profile: c.props.profile as string } : {}) });
    expect(s.secretId).toBe(accounts.get(c.account)!.secretId);
    const e = await rejection(callApi(s, "DescribeImages", { Limit: 1 }));
    expect(e).toBeInstanceOf(ApiError);
    expect(e.message).toBe(
      `DescribeImages failed with UnauthorizedOperation.PermissionDenied: ${redactedEcho(secrets)}`,
    );
    expectNone([e.message, String(e.stack)], secrets);
    if (c.token) expect([...tokensSeen]).toEqual([c.token]);
  });

  test("errors, warnings and the preflight's rows show the refusals without the keys", async () => {
    const uin = accounts.get(c.account)!.uin;
    const name = `red-${c.account}`;
    const img = await up(name, {
      fromInstance: { instanceId: `ins-red${c.account.slice(0, 5).padEnd(5, "0")}` },
      imageName: name,
      ...c.props,
    });
    expect(img.outs.imageId).toBe(img.id);
    if (c.token) expect([...tokensSeen]).toEqual([c.token]);

    // The preflight: a refused usage scan is a warning on the image's row.
    await h.control("POST", "faults", {
      action: "DescribeLaunchConfigurations",
      account: uin,
      error: "UnauthorizedOperation",
      message: echo(secrets),
    });
    const report = await runPreflight({ preview: previewDeleting(name, img.id, img.outs) as never });
    expect(report.images.map((i) => [i.name, i.status])).toEqual([[name, "delete"]]);
    const rendered = [formatTable(report), formatMarkdown(report), formatJson(report)];
    expect(rendered[0]).toContain(redactedEcho(secrets));
    expectNone(rendered, secrets);

    // A failed cloud call of the preflight: shown as the preflight's error, or in its report.
    await h.control("POST", "faults", {
      action: "DescribeImages",
      account: uin,
      error: "UnauthorizedOperation.PermissionDenied",
      message: echo(secrets),
      times: 1,
    });
    const shownByPreflight = await runPreflight({ preview: previewDeleting(name, img.id, img.outs) as never }).then(
      (r) => [formatTable(r), formatMarkdown(r), formatJson(r)],
      (e: Error) => [e.message, String(e.stack)],
    );
    expect(shownByPreflight[0]).toContain(redactedEcho(secrets));
    expectNone(shownByPreflight, secrets);

    // The delete: the refused scan is a warning, then DeleteImages is refused (an error).
    await h.control("POST", "faults", {
      action: "DeleteImages",
      account: uin,
      error: "UnauthorizedOperation.PermissionDenied",
      message: echo(secrets),
    });
    const shown: string[] = [];
    setWarningSink({ warn: async (_urn, message) => void shown.push(message) });
    let e: Error & Record<string, any>;
    try {
      e = await rejection(provider.delete(img.id, img.outs));
    } finally {
      setWarningSink(undefined);
    }
    expect(shown.join("\n")).toContain(
      `Auto Scaling launch configurations could not be checked (DescribeLaunchConfigurations failed with UnauthorizedOperation: ${redactedEcho(secrets)})`,
    );
    expectNone(shown, secrets);
    expect(e.message).toMatch(/UnauthorizedOperation\.PermissionDenied/);
    expect(e.message).toContain(redactedEcho(secrets));
    expectNone(errorTexts(e), secrets);

    await h.control("DELETE", "faults");
    await provider.delete(img.id, img.outs);

    // getImage, in the program's process: its failure is a LookupError.
    await h.control("POST", "faults", {
      action: "DescribeImages",
      account: uin,
      error: "UnauthorizedOperation.PermissionDenied",
      message: echo(secrets),
      times: 1,
    });
    const lookup = await rejection(
      getImage({ name, region: GZ, ...(c.props.profile ? { profile: c.props.profile as string } : {}) }),
    );
    expect(lookup.message).toContain(redactedEcho(secrets));
    expectNone([lookup.message, String(lookup.stack)], secrets);
  });

  test("after these keys were used, an error of other credentials that echoes them does not show them", async () => {
    // These keys are resolved in this process (as a resource of the stack would)...
    const props = c.props.profile ? { profile: c.props.profile } : {};
    await provider.read("img-pub00001", { region: GZ, ...props });
    // ...then another resource's call, with alice's keys, fails with a message echoing them.
    useEnv(ALICE_ENV());
    await h.control("POST", "faults", {
      action: "DescribeImages",
      account: accounts.get("alice")!.uin,
      error: "UnauthorizedOperation.PermissionDenied",
      message: echo(secrets),
      times: 1,
    });
    const e = await rejection(provider.read("img-alic0001", { region: GZ }));
    expect(e.message).toContain(redactedEcho(secrets));
    expectNone(errorTexts(e), secrets);
    // The same in the program's process: getImage's error.
    await h.control("POST", "faults", {
      action: "DescribeImages",
      account: accounts.get("alice")!.uin,
      error: "UnauthorizedOperation.PermissionDenied",
      message: echo(secrets),
      times: 1,
    });
    const lookup = await rejection(getImage({ name: "alice-legacy", region: GZ }));
    expect(lookup.message).toContain(redactedEcho(secrets));
    expectNone([lookup.message, String(lookup.stack)], secrets);
  });
});
