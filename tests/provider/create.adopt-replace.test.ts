/**
 * Switching a resource's source to `adoptImageId: <its own imageId>` is the same image: an in-place
 * update that records the adoption, never a replacement (which would delete the adopted image).
 */
import { BOB, change, describe as describeImage, provider, sharesOf, up, waitGone, useHarness } from "./harness";
import { withOutputDefaults } from "../../provider/src/schema/stored";

const h = useHarness();

describe("adopting the resource's own image", () => {
  test("explicit name: updated in place, the image survives and the outputs record the adoption", async () => {
    const { id, outs, inputs } = await up("self-named", {
      fromInstance: { instanceId: "ins-web00001" },
      imageName: "self-named-1",
      sharedWith: [BOB],
    });
    const props = { adoptImageId: id, imageName: "self-named-1", sharedWith: [BOB] };
    const u = await change("self-named", id, inputs, outs, props);
    expect(u.diff).toMatchObject({ changes: true, replaces: [] });
    expect(u.diff.deleteBeforeReplace).toBeFalsy();
    expect(u.outs).toMatchObject({
      imageId: id,
      imageName: "self-named-1",
      adopted: true,
      adoptImageId: id,
      sharedWith: [BOB],
      imageState: "NORMAL",
    });
    expect(u.outs!.fromInstance).toBeUndefined();
    expect((await describeImage(h, id)).ImageName).toBe("self-named-1");
    expect(await sharesOf(h, id)).toEqual([BOB]);

    // The next run is no change.
    const again = await change("self-named", id, u.news, u.outs!, props);
    expect(again.diff.changes).toBe(false);

    await provider.delete(id, u.outs!);
    await waitGone(h, id);
  });

  test("auto-name: the image keeps its name, and no call renames it", async () => {
    const { id, outs, inputs } = await up("self-auto", { fromInstance: { instanceId: "ins-web00001" } });
    await h.clearCalls();
    const u = await change("self-auto", id, inputs, outs, { adoptImageId: id });
    expect(u.diff).toMatchObject({ changes: true, replaces: [] });
    expect(withOutputDefaults(u.outs!)).toMatchObject({
      imageId: id,
      imageName: outs.imageName,
      adopted: true,
      adoptImageId: id,
      autoNamed: false,
    });
    expect((await h.counts()).ModifyImageAttribute ?? 0).toBe(0);
    expect((await describeImage(h, id)).ImageName).toBe(outs.imageName);

    const again = await change("self-auto", id, u.news, u.outs!, { adoptImageId: id });
    expect(again.diff.changes).toBe(false);

    await provider.delete(id, u.outs!);
    await waitGone(h, id);
  });
});
