// A change to `sharedWith` names its accounts in a warning on the resource, at the preview and at the
// up, once each, so a one-digit typo shows without `--diff`; a secret `sharedWith` is counted, never listed.
import { CUSTOM_IMAGE_TYPE, declare, worldWithStack } from "../support/e2e";

jest.setTimeout(300_000);

const ctx = worldWithStack();

/** The "Diagnostics:" sections of a run's output: a `pulumi up` that previews has the preview's, then the update's. */
const diagnostics = (output: string): string[] =>
  output
    .split("\nDiagnostics:\n")
    .slice(1)
    .map((s) => s.split(/\n(?:Outputs|Resources):\n/)[0]!);

/** The warnings a "Diagnostics:" section lists under the resource `name`. */
function warningsIn(section: string, name: string): string[] {
  const header = `  ${CUSTOM_IMAGE_TYPE} (${name}):\n`;
  const at = section.indexOf(header);
  if (at === -1) return [];
  const block = section.slice(at + header.length).split(/\n(?=  \S)/)[0]!;
  return block
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l.startsWith("warning: "))
    .map((l) => l.slice("warning: ".length));
}

/** `pulumi up` as a user runs it: a preview, then the update (the helper's `up` skips the preview). */
const upWithPreview = (stack: (typeof ctx)["stack"]) =>
  stack.run(["up", "--yes", "--stack", stack.stackName, "--config-file", stack.configFile, "--non-interactive"]);

test("the preview and the up name the accounts a sharedWith change adds and removes, once per resource", async () => {
  const { world, stack } = ctx;
  const image = (sharedWith: string[]) => ({ fromInstance: { instanceId: world.instanceId }, sharedWith });
  declare(stack, [
    { name: "web", args: image([world.uins.bob]) },
    { name: "api", args: image([world.uins.bob]) },
  ]);
  expect((await stack.up()).code).toBe(0);
  // Meant to add nobody and keep bob (…002) on web, typed carol's uin (…003) instead: one digit.
  declare(stack, [
    { name: "web", args: image([world.uins.carol]) },
    { name: "api", args: image([world.uins.bob]) },
  ]);
  const change = `sharedWith: will share with ${world.uins.carol} (new); stop sharing with ${world.uins.bob}`;

  const preview = await stack.preview();
  expect(preview.code).toBe(0);
  const [previewed] = diagnostics(preview.stdout);
  expect(warningsIn(previewed!, "web")).toEqual([change]);
  expect(warningsIn(previewed!, "api")).toEqual([]);

  const up = await upWithPreview(stack);
  expect(up.code).toBe(0);
  const phases = diagnostics(up.stdout);
  expect(phases).toHaveLength(2); // the preview's and the update's
  for (const phase of phases) {
    expect(warningsIn(phase, "web")).toEqual([change]);
    expect(warningsIn(phase, "api")).toEqual([]);
  }

  // No change, no warning.
  const again = await stack.preview();
  expect(again.stdout).not.toContain("sharedWith:");
});

test("a secret sharedWith: the warning counts the accounts and the output never shows them", async () => {
  const { world, stack } = ctx;
  const image = (sharedWith: string[]) => ({
    name: "web",
    args: { fromInstance: { instanceId: world.instanceId }, sharedWith },
    secretArgs: ["sharedWith"],
  });
  declare(stack, [image([world.uins.carol])]);
  expect((await stack.up()).code).toBe(0);
  declare(stack, [image([world.uins.bob])]);

  const up = await upWithPreview(stack);
  expect(up.code).toBe(0);
  for (const phase of diagnostics(up.stdout)) {
    expect(warningsIn(phase, "web")).toEqual([
      "sharedWith (secret: accounts not shown): will share with 1 account; stop sharing with 1 account",
    ]);
  }
  expect(up.stdout + up.stderr).not.toContain(world.uins.bob);
  expect(up.stdout + up.stderr).not.toContain(world.uins.carol);
  expect((await stack.destroy()).code).toBe(0);
});
