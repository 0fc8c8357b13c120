// What changed outside the stack shows where Pulumi users look: engine warnings on the resource
// itself (not on the stack) at refresh, preview and up; and the auto-name a preview shows is the one
// up creates.
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

test("a share and a rename made outside the stack are warnings on the image at refresh, preview and up", async () => {
  const { world, stack } = ctx;
  const [image] = await stack.resourcesOfType(CUSTOM_IMAGE_TYPE);
  await world.alice.ModifyImageSharePermission({ ImageId: image.id, AccountIds: [world.uins.carol], Permission: "SHARE" });
  await world.alice.ModifyImageAttribute({ ImageId: image.id, ImageName: "renamed-by-hand" });

  const refresh = await stack.refresh();
  expect(refresh.code).toBe(0);
  const atRefresh = warningsOn(refresh.stdout, "auto");
  expect(atRefresh.join("\n")).toContain(`imageName: "${image.outputs.imageName}" → "renamed-by-hand"`);
  expect(atRefresh.join("\n")).toContain(`unmanagedShares: (none) → ${world.uins.carol}`);
  const blocked = atRefresh.find((w) => w.includes("outside the stack: deleting it will be blocked"));
  expect(blocked).toContain(`1 account (${world.uins.carol})`);
  expect(blocked).toContain("add the account to sharedWith");
  expect(blocked).toContain('deletionPolicy: { unmanagedShares: "unshare" }');
  // Tied to the image, not to the stack.
  expect(warningsOn(refresh.stdout, "pulumi:pulumi:Stack").join("\n")).not.toContain("outside the stack");

  const preview = await stack.previewJson();
  const onImage = (preview.diagnostics ?? []).filter((d: any) => d.severity === "warning" && String(d.urn).endsWith("::auto"));
  expect(onImage.map((d: any) => d.message).join("\n")).toContain("outside the stack: deleting it will be blocked");

  const up = await stack.up();
  expect(up.code).toBe(0);
  expect(warningsOn(up.stdout, "auto").join("\n")).toContain("outside the stack: deleting it will be blocked");

  // Clean up: cancel carol's share so the destroy goes through.
  await world.alice.ModifyImageSharePermission({ ImageId: image.id, AccountIds: [world.uins.carol], Permission: "CANCEL" });
  expect((await stack.refresh()).code).toBe(0);
  expect((await stack.destroy()).code).toBe(0);
});
