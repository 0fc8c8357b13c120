// Credential precedence (resource profile > stack config > environment > tccli default profile)
// and the texts that name a source and its fix. No file system: profiles
// are served from a map.
import * as path from "node:path";
import { defaultRegion, resolveCredentials, resolveSettings } from "../../../provider/src/cloud/settings";
import {
  authFailureText,
  credentialFix,
  credentialNextStep,
  isAuthFailure,
  sourceText,
  type CredentialSource,
} from "../../../provider/src/cloud/credentials-rules";
import { explainApiCode } from "../../../provider/src/provider/messages-rules";

const HOME = "/home/u";
const TCCLI = path.join(HOME, ".tccli");

/** A file reader over `files` (absolute path → content). */
const filesOf = (files: Record<string, string>) => (file: string) => files[file];
const cred = (id: string, extra: Record<string, string> = {}) =>
  JSON.stringify({ secretId: id, secretKey: `${id}-key`, ...extra });

const files = filesOf({
  [path.join(TCCLI, "build.credential")]: cred("AKIDbuild"),
  [path.join(TCCLI, "build.configure")]: JSON.stringify({
    _sys_param: { region: "ap-beijing", output: "json" },
    cvm: { endpoint: "cvm.tencentcloudapi.com", version: "2017-03-12" },
  }),
  [path.join(TCCLI, "workload.credential")]: cred("AKIDwork", { token: "tok-work" }),
  [path.join(TCCLI, "default.credential")]: cred("AKIDdefault"),
  [path.join("/srv/profiles", "build.credential")]: cred("AKIDsrvbuild"),
});

const envKeys = { HOME, TENCENTCLOUD_SECRET_ID: "AKIDenv", TENCENTCLOUD_SECRET_KEY: "envkey" };
const configKeys = { "tencentcloud:secretId": "AKIDcfg", "tencentcloud:secretKey": "cfgkey" };
const resolve = (o: { profile?: string; env?: Record<string, string>; config?: Record<string, string> }) =>
  resolveCredentials({ env: { HOME, ...o.env }, config: o.config ?? {}, profile: o.profile, readFile: files });

describe("precedence: resource profile > stack config (keys, then profile) > environment (keys, then profile) > default profile", () => {
  test.each([
    [
      "the resource's profile wins over everything",
      {
        profile: "build",
        config: { ...configKeys, "tencentcloud:profile": "workload" },
        env: { ...envKeys, TENCENTCLOUD_PROFILE: "workload" },
      },
      "AKIDbuild",
      "resource-profile",
    ],
    [
      "stack config keys win over the stack config profile (as in the official provider)",
      { config: { ...configKeys, "tencentcloud:profile": "build" }, env: envKeys },
      "AKIDcfg",
      "config-keys",
    ],
    [
      "the stack config profile wins over the environment's keys",
      { config: { "tencentcloud:profile": "build" }, env: envKeys },
      "AKIDbuild",
      "config-profile",
    ],
    [
      "environment keys win over TENCENTCLOUD_PROFILE",
      { env: { ...envKeys, TENCENTCLOUD_PROFILE: "build" } },
      "AKIDenv",
      "env-keys",
    ],
    [
      "TENCENTCLOUD_PROFILE when no keys are set",
      { env: { TENCENTCLOUD_PROFILE: "workload" } },
      "AKIDwork",
      "env-profile",
    ],
    ["the tccli default profile when nothing else is set", {}, "AKIDdefault", "default-profile"],
  ] as const)("%s", (_name, o, secretId, kind) => {
    const c = resolve(o as never);
    expect(c.secretId).toBe(secretId);
    expect(c.source.kind).toBe(kind);
  });

  test("a token comes from the same level as its keys: profile `token`, tencentcloud:securityToken, TENCENTCLOUD_SECURITY_TOKEN before TENCENTCLOUD_SESSION_TOKEN", () => {
    expect(resolve({ profile: "workload" }).token).toBe("tok-work");
    expect(
      resolve({
        config: { ...configKeys, "tencentcloud:securityToken": "cfg-tok" },
        env: { ...envKeys, TENCENTCLOUD_SECURITY_TOKEN: "env-tok" },
      }).token,
    ).toBe("cfg-tok");
    expect(
      resolve({ env: { ...envKeys, TENCENTCLOUD_SECURITY_TOKEN: "sec-tok", TENCENTCLOUD_SESSION_TOKEN: "ses-tok" } }),
    ).toMatchObject({
      token: "sec-tok",
      source: { kind: "env-keys", tokenVariable: "TENCENTCLOUD_SECURITY_TOKEN" },
    });
    expect(resolve({ env: { ...envKeys, TENCENTCLOUD_SESSION_TOKEN: "ses-tok" } }).token).toBe("ses-tok");
    // A token of the environment never joins the stack config's keys.
    expect(resolve({ config: configKeys, env: { TENCENTCLOUD_SECURITY_TOKEN: "env-tok" } }).token).toBeUndefined();
  });

  test("the profile folder: tencentcloud:sharedCredentialsDir > TENCENTCLOUD_SHARED_CREDENTIALS_DIR > ~/.tccli", () => {
    expect(
      resolve({
        profile: "build",
        config: { "tencentcloud:sharedCredentialsDir": "/srv/profiles" },
        env: { TENCENTCLOUD_SHARED_CREDENTIALS_DIR: "~/elsewhere" },
      }).secretId,
    ).toBe("AKIDsrvbuild");
    expect(resolve({ profile: "build", env: { TENCENTCLOUD_SHARED_CREDENTIALS_DIR: "/srv/profiles" } }).secretId).toBe(
      "AKIDsrvbuild",
    );
    expect(resolve({ profile: "build", env: { TENCENTCLOUD_SHARED_CREDENTIALS_DIR: "~/.tccli" } }).secretId).toBe(
      "AKIDbuild",
    );
  });

  test("a named profile that does not exist is an error naming the setting and the file, never a fall-back", () => {
    expect(() => resolve({ profile: "nope", env: envKeys })).toThrow(
      /profile `nope` \(the resource's `profile` input\) not found: there is no ~\/\.tccli\/nope\.credential.*tccli configure --profile nope/,
    );
    expect(() => resolve({ config: { "tencentcloud:profile": "nope" } })).toThrow(/stack config tencentcloud:profile/);
    expect(() => resolve({ env: { TENCENTCLOUD_PROFILE: "nope" } })).toThrow(/\(TENCENTCLOUD_PROFILE\) not found/);
    expect(() => resolve({ profile: "../etc/passwd" })).toThrow(/is not a profile name/);
  });

  test("half a pair at a level is an error, never mixed with another level", () => {
    expect(() => resolve({ config: { "tencentcloud:secretKey": "k" }, env: envKeys })).toThrow(
      /sets tencentcloud:secretKey but not tencentcloud:secretId/,
    );
    expect(() => resolve({ env: { TENCENTCLOUD_SECRET_ID: "AKIDx" } })).toThrow(
      /sets TENCENTCLOUD_SECRET_ID but not TENCENTCLOUD_SECRET_KEY/,
    );
  });

  test("no credentials anywhere: one message listing every way, no value", () => {
    expect(() => resolveCredentials({ env: { HOME }, config: {}, readFile: () => undefined })).toThrow(
      /no Tencent Cloud credentials found.*`profile` input.*tencentcloud:secretId.*tencentcloud:profile.*TENCENTCLOUD_SECRET_ID.*TENCENTCLOUD_PROFILE.*default\.credential/,
    );
  });
});

describe("region: resource > tencentcloud:region > TENCENTCLOUD_REGION > the profile's .configure", () => {
  const s = (o: { region?: string; profile?: string; env?: Record<string, string>; config?: Record<string, string> }) =>
    resolveSettings({
      region: o.region,
      profile: o.profile,
      env: { HOME, ...o.env },
      config: o.config ?? {},
      readFile: files,
    }).region;
  test("each level", () => {
    expect(s({ profile: "build", region: "ap-seoul", config: { "tencentcloud:region": "ap-shanghai" } })).toBe(
      "ap-seoul",
    );
    expect(
      s({
        profile: "build",
        config: { "tencentcloud:region": "ap-shanghai" },
        env: { TENCENTCLOUD_REGION: "ap-tokyo" },
      }),
    ).toBe("ap-shanghai");
    expect(s({ profile: "build", env: { TENCENTCLOUD_REGION: "ap-tokyo" } })).toBe("ap-tokyo");
    expect(s({ profile: "build" })).toBe("ap-beijing");
    expect(() => s({ profile: "workload" })).toThrow(/no region.*\.configure/);
  });
  test("defaultRegion (check's default) follows the same order, with the resource's profile", () => {
    expect(defaultRegion({ HOME }, {}, "build")).toBeUndefined(); // reads the real files, where there are none
    expect(defaultRegion({ HOME, TENCENTCLOUD_REGION: "ap-tokyo" }, {}, "build")).toBe("ap-tokyo");
  });
});

describe("messages name the source and the fix for the running command", () => {
  const sources: CredentialSource[] = [
    { kind: "resource-profile", profile: "build", file: "~/.tccli/build.credential" },
    { kind: "config-keys" },
    { kind: "config-profile", profile: "build", file: "~/.tccli/build.credential" },
    { kind: "env-keys" },
    { kind: "env-profile", profile: "ci", file: "/srv/ci.credential" },
    { kind: "default-profile", profile: "default", file: "~/.tccli/default.credential" },
  ];
  test.each(sources)("source %j is named", (src) => {
    const text = sourceText(src);
    if ("profile" in src) expect(text).toContain(`profile \`${src.profile}\` from ${src.file}`);
    if (src.kind === "config-keys") expect(text).toBe("stack config tencentcloud:secretId / tencentcloud:secretKey");
    if (src.kind === "env-keys")
      expect(text).toBe("the environment (TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY)");
  });

  test("stack config keys in a delete or refresh: the recorded config, --run-program, and the environment's place", () => {
    const fix = credentialFix({ kind: "config-keys" }, "delete");
    expect(fix).toMatch(/recorded at the last `pulumi up`/);
    expect(fix).toMatch(/pulumi destroy --run-program/);
    expect(fix).toMatch(/a `pulumi up` whose program declares no CustomImage any more/);
    expect(fix).toMatch(/or a `pulumi up` that still declares a CustomImage/);
    expect(fix).toMatch(/TENCENTCLOUD_SECRET_ID/);
    // In `pulumi up` the config is the current one: no --run-program.
    expect(credentialFix({ kind: "config-keys" }, "create")).not.toMatch(/run-program/);
    expect(credentialFix({ kind: "config-keys" }, "create")).toMatch(
      /pulumi config set --secret tencentcloud:secretKey/,
    );
  });

  test("environment and profiles are read at every run; a delete also mentions config changed since the last up", () => {
    expect(credentialFix({ kind: "env-keys" }, "create")).toMatch(/environment of this command.*read at every run/);
    expect(credentialFix({ kind: "env-keys" }, "create")).not.toMatch(/run-program/);
    expect(credentialFix({ kind: "env-keys" }, "delete")).toMatch(/--run-program/);
    expect(credentialFix(sources[0]!, "delete")).toMatch(
      /fix the keys in ~\/\.tccli\/build\.credential \(`tccli configure --profile build`/,
    );
    expect(credentialFix(sources[2]!, "delete")).toMatch(/tencentcloud:profile.*--run-program/);
  });

  test("every AuthFailure code is explained with the source; permission errors name it too", () => {
    for (const code of [
      "AuthFailure.SignatureFailure",
      "AuthFailure.SecretIdNotFound",
      "AuthFailure.TokenFailure",
      "AuthFailure.SignatureExpire",
      "AuthFailure.InvalidAuthorization",
    ]) {
      expect(explainApiCode(code, { credentials: { kind: "env-keys" }, operation: "create" })).toBe(
        authFailureText(code, { kind: "env-keys" }, "create"),
      );
      expect(explainApiCode(code, { credentials: { kind: "env-keys" } })).toMatch(
        new RegExp(`rejected \\(${code.replace(".", "\\.")}\\); they came from the environment`),
      );
    }
    expect(explainApiCode("UnauthorizedOperation.PermissionDenied", { credentials: sources[0] })).toMatch(
      /^the credentials lack the CAM permission for this action \(UnauthorizedOperation\.PermissionDenied\); they came from profile `build` from ~\/\.tccli\/build\.credential \(the resource's `profile` input\)\. Grant it/,
    );
    expect(explainApiCode("AuthFailure.SignatureFailure", {})).toBe(
      "the credentials were rejected (AuthFailure.SignatureFailure)",
    );
  });

  test("the short way forward (an error's Next) agrees with the fix", () => {
    expect(credentialNextStep({ kind: "config-keys" }, "delete")).toMatch(
      /^once tencentcloud:secretId \/ tencentcloud:secretKey are right in the stack config, run `pulumi destroy --run-program`/,
    );
    expect(credentialNextStep({ kind: "config-keys" }, "create")).toMatch(/then run the command again$/);
    expect(credentialNextStep({ kind: "env-keys" }, "delete")).toMatch(
      /in the environment, then run the command again$/,
    );
    expect(credentialNextStep(sources[0], "delete")).toBe(
      "fix the keys in ~/.tccli/build.credential, then run the command again",
    );
    expect(credentialNextStep(undefined, "delete")).toBeUndefined();
    expect(isAuthFailure("AuthFailure.SignatureFailure")).toBe(true);
    expect(isAuthFailure("AuthFailure.UnauthorizedOperation")).toBe(false);
    expect(isAuthFailure("UnauthorizedOperation.PermissionDenied")).toBe(false);
  });
});
