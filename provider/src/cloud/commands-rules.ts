/**
 * The ways forward that refusals name (pure): how a deletion policy field is changed for the
 * context of the delete, and the exact tccli calls that change the cloud instead.
 */

/**
 * How a delete comes about, which decides the way forward a refusal names: `destroy` (the resource
 * is still in the program), `removed` (dropped from the program, so `pulumi up` deletes it),
 * `replace` (the old image of a replacement), or `unknown` (the provider's own delete cannot tell).
 */
export type DeleteContext = "destroy" | "removed" | "replace" | "unknown";

/** How to change a deletion policy field so the delete goes through, for the context of the delete. */
export function policyRoute(setting: string, context: DeleteContext): string {
  const opt = `\`deletionPolicy: { ${setting} }\``;
  switch (context) {
    case "destroy":
      return `set ${opt} on the resource, run \`pulumi up\`, then \`pulumi destroy\` again`;
    case "removed":
      return (
        `put the resource back in the program with ${opt}, run \`pulumi up\`, then remove it again and run ` +
        `\`pulumi up\``
      );
    case "replace":
      return (
        `first run \`pulumi up\` with only ${opt} added (undo the change that replaces the image for that run), ` +
        `then make the change again`
      );
    case "unknown":
      return (
        `set ${opt} on the resource (put it back in the program first if it was removed), run \`pulumi up\`, ` +
        `then delete it again`
      );
  }
}

/** The services a tccli call of a way forward goes to. */
export type CommandService = "cvm" | "as";

/**
 * tccli's `--endpoint` per service, for calls that go elsewhere than Tencent Cloud's default
 * endpoint of the service (e.g. the local emulator); see `tccliEndpoints` in `cloud/settings.ts`.
 */
export type CommandEndpoints = Partial<Record<CommandService, string>>;

/** Where a tccli call goes: the image's region, the resource's credential profile, the endpoints in use. */
export interface CommandTarget {
  /** The region (`""`: none given, tccli's default). */
  region: string;
  /** The tccli profile of the image's account, if the resource names one. */
  profile?: string;
  /** The endpoints the provider calls, when not Tencent Cloud's defaults. */
  endpoints?: CommandEndpoints;
}

/** One exact tccli call, in backticks: `tccli <service> <action> [--profile P] [--region R] [--endpoint E] <args>`. */
export function tccliCommand(target: CommandTarget, service: CommandService, action: string, args: string): string {
  const profile = target.profile ? ` --profile ${target.profile}` : "";
  const region = target.region ? ` --region ${target.region}` : "";
  const endpoint = target.endpoints?.[service] ? ` --endpoint ${target.endpoints[service]}` : "";
  return `\`tccli ${service} ${action}${profile}${region}${endpoint} ${args}\``;
}

/** The exact tccli call that cancels the sharing of an image with some accounts. */
export function cancelSharesCommand(spec: CommandTarget & { imageId: string }, accountIds: readonly string[]): string {
  return tccliCommand(
    spec,
    "cvm",
    "ModifyImageSharePermission",
    `--ImageId ${spec.imageId} --AccountIds '${JSON.stringify(accountIds)}' --Permission CANCEL`,
  );
}
