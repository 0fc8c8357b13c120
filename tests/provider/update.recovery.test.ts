/**
 * Recovery from partial failures: an image deleted but still listed, an update that failed part-way,
 * messages that say what was done, and an emulator environment that clears a session token.
 */
import { assessDeletions } from "pulumi-tencentcloud-images";
import {
  BOB,
  CAROL,
  change,
  describe as describeImage,
  provider,
  rejection,
  sharesOf,
  up,
  useHarness,
} from "./harness";
import { withOutputDefaults } from "../../provider/src/schema/stored";

const h = useHarness((h) => h.control("PATCH", "settings", { timing: { deleteLagMs: 100 } }));

const base = { fromInstance: { instanceId: "ins-web00001" } };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("a deleted image DescribeImages still lists (deleteLagMs)", () => {
  /** An image whose delete was accepted but timed out waiting: it still shows, NORMAL. */
  async function deletedButListed(name: string) {
    await h.control("PATCH", "settings", { timing: { deleteLagMs: 60_000 } });
    const { id, outs } = await up(name, { ...base, sharedWith: [BOB] });
    const first = await rejection(provider.delete(id, { ...outs, timeouts: { ...outs.timeouts, delete: "1s" } }));
    expect(first.message).toMatch(/DeleteImages was accepted but the image still shows/);
    expect(await describeImage(h, id)).toMatchObject({ ImageState: "NORMAL" });
    return { id, outs };
  }

  test("retrying the delete succeeds", async () => {
    const { id, outs } = await deletedButListed("lag-delete");
    await expect(provider.delete(id, outs)).resolves.toBeUndefined();
    await expect(provider.delete(id, { ...outs, sharedWith: [] })).resolves.toBeUndefined();
  });

  test("refresh drops it from the state; an update says it is gone", async () => {
    const { id, outs } = await deletedButListed("lag-read");
    await expect(provider.read(id, outs)).resolves.toEqual({ id: "", props: {} });
    const e = await rejection(provider.update(id, outs, { ...outs, imageDescription: "changed" }));
    expect(e.message).toMatch(/no longer exists/);
  });

  test("the preflight assessment reports it gone", async () => {
    const { id, outs } = await deletedButListed("lag-assess");
    const [plain] = await assessDeletions([{ imageId: id, outputs: outs }]);
    expect(plain.outcome).toBe("gone");
    const [dry] = await assessDeletions([{ imageId: id, outputs: { ...outs, sharedWith: [] } }], { dryRun: true });
    expect(dry.outcome).toBe("gone");
  });
});

test("a failed update records what was applied: shares made, policy and description changed, the failed cancel still managed; a retry converges", async () => {
  const props = { ...base, sharedWith: [CAROL] };
  const { id, inputs, outs } = await up("partial", props);
  // The first share call (SHARE with BOB) passes; every later one (CANCEL of CAROL) fails.
  await h.control("POST", "faults", [
    { action: "ModifyImageSharePermission", imageId: id, delayMs: 1, times: 1 },
    { action: "ModifyImageSharePermission", imageId: id, error: "UnauthorizedOperation.PermissionDenied" },
  ]);
  const next = { ...base, sharedWith: [BOB], imageDescription: "v2", deletionPolicy: { unmanagedShares: "unshare" } };
  const e = await rejection(change("partial", id, inputs, outs, next));
  expect(e.message).toMatch(/Failed to update image .*UnauthorizedOperation.PermissionDenied/s);
  expect(e.message).toMatch(/Already done: changed imageDescription, then shared with 1 account \(100000000002\)/);
  expect(e.id).toBe(id);
  expect(withOutputDefaults(e.properties)).toMatchObject({
    imageId: id,
    imageDescription: "v2",
    unmanagedShares: [],
    deletionPolicy: { unmanagedShares: "unshare" },
    __provider: expect.any(String),
  });
  expect([...e.properties.sharedWith].sort()).toEqual([BOB, CAROL]);
  expect(await sharesOf(h, id)).toEqual([BOB, CAROL]);

  await h.control("DELETE", "faults");
  const retried = await change("partial", id, inputs, e.properties, next);
  expect(retried.diff.changes).toBe(true);
  expect(withOutputDefaults(retried.outs!)).toMatchObject({
    sharedWith: [BOB],
    unmanagedShares: [],
    imageDescription: "v2",
  });
  expect(await sharesOf(h, id)).toEqual([BOB]);
  await provider.delete(id, retried.outs!);
});

test("a delete blocked after it cancelled the stack's shares shares them again and says so", async () => {
  const { id, outs } = await up("cancel-then-block", { ...base, sharedWith: [BOB] });
  // DeleteImages is held, then refused as shared: meanwhile someone shares the image out of band.
  await h.control("POST", "faults", {
    action: "DeleteImages",
    imageId: id,
    error: "InvalidImageId.InShared",
    delayMs: 800,
    times: 1,
  });
  const pending = rejection(provider.delete(id, outs));
  const end = Date.now() + 5000;
  while ((await sharesOf(h, id)).length && Date.now() < end) await sleep(20);
  await h.sdk().request("ModifyImageSharePermission", { ImageId: id, AccountIds: [CAROL], Permission: "SHARE" });
  const e = await pending;
  expect(e.message).toMatch(/Failed to delete image .*100000000003/s);
  expect(e.message).toContain(
    `Already done: the stack's shares with 1 account (${BOB}) were cancelled and have been restored.\nNext: `,
  );
  expect(e.message).not.toMatch(/nothing (else )?was changed/);
  // State and cloud agree again: the state's sharedWith is shared, the out-of-band share is still there.
  expect(await sharesOf(h, id)).toEqual([BOB, CAROL]);
  await h.sdk().request("ModifyImageSharePermission", { ImageId: id, AccountIds: [CAROL], Permission: "CANCEL" });
  await provider.delete(id, outs);
});

test("a delete whose re-describe fails after InShared names the image, what was done, and puts the shares back", async () => {
  const { id, outs } = await up("cancel-then-describe-fails", { ...base, sharedWith: [BOB] });
  // DeleteImages refused as shared, then the re-describe before the re-plan (the delete's second
  // DescribeImages: the first one checks the image is the recorded one) is refused.
  await h.control("POST", "faults", [
    { action: "DeleteImages", imageId: id, error: "InvalidImageId.InShared", times: 1 },
    { action: "DescribeImages", imageId: id, delayMs: 1, times: 1 },
    { action: "DescribeImages", imageId: id, error: "UnauthorizedOperation.PermissionDenied", times: 1 },
  ]);
  const e = await rejection(provider.delete(id, outs));
  expect(e.message).toMatch(
    new RegExp(
      `^Failed to delete image ${id} \\("${outs.imageName}"\\) in ap-guangzhou\\.\nCause: .*UnauthorizedOperation.PermissionDenied`,
    ),
  );
  expect(e.message).toContain(
    `Already done: the stack's shares with 1 account (${BOB}) were cancelled and have been restored.`,
  );
  expect(await sharesOf(h, id)).toEqual([BOB]);
  await h.control("DELETE", "faults");
  await provider.delete(id, outs);
  expect(await describeImage(h, id)).toBeNull();
});

test("a refresh error names the image, what was done and what to do next", async () => {
  await h.control("POST", "faults", {
    action: "DescribeImages",
    error: "UnauthorizedOperation.PermissionDenied",
    times: 1,
  });
  const e = await rejection(
    provider.read("img-alic0001", { region: "ap-guangzhou", imageName: "alice-legacy", sharedWith: [] }),
  );
  expect(e.message).toMatch(
    /^Failed to read image img-alic0001 \("alice-legacy"\) in ap-guangzhou\.\nCause: .*UnauthorizedOperation.PermissionDenied/,
  );
  expect(e.message).toMatch(/Already done: nothing was changed\.\nNext: .*`pulumi refresh` again/);
});

test("emu.env() clears a session token exported in the shell", async () => {
  const saved = process.env.TENCENTCLOUD_SESSION_TOKEN;
  process.env.TENCENTCLOUD_SESSION_TOKEN = "a-real-session-token-from-the-shell";
  try {
    const env = h.emu.env("alice");
    expect(env.TENCENTCLOUD_SESSION_TOKEN).toBe("");
    Object.assign(process.env, env);
    await expect(provider.read("img-alic0001", { region: "ap-guangzhou", sharedWith: [] })).resolves.toMatchObject({
      id: "img-alic0001",
    });
  } finally {
    if (saved === undefined) delete process.env.TENCENTCLOUD_SESSION_TOKEN;
    else process.env.TENCENTCLOUD_SESSION_TOKEN = saved;
  }
});
