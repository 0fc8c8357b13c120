// Refresh (`provider.read`, provider/src/provider/read.ts): the outputs follow what the cloud shows
// (changes made outside the stack, with warnings naming them), a deleted image reads as an empty id,
// and a lookup-only read (`CustomImage.get`: no recorded outputs) records the region it read in.
import { BOB, CAROL, DAVE, PROVIDER_TEXT, provider, rejection, shownWhile, up, useHarness, waitGone } from "./harness";
import { withOutputDefaults } from "../../provider/src/schema/stored";

const h = useHarness();
const base = { fromInstance: { instanceId: "ins-web00001" } };
/** The actions called since the last `clearCalls`, in order. */
const actions = async () => ((await h.control("GET", "calls")).log as Array<{ action: string }>).map((c) => c.action);

test("changes made outside the stack show in the outputs, with a warning for each kind; a second refresh shows no drift", async () => {
  const { id, outs } = await up("read-drift", { ...base, imageDescription: "v1", sharedWith: [BOB, CAROL] });
  const sdk = h.sdk();
  await sdk.request("ModifyImageAttribute", { ImageId: id, ImageName: "renamed-oob", ImageDescription: "changed" });
  await sdk.request("ModifyImageSharePermission", { ImageId: id, AccountIds: [CAROL], Permission: "CANCEL" });
  await sdk.request("ModifyImageSharePermission", { ImageId: id, AccountIds: [DAVE], Permission: "SHARE" });
  await h.clearCalls();

  const { result, shown } = await shownWhile(() => provider.read(id, outs));
  expect(result.id).toBe(id);
  expect(result.props).toMatchObject({
    imageId: id,
    imageName: "renamed-oob",
    imageDescription: "changed",
    sharedWith: [BOB], // CAROL's share was cancelled outside: no longer managed
    unmanagedShares: [DAVE], // made outside: shown, not managed
    createdTime: outs.createdTime,
    region: "ap-guangzhou",
  });
  // The inputs the state recorded are kept (a refresh reads the image, not the program).
  expect(result.props.fromInstance).toEqual(outs.fromInstance);
  expect(shown).toHaveLength(2);
  expect(shown[0]).toMatch(
    new RegExp(`^image ${id} \\("renamed-oob"\\) changed outside the stack; the state now records it: `),
  );
  expect(shown[0]).toContain(`imageName: "${outs.imageName}" → "renamed-oob"`);
  expect(shown[0]).toContain('imageDescription: "v1" → "changed"');
  expect(shown[0]).toContain(`sharedWith: ${BOB}, ${CAROL} → ${BOB}`);
  expect(shown[1]).toContain(`image ${id} ("renamed-oob") is shared with 1 account (${DAVE}) outside the stack`);
  // Only looks.
  expect((await actions()).every((a) => a.startsWith("Describe"))).toBe(true);

  // Refreshing the refreshed outputs: nothing drifted; the share made outside is still pointed out.
  const again = await shownWhile(() => provider.read(id, { ...result.props, __provider: PROVIDER_TEXT }));
  expect(again.result.props).toMatchObject({ imageName: "renamed-oob", unmanagedShares: [DAVE] });
  expect(again.shown).toEqual([shown[1]]);
});

test("an image deleted outside the stack reads as an empty id (the engine drops it), with no warning", async () => {
  const { id, outs } = await up("read-deleted", base);
  await h.sdk().request("DeleteImages", { ImageIds: [id] });
  await waitGone(h, id);
  const { result, shown } = await shownWhile(() => provider.read(id, outs));
  expect(result).toEqual({ id: "", props: {} });
  expect(shown).toEqual([]);
});

describe("a lookup-only read (CustomImage.get: no recorded outputs)", () => {
  let savedRegion: string | undefined;
  beforeAll(() => void (savedRegion = process.env.TENCENTCLOUD_REGION));
  afterEach(() => void (process.env.TENCENTCLOUD_REGION = savedRegion));

  test("records the region it read in, from the defaults when none is given", async () => {
    process.env.TENCENTCLOUD_REGION = "ap-shanghai";
    await h.clearCalls();
    const r = await provider.read("img-pub00002", { resourceName: "os", __provider: PROVIDER_TEXT });
    expect(r.id).toBe("img-pub00002");
    expect(r.props).toMatchObject({ imageId: "img-pub00002", region: "ap-shanghai", imageType: "PUBLIC_IMAGE" });
    // A public image has no shares to list.
    expect(await actions()).toEqual(["DescribeImages"]);
    // The same id in the default region's neighbour is not found: the region is the one read in.
    const elsewhere = await provider.read("img-pub00002", {
      resourceName: "os",
      region: "ap-guangzhou",
      __provider: PROVIDER_TEXT,
    });
    expect(elsewhere).toEqual({ id: "", props: {} });
  });

  test("shows this account's image's shares as unmanaged, manages none, and warns of nothing", async () => {
    const { id } = await up("read-lookup", base);
    await h.sdk().request("ModifyImageSharePermission", { ImageId: id, AccountIds: [DAVE], Permission: "SHARE" });
    const { result, shown } = await shownWhile(() =>
      provider.read(id, { resourceName: "looked-up", region: "ap-guangzhou", __provider: PROVIDER_TEXT }),
    );
    expect(withOutputDefaults(result.props)).toMatchObject({
      imageId: id,
      sharedWith: [],
      unmanagedShares: [DAVE],
      adopted: false,
    });
    expect(shown).toEqual([]);
  });
});

test("a failed read says a refresh only reads and left the state as it was", async () => {
  const { id, outs } = await up("read-refused", base);
  await h.control("POST", "faults", {
    action: "DescribeImages",
    imageId: id,
    error: "UnauthorizedOperation.PermissionDenied",
  });
  const e = await rejection(provider.read(id, outs));
  expect(e.message).toMatch(new RegExp(`^Failed to read image ${id} \\("${outs.imageName}"\\) in ap-guangzhou\\.`));
  expect(e.message).toMatch(/Cause: .*UnauthorizedOperation\.PermissionDenied/);
  expect(e.message).toContain("Already done: nothing was changed.");
  expect(e.message).toMatch(/a refresh only reads, and the state was left as it was\.$/);
});
