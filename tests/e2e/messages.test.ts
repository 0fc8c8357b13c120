// What a user reads when the provider refuses, through the real engine: a blocked destroy printed
// once, without a stack trace; bad input without `value {<nil>}`; options that never reach a dynamic
// provider named with what to use instead; an unknown region traced to where it came from.
import { declare, worldWithStack } from "../support/e2e";

jest.setTimeout(240_000);

const ctx = worldWithStack();

/** How often `text` occurs in a run's stdout and stderr. */
const count = (said: string, text: string): number => said.split(text).length - 1;
/** Stack-trace lines, as the engine prints them (indented `at …`). */
const traceLines = (said: string): string[] =>
  said.split("\n").filter((l) => /^\s+(pulumi:pulumi:Stack \S+\s+)?\s*at /.test(l));

test("a blocked destroy prints its refusal once, without a stack trace, in short lines", async () => {
  const { world, stack } = ctx;
  const args = {
    fromInstance: { instanceId: world.instanceId },
    imageName: "e2e-msg-blocked",
    sharedWith: [world.uins.bob],
  };
  declare(stack, [{ name: "guarded", args }]);
  expect((await stack.up()).code).toBe(0);
  const { imageIds } = await stack.outputs();
  const id = imageIds.guarded as string;
  await world.alice.ModifyImageSharePermission({ ImageId: id, AccountIds: [world.uins.carol], Permission: "SHARE" });

  const blocked = await stack.destroy();
  expect(blocked.code).not.toBe(0);
  const said = blocked.stdout + blocked.stderr;
  // What happened, what was done, what to run: each once (before: the whole message 7 times, with a 3-line trace twice).
  expect(
    count(
      said,
      `Cause: image is shared with 1 account (${world.uins.carol}) outside the stack, and deletionPolicy.unmanagedShares is "block".`,
    ),
  ).toBe(1);
  expect(count(said, "Already done: nothing was changed.")).toBe(1);
  expect(count(said, "nothing was changed")).toBe(1);
  expect(count(said, `--ImageId ${id} --AccountIds '["${world.uins.carol}"]' --Permission CANCEL`)).toBe(1);
  expect(traceLines(said)).toEqual([]);
  // The first line names the failure (the engine's progress rows show only it, then Diagnostics the whole message).
  expect(said).toContain(`error: Failed to delete image ${id} ("e2e-msg-blocked") in ${world.emu.defaultRegion}.\n`);
  // The dynamic-provider host's echo of the error (`${e}: ${e.stack}`) no longer shows on the stack.
  expect(said).not.toMatch(/pulumi:pulumi:Stack \S+\s+Error: Failed to delete/);
  expect(said).not.toMatch(/pulumi:pulumi:Stack \S+\s+: *\n/);

  // Nothing lost; the way forward named in the message works.
  declare(stack, [{ name: "guarded", args: { ...args, deletionPolicy: { unmanagedShares: "unshare" } } }]);
  expect((await stack.up()).code).toBe(0);
  expect((await stack.destroy()).code).toBe(0);
});

test("bad input is refused once per resource at preview, naming the input, without `value {<nil>}`", async () => {
  const { world, stack } = ctx;
  declare(stack, [
    {
      name: "bad",
      args: {
        fromInstance: { instanceId: world.instanceId },
        imageName: "e2e-msg-bad",
        deletionPolicy: { unmanagedShares: "maybe" },
      },
    },
  ]);
  const preview = await stack.preview();
  expect(preview.code).not.toBe(0);
  const said = preview.stdout + preview.stderr;
  expect(said).not.toContain("{<nil>}");
  expect(said).toContain(
    "resource 'bad' has a problem: the input deletionPolicy.unmanagedShares is not valid; nothing was sent to the cloud.",
  );
  expect(count(said, 'deletionPolicy.unmanagedShares: "maybe" is not allowed; use one of "block", "unshare".')).toBe(1);
  expect(count(said, "Fix the program, then run the command again.")).toBe(1);
  expect(traceLines(said)).toEqual([]);
});

test("customTimeouts and replaceOnChanges on a CustomImage get a warning naming what to use instead", async () => {
  const { world, stack } = ctx;
  declare(stack, [
    {
      name: "opts",
      args: { fromInstance: { instanceId: world.instanceId }, imageName: "e2e-msg-opts" },
      customTimeouts: { create: "90m" },
      replaceOnChanges: ["imageName"],
    },
  ]);
  const preview = await stack.preview();
  expect(preview.code).toBe(0);
  const said = preview.stdout + preview.stderr;
  expect(said).toContain(
    'warning: customTimeouts has no effect on a CustomImage: Pulumi does not pass it to dynamic providers. Use the `timeouts` input instead: `timeouts: { create: "90m" }`',
  );
  expect(said).toContain(
    "warning: replaceOnChanges has no effect on a CustomImage: its dynamic provider reports no changed properties for the engine to match. " +
      "These inputs already replace the image when they change: fromInstance, fromSnapshots, fromImport, adoptImageId, region. imageName changes in place.",
  );
});

test("an unknown region names where it came from", async () => {
  const { world, stack } = ctx;
  stack.setConfig({
    "e2e-images:images": [
      { name: "nowhere", args: { fromInstance: { instanceId: world.instanceId }, imageName: "e2e-msg-region" } },
    ],
    "tencentcloud:region": "ap-nowhere",
  });
  const up = await stack.up();
  expect(up.code).not.toBe(0);
  const said = up.stdout + up.stderr;
  expect(said).toContain(
    'the region "ap-nowhere" is not one the API serves (InvalidRegion.NotFound); it came from the stack config tencentcloud:region.',
  );
  expect(said).toContain("`pulumi config set tencentcloud:region ap-guangzhou`");
});
