// imageDeprecated, the input added as one row of the property table: set at creation once the image
// is NORMAL (CreateImage has no such field), changed in place with ModifyImageAttribute's
// ImageDeprecated, and read back from DescribeImages, out-of-band changes included.
import { change, describe as describeImage, provider, up, useHarness } from "./harness";
import { withOutputDefaults } from "../../provider/src/schema/stored";

const h = useHarness();

test("created deprecated: the flag is set after NORMAL and shows in the cloud and the outputs", async () => {
  await h.clearCalls();
  const { id, outs } = await up("old-base", { fromInstance: { instanceId: "ins-web00001" }, imageDeprecated: true });
  expect(outs).toMatchObject({ imageId: id, imageState: "NORMAL", imageDeprecated: true });
  expect((await describeImage(h, id)).ImageDeprecated).toBe(true);
  expect((await h.counts()).ModifyImageAttribute).toBe(1);
  await provider.delete(id, outs);
});

test("by default nothing is sent and the output is false", async () => {
  await h.clearCalls();
  const { id, outs } = await up("plain", { fromInstance: { instanceId: "ins-web00001" } });
  expect(withOutputDefaults(outs).imageDeprecated).toBe(false);
  expect((await h.counts()).ModifyImageAttribute ?? 0).toBe(0);
  await provider.delete(id, outs);
});

test("changed in place through ModifyImageAttribute; refresh reads an out-of-band change back", async () => {
  const props = { fromInstance: { instanceId: "ins-web00001" } };
  const { id, outs, inputs } = await up("web", props);

  await h.clearCalls();
  const u = await change("web", id, inputs, outs, { ...props, imageDeprecated: true });
  expect(u.diff).toMatchObject({
    changes: true,
    replaces: [],
    detailedDiff: { imageDeprecated: { kind: "update", inputDiff: false } },
  });
  expect(u.outs).toMatchObject({ imageId: id, imageDeprecated: true });
  expect((await describeImage(h, id)).ImageDeprecated).toBe(true);
  expect((await h.counts()).ModifyImageAttribute).toBe(1);

  // Out of band: un-deprecated in the console. Refresh shows it; the next up sets it again.
  await h.sdk().request("ModifyImageAttribute", { ImageId: id, ImageDeprecated: false });
  const r = await provider.read(id, u.outs!);
  expect(withOutputDefaults(r.props).imageDeprecated).toBe(false);
  const again = await change(
    "web",
    id,
    u.news,
    { ...r.props, __provider: u.outs!.__provider },
    { ...props, imageDeprecated: true },
  );
  expect(again.diff).toMatchObject({
    changes: true,
    replaces: [],
    detailedDiff: { imageDeprecated: { kind: "update", inputDiff: false } },
  });
  expect((await describeImage(h, id)).ImageDeprecated).toBe(true);

  // Removing the input un-deprecates an image this resource created.
  const off = await change("web", id, again.news, again.outs!, props);
  expect((off.diff as { detailedDiff?: unknown }).detailedDiff).toEqual({
    imageDeprecated: { kind: "delete", inputDiff: false },
  });
  expect((await describeImage(h, id)).ImageDeprecated).toBe(false);
  await provider.delete(id, off.outs!);
});

test("an adopted image keeps its flag unless the program sets it", async () => {
  const made = await up("to-adopt", { fromInstance: { instanceId: "ins-web00001" }, imageDeprecated: true });
  const adopted = await up("adopter", { adoptImageId: made.id });
  expect(adopted.outs).toMatchObject({ adopted: true, imageDeprecated: true });
  const u = await change("adopter", made.id, adopted.inputs, adopted.outs, {
    adoptImageId: made.id,
    imageDeprecated: false,
  });
  expect(withOutputDefaults(u.outs!)).toMatchObject({ imageDeprecated: false });
  expect((await describeImage(h, made.id)).ImageDeprecated).toBe(false);
  await provider.delete(made.id, u.outs!);
});
