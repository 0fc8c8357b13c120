import { assessDeletions } from "pulumi-tencentcloud-images";
import { BOB, CAROL, describe as describeImage, provider, rejection, up, useHarness } from "./harness";

const h = useHarness();

test("assesses a mixed plan with read-only calls and one instance scan per region", async () => {
  const base = { fromInstance: { instanceId: "ins-web00001" } };
  const managed = await up("a-managed", { ...base, sharedWith: [BOB] });
  const oob = await up("a-oob", { ...base, sharedWith: [BOB] });
  await h.sdk().request("ModifyImageSharePermission", { ImageId: oob.id, AccountIds: [CAROL], Permission: "SHARE" });
  const used = await up("a-used", { ...base, deletionPolicy: { instancesInUse: "block", deleteSnapshots: true } });
  await h.control("POST", "fixtures", {
    instances: [{ region: "ap-guangzhou", owner: "alice", name: "a-vm", imageId: used.id, systemDisk: {} }],
  });
  const sh = await up("a-sh", { fromInstance: { instanceId: "ins-sha00001" }, region: "ap-shanghai" });
  await h.control("PATCH", "settings", { timing: { creatingMs: 3000 } });
  const busy = (await h.sdk().request("CreateImage", { ImageName: "a-busy", InstanceId: "ins-web00001" }))
    .ImageId as string;

  await h.clearCalls();
  const result = await assessDeletions(
    [
      { urn: "urn:managed", imageId: managed.id, outputs: managed.outs },
      { imageId: oob.id, outputs: oob.outs },
      { imageId: used.id, outputs: used.outs },
      { imageId: "img-zzzz9999", outputs: { region: "ap-guangzhou", imageName: "old" } },
      { imageId: "img-bobs0001", outputs: { region: "ap-guangzhou" } },
      { imageId: sh.id, outputs: sh.outs },
      { imageId: busy, outputs: { region: "ap-guangzhou", imageName: "a-busy" } },
    ],
    { env: process.env },
  );
  expect(result.map((r) => r.outcome)).toEqual(["delete", "blocked", "blocked", "gone", "blocked", "delete", "wait"]);
  expect(result[0]).toMatchObject({
    imageId: managed.id,
    imageName: managed.outs.imageName,
    region: "ap-guangzhou",
    exists: true,
    imageState: "NORMAL",
    imageType: "PRIVATE_IMAGE",
    managedShares: [BOB],
    unmanagedShares: [],
    sharesToCancel: [BOB],
    deleteSnapshots: false,
  });
  expect(result[1]).toMatchObject({ managedShares: [BOB], unmanagedShares: [CAROL] });
  expect(result[1].reasons[0]).toMatch(/100000000003/);
  expect(result[2].instancesInUse).toEqual([expect.objectContaining({ instanceName: "a-vm", state: "RUNNING" })]);
  expect(result[2]).toMatchObject({ deleteSnapshots: true, snapshotIds: used.outs.snapshotIds });
  expect(result[3]).toMatchObject({ exists: false, imageName: "old" });
  expect(result[4].reasons[0]).toMatch(/not this account's custom image/);
  expect(result[5].region).toBe("ap-shanghai");
  expect(result[6]).toMatchObject({ imageState: "CREATING" });

  const counts = await h.counts();
  expect(counts.DescribeInstances).toBe(2); // once per region, not once per image
  for (const action of Object.keys(counts)) expect(action).toMatch(/^Describe/);

  // delete agrees with the assessment (same planner): the blocked one is refused for the same reason.
  const e = await rejection(provider.delete(oob.id, oob.outs));
  expect(e.message).toContain(result[1].reasons[0]);
  await h.control("PATCH", "settings", { timing: { creatingMs: 250 } });
});

test("dryRun asks DeleteImages with DryRun and deletes nothing", async () => {
  const img = await up("a-dry", { fromInstance: { instanceId: "ins-web00001" } });
  await h.clearCalls();
  const [r] = await assessDeletions([{ imageId: img.id, outputs: img.outs }], { dryRun: true });
  expect(r.outcome).toBe("delete");
  expect((await h.counts()).DeleteImages).toBe(1);
  expect(await describeImage(h, img.id)).not.toBeNull();
  await h.control("POST", "faults", { action: "DeleteImages", error: "InvalidImageId.IncorrectState", times: 1 });
  const [blocked] = await assessDeletions([{ imageId: img.id, outputs: img.outs }], { dryRun: true });
  expect(blocked.outcome).toBe("blocked");
  expect(blocked.reasons.join()).toMatch(/DryRun refused.*IncorrectState/);
});
