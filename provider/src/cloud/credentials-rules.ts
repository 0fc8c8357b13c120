/**
 * Where the credentials of a call came from, and what to do when they are refused. Pure: the
 * sources are resolved in `cloud/settings.ts`; here they are only named, never holding a secret.
 */

/** Credentials read from a profile's credential file. */
export interface ProfileSource {
  /**
   * Which setting named the profile: the resource's `profile`,
   * `tencentcloud:profile`, TENCENTCLOUD_PROFILE, or none (tccli's `default`).
   */
  kind: "resource-profile" | "config-profile" | "env-profile" | "default-profile";
  /** The profile name. */
  profile: string;
  /** The credential file as messages show it (under the home folder written with `~`). */
  file: string;
}

/** Credentials given as keys. */
export interface KeysSource {
  /**
   * The stack config (`tencentcloud:secretId` / `tencentcloud:secretKey`)
   * or the environment (TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY).
   */
  kind: "config-keys" | "env-keys";
  /** The environment variable the session token came from, if any. */
  tokenVariable?: string;
}

/**
 * The source of the credentials of a call, by precedence (see `resolveCredentials`): the
 * resource's `profile` input; the stack config's keys, then its profile; the environment's keys,
 * then its profile; the tccli `default` profile. Holds no secret.
 */
export type CredentialSource = ProfileSource | KeysSource;

/**
 * The operation a call belongs to, for the fix an error suggests: `create` and `update` run in
 * `pulumi up` with the current stack config; `read` (refresh) and `delete` (destroy, or a resource
 * dropped from the program) may run with the stack config recorded at the last `pulumi up`;
 * `lookup` runs in the program (`CustomImage.get` reads run in the provider as `read`);
 * `assess` is the deletion preflight.
 */
export type Operation = "create" | "update" | "read" | "delete" | "lookup" | "assess";

/**
 * "the environment (TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY)", "profile
 * `build` from ~/.tccli/build.credential (the resource's `profile` input)", …
 */
export function sourceText(source: CredentialSource): string {
  switch (source.kind) {
    case "resource-profile":
      return `profile \`${source.profile}\` from ${source.file} (the resource's \`profile\` input)`;
    case "config-keys":
      return "stack config tencentcloud:secretId / tencentcloud:secretKey";
    case "config-profile":
      return `profile \`${source.profile}\` from ${source.file} (stack config tencentcloud:profile)`;
    case "env-keys":
      return (
        `the environment (TENCENTCLOUD_SECRET_ID / ` +
        `TENCENTCLOUD_SECRET_KEY${source.tokenVariable ? ` / ${source.tokenVariable}` : ""})`
      );
    case "env-profile":
      return `profile \`${source.profile}\` from ${source.file} (TENCENTCLOUD_PROFILE)`;
    case "default-profile":
      return (
        `profile \`${source.profile}\` from ${source.file} ` + "(tccli's default profile: no other credentials are set)"
      );
  }
}

const RECORDED =
  "a `pulumi destroy`, a `pulumi refresh`, and a `pulumi up` whose program declares no CustomImage any more, use the " +
  "stack config recorded at the last `pulumi up` that declared one, not Pulumi.<stack>.yaml";
const RUN_PROGRAM =
  "run `pulumi destroy --run-program` or `pulumi refresh --run-program` (or a `pulumi up` that still declares a " +
  "CustomImage, which records the current config)";

/** Whether the operation may run with the stack config recorded at the last `pulumi up`. */
function mayUseRecordedConfig(operation: Operation | undefined): boolean {
  return operation === "delete" || operation === "read";
}

/** The fix for refused credentials, for the command that is running. */
export function credentialFix(source: CredentialSource, operation?: Operation): string {
  const recorded = mayUseRecordedConfig(operation);
  switch (source.kind) {
    case "config-keys":
      if (recorded) {
        return (
          `${RECORDED}; once the keys are right there, ${RUN_PROGRAM}. ` +
          "(Keys in the environment, TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY, or in a profile are read at " +
          "every run, but recorded stack config keys win over them.)"
        );
      }
      return (
        "set the right pair with `pulumi config set --secret tencentcloud:secretId …` and `pulumi config set " +
        "--secret tencentcloud:secretKey …`, then run the command again"
      );
    case "env-keys": {
      const fix =
        "set the right TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY (and TENCENTCLOUD_SECURITY_TOKEN for " +
        "temporary keys) in the environment of this command and run it again; the environment is read at every run";
      return recorded
        ? `${fix}. If you set tencentcloud:secretId / tencentcloud:secretKey or tencentcloud:profile in the stack ` +
            `config since the last \`pulumi up\`, ${RECORDED}: ${RUN_PROGRAM}`
        : fix;
    }
    case "resource-profile":
    case "config-profile":
    case "env-profile":
    case "default-profile": {
      const fix =
        `fix the keys in ${source.file} (\`tccli configure --profile ${source.profile}\` writes it) and ` +
        `run the command again; the file is read at every run`;
      if (source.kind === "config-profile" && recorded)
        return `${fix}. If you changed tencentcloud:profile since the last \`pulumi up\`, ${RECORDED}: ${RUN_PROGRAM}`;
      if (source.kind === "resource-profile" && recorded)
        return `${fix}. The profile name is the one recorded in the state at the last \`pulumi up\``;
      return fix;
    }
  }
}

/**
 * Whether an API code says the credentials themselves were refused (AuthFailure.*, except a missing CAM permission).
 */
export function isAuthFailure(code: string | undefined): boolean {
  return code !== undefined && code.startsWith("AuthFailure.") && code !== "AuthFailure.UnauthorizedOperation";
}

/**
 * The way forward after refused credentials, as a short instruction for an error's "Next:" (the
 * cause already explains it): what to fix, and the command to run. Undefined without a source.
 */
export function credentialNextStep(source: CredentialSource | undefined, operation?: Operation): string | undefined {
  if (!source) return undefined;
  const recorded = mayUseRecordedConfig(operation);
  switch (source.kind) {
    case "config-keys":
      return recorded
        ? "once tencentcloud:secretId / tencentcloud:secretKey are right in the stack config, run `pulumi destroy " +
            "--run-program` (or `pulumi refresh --run-program`, or a `pulumi up` that still declares a CustomImage)"
        : "set the right tencentcloud:secretId / tencentcloud:secretKey in the stack config, then run the command " +
            "again";
    case "env-keys":
      return (
        "set the right TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY in the environment, then run the " +
        "command again"
      );
    default:
      return `fix the keys in ${source.file}, then run the command again`;
  }
}

/**
 * The explanation of an authentication error (AuthFailure.*): which source was used and how to fix it. Never a secret.
 */
export function authFailureText(code: string, source: CredentialSource | undefined, operation?: Operation): string {
  if (!source) return `the credentials were rejected (${code})`;
  return (
    `the credentials were rejected (${code}); they came from ${sourceText(source)}. To fix it: ` +
    `${credentialFix(source, operation)}`
  );
}

/** The explanation of a CAM permission error: the credentials work but lack a permission. */
export function permissionDeniedText(code: string, source: CredentialSource | undefined): string {
  const from = source ? `; they came from ${sourceText(source)}` : "";
  return (
    `the credentials lack the CAM permission for this action (${code})${from}. Grant it to that key's CAM user ` +
    `or role, or use the credentials of another account or profile`
  );
}

/**
 * Thrown when no credentials or region can be found, or a profile
 * cannot be read. Its message names where to set them, never a value.
 */
export class ConfigurationError extends Error {
  override name = "ConfigurationError";
}
