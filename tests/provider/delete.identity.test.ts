// Identity before action: a state whose id now names another image (as after an emulator restart
// that handed the id out again, or a restored state) never acts on that other image.
import { assessDeletions } from "pulumi-tencentcloud-images";
import {
  change,
  describe as describeImage,
  provider,
  rejection,
  sharesOf,
  shownWhile,
  up,
  useHarness,
  BOB,
} from "./harness";

const h = useHarness();
const base = { fromInstance: { instanceId: "ins-web00001" } };
const URN = "urn:pulumi:dev::p::t::stale";

/** A state recorded for another image that had the same id: another name, made years ago. */
const staleOutputs = (outs: Record<string, any>) => ({
  ...outs,
  imageName: "app-a25aa05",
  createdTime: "2020-01-02T03:04:05Z",
  resourceUrn: URN,
});

test("delete: an id that names another image than the state recorded leaves that image alone, and the warning names both", async () => {
  const { id, outs } = await up("stale-delete", base);
  const { shown } = await shownWhile(() => provider.delete(id, staleOutputs(outs)));
  const live = await describeImage(h, id);
  expect(live).not.toBeNull();
  expect(live.ImageState).toBe("NORMAL");
  expect(shown).toHaveLength(1);
  expect(shown[0]).toContain(
    `image ${id} ("app-a25aa05") in ap-guangzhou: ${id} now names another image ("${outs.imageName}", created ${outs.createdTime})`,
  );
  expect(shown[0]).toContain(`than the one the state recorded ("app-a25aa05", created 2020-01-02T03:04:05Z)`);
  expect(shown[0]).toContain("it is not the stack's to delete and is left alone");
});

test("delete: with managed shares recorded, another image's shares are not cancelled", async () => {
  const { id, outs } = await up("stale-shared", { ...base, sharedWith: [BOB] });
  await provider.delete(id, staleOutputs(outs));
  expect(await sharesOf(h, id)).toEqual([BOB]);
  expect(await describeImage(h, id)).not.toBeNull();
});

test("delete: a state that recorded no creation time tells images apart by name", async () => {
  const { id, outs } = await up("stale-no-time", base);
  await provider.delete(id, { ...outs, imageName: "app-a25aa05", createdTime: "" });
  expect(await describeImage(h, id)).not.toBeNull();
});

test("delete: the same creation time under a new name is the same image renamed outside the stack, and is deleted", async () => {
  const { id, outs } = await up("renamed-outside", base);
  await h.sdk().request("ModifyImageAttribute", { ImageId: id, ImageName: "renamed-in-console" });
  await provider.delete(id, outs);
  const live = await describeImage(h, id);
  // DeleteImages was accepted: the delete returns once DescribeImages no longer lists it.
  expect(live).toBeNull();
});

test("refresh: drops the recorded image and leaves the other one, with a warning naming both", async () => {
  const { id, outs } = await up("stale-refresh", base);
  const { result, shown } = await shownWhile(() => provider.read(id, staleOutputs(outs)));
  expect(result).toEqual({ id: "", props: {} });
  expect(shown).toHaveLength(1);
  expect(shown[0]).toContain(`${id} now names another image ("${outs.imageName}"`);
  expect(shown[0]).toContain("the refresh drops the recorded image from the state and leaves this one alone");
  expect(await describeImage(h, id)).not.toBeNull();
});

test("update: refuses to change another image than the recorded one, and says how to go on", async () => {
  const { id, outs, inputs } = await up("stale-update", base);
  const olds = staleOutputs(outs);
  const e = await rejection(change("stale-update", id, inputs, olds, { ...base, imageDescription: "changed" }));
  expect(e.message).toContain(`${id} now names another image ("${outs.imageName}"`);
  expect(e.message).toContain("nothing was changed on it");
  expect(e.message).toContain("run `pulumi refresh` to drop it from the state, then `pulumi up` to create it again");
  expect((await describeImage(h, id)).ImageDescription).not.toBe("changed");
});

test("preflight assessment: another image under the recorded id is reported gone (nothing to delete), naming both", async () => {
  const { id, outs } = await up("stale-assess", base);
  const [r] = await assessDeletions([{ imageId: id, outputs: staleOutputs(outs) }], { env: process.env });
  expect(r!.outcome).toBe("gone");
  expect(r!.exists).toBe(false);
  expect(r!.imageName).toBe("app-a25aa05");
  expect(r!.reasons[0]).toContain(`${id} now names another image ("${outs.imageName}"`);
  expect(r!.warnings).toEqual(r!.reasons);
});
