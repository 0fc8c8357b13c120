// Observe once, decide once (provider/src/provider/deletion.ts): `observeDeletion` describes the
// image, and reads its shares and what uses it only when the image alone does not decide; it
// changes nothing. The calls of each case are read from the emulator's call log.
import { BOB, DAVE, describe as describeImage, up, useHarness } from "./harness";

const h = useHarness((h) => h.control("PATCH", "settings", { timing: { creatingMs: 250, deleteLagMs: 100 } }));

// The built modules the shim runs.
const { observeDeletion } =
  require("pulumi-tencentcloud-images/dist/provider/deletion") as typeof import("../../provider/src/provider/deletion");
const { deleteSpecFromOutputs } =
  require("pulumi-tencentcloud-images/dist/provider/deletion-rules") as typeof import("../../provider/src/provider/deletion-rules");
const { settingsFor } =
  require("pulumi-tencentcloud-images/dist/provider/common") as typeof import("../../provider/src/provider/common");

const base = { fromInstance: { instanceId: "ins-web00001" } };
const settings = () => settingsFor("ap-guangzhou", { operation: "delete" });
/** The actions called since the last `clearCalls`, in order. */
const actions = async () => ((await h.control("GET", "calls")).log as Array<{ action: string }>).map((c) => c.action);
/** The usage scan's calls (the harness has no launch templates, so no versions are listed). */
const SCAN = ["DescribeInstances", "DescribeLaunchTemplates", "DescribeLaunchConfigurations"];
/** Nothing but looks: no call that changes anything. */
const onlyLooks = (list: string[]) => list.every((a) => a.startsWith("Describe"));

async function observe(
  imageId: string,
  outputs: Record<string, unknown>,
  o: Parameters<typeof observeDeletion>[2] = {},
) {
  await h.clearCalls();
  const observed = await observeDeletion(settings(), deleteSpecFromOutputs(imageId, outputs), o);
  return { ...observed, calls: await actions() };
}

test("gone: an id no image has is decided by the describe alone", async () => {
  const r = await observe("img-zzzz9999", { region: "ap-guangzhou", imageName: "was-here" });
  expect(r.image).toBeNull();
  expect(r.decision).toMatchObject({ outcome: "gone", exists: false, imageName: "was-here", imageState: "" });
  expect(r.decision.reasons).toEqual([
    "image img-zzzz9999 no longer exists in ap-guangzhou; there is nothing to delete",
  ]);
  expect(r.calls).toEqual(["DescribeImages"]);
});

test("another image than the state recorded (its creation time differs): gone, left alone, its shares not listed", async () => {
  const { id, outs } = await up("obs-other", { ...base, sharedWith: [BOB] });
  const r = await observe(id, { ...outs, createdTime: "2020-01-02T03:04:05Z" });
  expect(r.decision.outcome).toBe("gone");
  expect(r.decision.exists).toBe(false);
  expect(r.decision.reasons).toHaveLength(1);
  expect(r.decision.reasons[0]).toContain(`${id} now names another image ("${outs.imageName}"`);
  expect(r.decision.reasons[0]).toContain("it is not the stack's to delete and is left alone");
  expect(r.decision.warnings).toEqual(r.decision.reasons);
  expect(r.image).toMatchObject({ imageId: id, imageName: outs.imageName });
  expect(r.calls).toEqual(["DescribeImages"]);
  expect(await describeImage(h, id)).not.toBeNull();
});

test("not this account's image (bob's, shared with alice): blocked by the describe alone", async () => {
  const r = await observe("img-bobs0001", { region: "ap-guangzhou", imageName: "bob-shared", sharedWith: [] });
  expect(r.decision).toMatchObject({ outcome: "blocked", exists: true, imageType: "SHARED_IMAGE" });
  expect(r.decision.reasons).toEqual([
    `image img-bobs0001 is another account's image shared with this account (owner ${BOB}), not this account's custom image (PRIVATE_IMAGE); it will not be deleted`,
  ]);
  expect(r.decision.nextSteps[0]).toContain("pulumi state delete");
  expect(r.calls).toEqual(["DescribeImages"]);
});

test('shares made outside the stack under "block": blocked after the share listing and the usage scan', async () => {
  const { id, outs } = await up("obs-shared", { ...base, sharedWith: [BOB] });
  await h.sdk().request("ModifyImageSharePermission", { ImageId: id, AccountIds: [DAVE], Permission: "SHARE" });
  const r = await observe(id, outs);
  expect(r.decision).toMatchObject({
    outcome: "blocked",
    managedShares: [BOB],
    unmanagedShares: [DAVE],
    sharesToCancel: [BOB],
  });
  expect(r.decision.reasons).toEqual([
    `image is shared with 1 account (${DAVE}) outside the stack, and deletionPolicy.unmanagedShares is "block"`,
  ]);
  expect(r.calls).toEqual(["DescribeImages", "DescribeImageSharePermission", ...SCAN]);

  // Under "unshare": a delete that cancels both, with a warning about the one made outside.
  const unshare = await observe(id, { ...outs, deletionPolicy: { unmanagedShares: "unshare" } });
  expect(unshare.decision).toMatchObject({ outcome: "delete", sharesToCancel: [BOB, DAVE] });
  expect(unshare.decision.warnings[0]).toContain('(deletionPolicy.unmanagedShares = "unshare")');

  // Shares the caller knows are not listed again (and decide as given).
  const known = await observe(id, outs, { shares: [BOB] });
  expect(known.decision).toMatchObject({ outcome: "delete", managedShares: [BOB], unmanagedShares: [] });
  expect(known.calls).toEqual(["DescribeImages", ...SCAN]);
});

test('in use by an instance: found by the usage scan, a warning by default, blocked under inUse "block"', async () => {
  const { id, outs } = await up("obs-in-use", base);
  await h.control("POST", "fixtures", {
    instances: [
      {
        instanceId: "ins-obs00001",
        region: "ap-guangzhou",
        owner: "alice",
        name: "from-obs",
        imageId: id,
        systemDisk: { diskId: "disk-obs00001" },
      },
    ],
  });
  const warned = await observe(id, outs);
  expect(warned.decision.outcome).toBe("delete");
  expect(warned.decision.instancesInUse.map((i) => i.instanceId)).toEqual(["ins-obs00001"]);
  expect(warned.decision.warnings.join("\n")).toContain("ins-obs00001");
  expect(warned.calls).toEqual(["DescribeImages", "DescribeImageSharePermission", ...SCAN]);

  const blocked = await observe(id, { ...outs, deletionPolicy: { inUse: { instances: "block" } } });
  expect(blocked.decision.outcome).toBe("blocked");
  expect(blocked.decision.reasons.join("\n")).toContain("ins-obs00001");
  // A scan the caller gives is used instead of the account's.
  const empty = { instances: { items: [] }, launchTemplates: { items: [] }, launchConfigurations: { items: [] } };
  const given = await observe(
    id,
    { ...outs, deletionPolicy: { inUse: { instances: "block" } } },
    { scan: async () => empty as never },
  );
  expect(given.decision.outcome).toBe("delete");
  expect(given.calls).toEqual(["DescribeImages", "DescribeImageSharePermission"]);
});

test("delete: this account's image, shared only as the stack manages and unused; observing changed nothing", async () => {
  const { id, outs } = await up("obs-delete", { ...base, sharedWith: [BOB] });
  const r = await observe(id, outs);
  expect(r.decision).toMatchObject({
    outcome: "delete",
    exists: true,
    imageName: outs.imageName,
    imageType: "PRIVATE_IMAGE",
    imageState: "NORMAL",
    managedShares: [BOB],
    unmanagedShares: [],
    sharesToCancel: [BOB],
    instancesInUse: [],
    reasons: [],
  });
  expect(r.image).toMatchObject({ imageId: id, imageState: "NORMAL" });
  expect(r.calls).toEqual(["DescribeImages", "DescribeImageSharePermission", ...SCAN]);
  expect(onlyLooks(r.calls)).toBe(true);
  expect((await describeImage(h, id)).ImageState).toBe("NORMAL");
});

test("busy: a CREATING image is looked at no further, unless lookAtBusy", async () => {
  await h.control("PATCH", "settings", { timing: { creatingMs: 5000 } });
  const made = await h.sdk().request("CreateImage", { InstanceId: "ins-web00001", ImageName: "obs-busy" });
  const id = made.ImageId as string;
  const outs = { region: "ap-guangzhou", imageName: "obs-busy", sharedWith: [] };
  const r = await observe(id, outs);
  expect(r.decision).toMatchObject({ outcome: "wait", imageState: "CREATING" });
  expect(r.decision.reasons[0]).toMatch(/^image is CREATING; the delete waits for it to settle/);
  expect(r.calls).toEqual(["DescribeImages"]);

  const whole = await observe(id, outs, { lookAtBusy: true });
  expect(whole.decision.outcome).toBe("wait");
  expect(whole.calls).toEqual(["DescribeImages", "DescribeImageSharePermission", ...SCAN]);
});

test("deleted but still listed: the share listing says it is gone, and nothing more is read", async () => {
  await h.control("PATCH", "settings", { timing: { deleteLagMs: 60_000 } });
  const { id, outs } = await up("obs-lagging", base);
  await h.sdk().request("DeleteImages", { ImageIds: [id] });
  expect(await describeImage(h, id)).not.toBeNull(); // DescribeImages still lists it
  const r = await observe(id, outs);
  expect(r.image).toBeNull();
  expect(r.decision).toMatchObject({ outcome: "gone", exists: false, imageName: outs.imageName });
  expect(r.calls).toEqual(["DescribeImages", "DescribeImageSharePermission"]);
});
