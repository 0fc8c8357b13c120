// What changed outside the stack shows where Pulumi users look: engine warnings on the resource
// itself (not on the stack) at refresh, preview and up, each once, saying what is true (`pulumi up`
// puts back the program's values but leaves shares made outside the stack; the delete follows the
// policy the up applies); and the auto-name a preview shows is the one up creates.
import { CUSTOM_IMAGE_TYPE, declare, worldWithStack } from "../support/e2e";

jest.setTimeout(240_000);

const ctx = worldWithStack();

/** The warnings the CLI's "Diagnostics:" section lists under the resource `name`. */
function warningsOn(output: string, name: string): string[] {
  const diagnostics = output.slice(output.indexOf("Diagnostics:"));
  const header = `${CUSTOM_IMAGE_TYPE} (${name}):`;
  const at = diagnostics.indexOf(header);
  if (at === -1) return [];
  const block = diagnostics.slice(at + header.length).split(/\n(?=  \S)/)[0]!;
  return block
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l.startsWith("warning: "))
    .map((l) => l.slice("warning: ".length));
}

test("the auto-name a preview shows is the name up creates", async () => {
  const { world, stack } = ctx;
  declare(stack, [{ name: "auto", args: { fromInstance: { instanceId: world.instanceId } } }]);
  const preview = await stack.previewJson();
  const create = preview.steps.find((s: any) => s.op === "create" && s.urn.endsWith("::auto"));
  const previewed = create.newState.inputs.imageName;
  expect(previewed).toMatch(/^auto-[0-9a-f]{7}$/);
  expect((await stack.up()).code).toBe(0);
  const [image] = await stack.resourcesOfType(CUSTOM_IMAGE_TYPE);
  expect(image.outputs.imageName).toBe(previewed);
});

/** The warnings on the resource `name` in a `pulumi preview --json` (each message is `warning: …`). */
const previewWarningsOn = (preview: any, name: string): string[] =>
  (preview.diagnostics ?? [])
    .filter((d: any) => d.severity === "warning" && String(d.urn).endsWith(`::${name}`))
    .map((d: any) =>
      String(d.message)
        .trim()
        .replace(/^warning: /, ""),
    );

test("a share and a rename made outside the stack: refresh says what `pulumi up` puts back and what becomes of the share, each once", async () => {
  const { world, stack } = ctx;
  const [image] = await stack.resourcesOfType(CUSTOM_IMAGE_TYPE);
  await world.alice.ModifyImageSharePermission({
    ImageId: image.id,
    AccountIds: [world.uins.carol],
    Permission: "SHARE",
  });
  await world.alice.ModifyImageAttribute({ ImageId: image.id, ImageName: "renamed-by-hand" });
  const label = `image ${image.id} ("renamed-by-hand")`;
  const blocked =
    `${label} is shared with 1 account (${world.uins.carol}) outside the stack; \`pulumi up\` leaves that share in place, and deleting the image will be blocked (deletionPolicy.unmanagedShares = "block"). ` +
    'Either add the account to sharedWith, so the stack manages the share and cancels it on delete, or set deletionPolicy: { unmanagedShares: "unshare" } and run `pulumi up`, so the delete cancels it.';

  const refresh = await stack.refresh();
  expect(refresh.code).toBe(0);
  // Before: "Run `pulumi up` to put the program's values back" over the share too (which `up` never cancels), and the share's warning twice (from read, then from the engine's diff of the refresh).
  expect(warningsOn(refresh.stdout, "auto")).toEqual([
    `${label} changed outside the stack; the state now records it: imageName: "${image.outputs.imageName}" → "renamed-by-hand". Run \`pulumi up\` to put the program's imageName back, or change the program to match.`,
    blocked,
  ]);
  // Tied to the image, not to the stack.
  expect(warningsOn(refresh.stdout, "pulumi:pulumi:Stack").join("\n")).not.toContain("outside the stack");

  expect(previewWarningsOn(await stack.previewJson(), "auto")).toEqual([blocked]);
  const up = await stack.up();
  expect(up.code).toBe(0);
  expect(warningsOn(up.stdout, "auto")).toEqual([blocked]);
  // What it said: the share is still there after the up.
  expect(
    (await world.alice.DescribeImageSharePermission({ ImageId: image.id })).SharePermissionSet?.map((p) => p.AccountId),
  ).toEqual([world.uins.carol]);
});

test('the up that sets unmanagedShares: "unshare" warns with the policy it applies, not the recorded one', async () => {
  const { world, stack } = ctx;
  const [image] = await stack.resourcesOfType(CUSTOM_IMAGE_TYPE);
  declare(stack, [
    {
      name: "auto",
      args: { fromInstance: { instanceId: world.instanceId }, deletionPolicy: { unmanagedShares: "unshare" } },
    },
  ]);
  const unshare =
    `image ${image.id} ("${image.outputs.imageName}") is shared with 1 account (${world.uins.carol}) outside the stack; ` +
    '`pulumi up` leaves that share in place, and deleting the image will cancel it first (deletionPolicy.unmanagedShares = "unshare").';
  // Before: the preview and the up still said "deleting it will be blocked … set … unshare and run `pulumi up`".
  expect(previewWarningsOn(await stack.previewJson(), "auto")).toEqual([unshare]);
  const up = await stack.up();
  expect(up.code).toBe(0);
  expect(warningsOn(up.stdout, "auto")).toEqual([unshare]);
  // And the delete does what it said.
  expect((await stack.destroy()).code).toBe(0);
  expect(await stack.resourcesOfType(CUSTOM_IMAGE_TYPE)).toEqual([]);
});
