// An image cannot move between accounts (provider/src/provider/accounts.ts): an update whose new
// `profile` reaches another account than the recorded one is refused before anything is changed,
// with a message that names the input; one that reaches the same account goes on in place.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { writeProfiles } from "@pulumi-tencentcloud-images/cvm-emulator";
import { ALICE, BOB, describe as describeImage, provider, rejection, sharesOf, up, useHarness } from "./harness";

const h = useHarness();
let dir: string;
let savedDir: string | undefined;

// The built module the shim runs, called directly where the provider's verbs would hide what it does.
const { refuseAccountMove } =
  require("pulumi-tencentcloud-images/dist/provider/accounts") as typeof import("../../provider/src/provider/accounts");
const { settingsFor } =
  require("pulumi-tencentcloud-images/dist/provider/common") as typeof import("../../provider/src/provider/common");

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ptci-accounts-"));
  // alice's account under two names, bob's under one; the stack's own credentials (the environment) are alice's.
  writeProfiles(dir, h.emu, { accounts: ["alice", "bob"], names: { alice: "build", bob: "workload" } });
  writeProfiles(dir, h.emu, { accounts: ["alice"], names: { alice: "build-2" } });
  savedDir = process.env.TENCENTCLOUD_SHARED_CREDENTIALS_DIR;
  process.env.TENCENTCLOUD_SHARED_CREDENTIALS_DIR = dir;
});
afterAll(() => {
  if (savedDir === undefined) delete process.env.TENCENTCLOUD_SHARED_CREDENTIALS_DIR;
  else process.env.TENCENTCLOUD_SHARED_CREDENTIALS_DIR = savedDir;
  fs.rmSync(dir, { recursive: true, force: true });
});

const base = { fromInstance: { instanceId: "ins-web00001" } };
const calls = async () => (await h.control("GET", "calls")).log as Array<{ action: string; account?: string }>;

/** The update the engine would make: the recorded outputs, the new inputs with `profile` (absent: removed). */
function updateTo(made: Awaited<ReturnType<typeof up>>, profile: string | undefined, extra: Record<string, unknown>) {
  const news: Record<string, any> = { ...made.inputs, ...extra, profile, __provider: made.outs.__provider };
  if (profile === undefined) delete news.profile;
  return provider.update(made.id, made.outs, news);
}

test("another account's profile that does not see the image: refused, naming `profile`, with nothing changed", async () => {
  const made = await up("acc-unseen", { ...base, profile: "build", imageDescription: "v1" });
  await h.clearCalls();
  const e = await rejection(updateTo(made, "workload", { imageDescription: "v2" }));
  const lines = e.message.split("\n");
  expect(lines[0]).toBe(`Failed to update image ${made.id} ("${made.outs.imageName}") in ap-guangzhou.`);
  expect(lines[1]).toMatch(
    /^Cause: `profile` changed from profile `build` to profile `workload`, whose credentials \(profile `workload` from .*workload\.credential \(the resource's `profile` input\)\) do not see the image: they belong to another account than the one the image was made in, and an image cannot move between accounts\.$/,
  );
  expect(lines[2]).toBe("Already done: nothing was changed.");
  expect(lines[3]).toMatch(/^Next: put `profile: "build"` back and run `pulumi up` again\. /);
  expect(lines[3]).toContain("add that account's uin to `sharedWith`");
  // A plain error: the engine keeps the recorded outputs (and profile).
  expect(e.properties).toBeUndefined();
  // The one call made: DescribeImages with the new credentials (bob's); nothing else.
  expect((await calls()).map((c) => [c.action, c.account])).toEqual([["DescribeImages", BOB]]);
  expect((await describeImage(h, made.id)).ImageDescription).toBe("v1");
});

test("another account the image is shared with: refused, saying how those credentials see it; shares untouched", async () => {
  const made = await up("acc-shared", { ...base, profile: "build", sharedWith: [BOB] });
  await h.clearCalls();
  // The new inputs also drop the share: nothing of that is applied either.
  const e = await rejection(updateTo(made, "workload", { sharedWith: [] }));
  expect(e.message).toContain("whose credentials (profile `workload` from ");
  expect(e.message).toContain("see the image as a SHARED_IMAGE, not as their own custom image");
  expect(e.message).toContain("Already done: nothing was changed.");
  expect((await calls()).map((c) => c.action)).toEqual(["DescribeImages"]);
  expect(await sharesOf(h, made.id)).toEqual([BOB]);
});

test("removing `profile` where the stack's credentials are another account's, or adding one: refused, with the way back", async () => {
  const bobs = await up("acc-bobs", { profile: "workload", fromSnapshots: { snapshotIds: ["snap-bobs0001"] } });
  const dropped = await rejection(updateTo(bobs, undefined, {}));
  expect(dropped.message).toContain(
    "`profile` changed from profile `workload` to the stack's credentials (no `profile`), whose credentials",
  );
  expect(dropped.message).toContain('Next: put `profile: "workload"` back and run `pulumi up` again.');

  const alices = await up("acc-added", base); // the stack's credentials: alice's
  await h.clearCalls();
  const added = await rejection(updateTo(alices, "workload", {}));
  expect(added.message).toContain(
    "`profile` changed from the stack's credentials (no `profile`) to profile `workload`",
  );
  expect(added.message).toContain("Next: remove `profile` again and run `pulumi up` again.");
  expect((await calls()).map((c) => [c.action, c.account])).toEqual([["DescribeImages", BOB]]);
  expect(await describeImage(h, bobs.id, "bob")).not.toBeNull();
});

test("a new `profile` that reaches the same account: the update goes on in place, recording the new profile", async () => {
  const made = await up("acc-same", { ...base, imageDescription: "v1" }); // the stack's credentials: alice's
  await h.clearCalls();
  const named = await updateTo(made, "build", { imageDescription: "v2" });
  expect(named.outs).toMatchObject({ imageId: made.id, profile: "build", imageDescription: "v2" });
  const log = await calls();
  // The check (with the new credentials, alice's) comes first, before anything else of the update.
  expect(log[0]).toMatchObject({ action: "DescribeImages", account: ALICE });
  expect(log.filter((c) => c.action === "ModifyImageAttribute")).toHaveLength(1);
  expect(log.every((c) => c.account === ALICE)).toBe(true);
  expect((await describeImage(h, made.id)).ImageDescription).toBe("v2");

  // Another name of the same account, then back to the stack's credentials (alice's too).
  const renamed = await updateTo({ ...made, outs: { ...named.outs, __provider: made.outs.__provider } }, "build-2", {
    imageDescription: "v3",
  });
  expect(renamed.outs).toMatchObject({ profile: "build-2", imageDescription: "v3" });
  const removed = await updateTo({ ...made, outs: { ...renamed.outs, __provider: made.outs.__provider } }, undefined, {
    imageDescription: "v4",
  });
  expect(removed.outs.profile ?? "").toBe("");
  expect((await describeImage(h, made.id)).ImageDescription).toBe("v4");
});

test("an unchanged `profile` (an empty one is none) is not checked: no call", async () => {
  const s = settingsFor("ap-guangzhou", { profile: "build", operation: "update" });
  await h.clearCalls();
  await expect(
    refuseAccountMove(s, "img-alic0001", { profile: "build" }, { profile: "build" }),
  ).resolves.toBeUndefined();
  await expect(refuseAccountMove(s, "img-alic0001", { profile: "" }, {})).resolves.toBeUndefined();
  // Even for an id no account has: nothing is looked at.
  await expect(refuseAccountMove(s, "img-zzzz9999", {}, { profile: undefined })).resolves.toBeUndefined();
  expect(await calls()).toEqual([]);
  // A changed one is: the same image through another account's profile is refused.
  const bob = settingsFor("ap-guangzhou", { profile: "workload", operation: "update" });
  await expect(refuseAccountMove(bob, "img-alic0001", { profile: "build" }, { profile: "workload" })).rejects.toThrow(
    /an image cannot move between accounts/,
  );
});

test("the check itself failing: the cause is named, with both ways forward, and nothing changed", async () => {
  const made = await up("acc-check-fails", { ...base, profile: "build", imageDescription: "v1" });
  await h.control("POST", "faults", {
    action: "DescribeImages",
    account: "bob",
    error: "UnauthorizedOperation.PermissionDenied",
  });
  const e = await rejection(updateTo(made, "workload", { imageDescription: "v2" }));
  expect(e.message).toMatch(
    /`profile` changed from profile `build` to profile `workload`, and checking that the new credentials reach the image's account failed: .*UnauthorizedOperation\.PermissionDenied/,
  );
  expect(e.message).toContain("Already done: nothing was changed.");
  expect(e.message).toContain('Next: fix the cause and run `pulumi up` again, or put `profile: "build"` back.');
  expect((await describeImage(h, made.id)).ImageDescription).toBe("v1");
});
