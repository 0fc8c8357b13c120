// An in-place update's plan applied to the image (provider/src/provider/apply-changes.ts): the
// attributes (one ModifyImageAttribute), then the tags (ModifyResourceTags), then the shares to add,
// then those to cancel, each only as far as the cloud differs from what is wanted; a step that fails
// stops the rest, and the message lists what was done ("Already done"), in order, and what may have
// been (a lost answer).
import {
  BOB,
  CAROL,
  DAVE,
  change,
  describe as describeImage,
  provider,
  rejection,
  sharesOf,
  shownWhile,
  up,
  useHarness,
} from "./harness";

const h = useHarness();
/** check + diff + update, the warnings of the preview (sharedWith changes) collected instead of printed. */
const quietly = (...args: Parameters<typeof change>) => shownWhile(() => change(...args)).then((r) => r.result);
const MODIFYING = new Set(["ModifyImageAttribute", "ModifyResourceTags", "ModifyImageSharePermission"]);

beforeAll(() => {
  delete process.env.TENCENTCLOUD_TAG_ENDPOINT; // the Tag API goes to TENCENTCLOUD_CVM_ENDPOINT: the emulator
});

const base = { fromInstance: { instanceId: "ins-web00001" } };
/** The changing calls since the last `clearCalls`, in order, with the error each got. */
const changingCalls = async () =>
  ((await h.control("GET", "calls")).log as Array<{ action: string; errorCode?: string; dropped?: boolean }>)
    .filter((c) => MODIFYING.has(c.action))
    .map((c) => (c.errorCode ? `${c.action}: ${c.errorCode}` : c.dropped ? `${c.action}: dropped` : c.action));
const liveTags = async (id: string) =>
  Object.fromEntries(
    ((await describeImage(h, id)).Tags as { Key: string; Value: string }[]).map((t) => [t.Key, t.Value]),
  );

/** An image with a description, two tags and a managed share with BOB, plus a share with DAVE made outside the stack. */
async function image(name: string) {
  const props = { ...base, imageDescription: "v1", tags: { team: "a", old: "x" }, sharedWith: [BOB] };
  const made = await up(name, props);
  await h.sdk().request("ModifyImageSharePermission", { ImageId: made.id, AccountIds: [DAVE], Permission: "SHARE" });
  await h.clearCalls();
  return { ...made, props };
}
const wanted = { ...base, imageDescription: "v2", tags: { team: "b", added: "n" }, sharedWith: [CAROL] };

test("every kind of change, in order: attributes, tags, shares made, shares cancelled; a share made outside is kept", async () => {
  const { id, inputs, outs } = await image("apply-all");
  const u = await quietly("apply-all", id, inputs, outs, wanted);
  expect(u.diff).toMatchObject({ changes: true, replaces: [] });
  expect(await changingCalls()).toEqual([
    "ModifyImageAttribute",
    "ModifyResourceTags",
    "ModifyImageSharePermission", // SHARE with CAROL
    "ModifyImageSharePermission", // CANCEL BOB's
  ]);
  const live = await describeImage(h, id);
  expect(live).toMatchObject({ ImageDescription: "v2", ImageName: outs.imageName, ImageState: "NORMAL" });
  expect(await liveTags(id)).toEqual({ team: "b", added: "n" });
  expect(await sharesOf(h, id)).toEqual([CAROL, DAVE].sort());
  expect(u.outs).toMatchObject({
    imageId: id,
    imageDescription: "v2",
    tags: { team: "b", added: "n" },
    sharedWith: [CAROL],
    unmanagedShares: [DAVE],
  });
});

test("computed against the cloud: what is already as wanted is not changed again", async () => {
  const { id, outs } = await image("apply-some");
  // Outside the stack: the description and one tag already as wanted, CAROL already shared, BOB's share gone.
  await h.sdk().request("ModifyImageAttribute", { ImageId: id, ImageDescription: "v2" });
  await h.sdk().request("ModifyImageSharePermission", { ImageId: id, AccountIds: [CAROL], Permission: "SHARE" });
  await h.sdk().request("ModifyImageSharePermission", { ImageId: id, AccountIds: [BOB], Permission: "CANCEL" });
  await h.clearCalls();
  const u = await provider.update(id, outs, { ...outs, ...wanted });
  // Only the tags differ: no ModifyImageAttribute, no share call.
  expect(await changingCalls()).toEqual(["ModifyResourceTags"]);
  expect(await liveTags(id)).toEqual({ team: "b", added: "n" });
  expect(await sharesOf(h, id)).toEqual([CAROL, DAVE].sort());
  expect(u.outs).toMatchObject({ imageDescription: "v2", sharedWith: [CAROL], unmanagedShares: [DAVE] });

  // Nothing left to change: no changing call at all.
  await h.clearCalls();
  await provider.update(id, u.outs, { ...u.outs, ...wanted });
  expect(await changingCalls()).toEqual([]);
});

test("a refused share stops the rest: the message lists the attributes and tags as done, in order, and nothing is cancelled", async () => {
  const { id, inputs, outs } = await image("apply-refused");
  await h.control("POST", "faults", {
    action: "ModifyImageSharePermission",
    imageId: id,
    error: "UnauthorizedOperation.PermissionDenied",
  });
  const e = await rejection(quietly("apply-refused", id, inputs, outs, wanted));
  expect(e.message).toMatch(new RegExp(`^Failed to update image ${id} \\("${outs.imageName}"\\) in ap-guangzhou\\.`));
  expect(e.message).toMatch(/Cause: .*UnauthorizedOperation\.PermissionDenied/);
  expect(e.message).toContain("\nAlready done: changed imageDescription, then updated tags.\n");
  expect(e.message).toContain("the update starts from what the cloud shows, so finished steps are not repeated");
  // The SHARE was refused (once: not retried) and the CANCEL never tried.
  expect(await changingCalls()).toEqual([
    "ModifyImageAttribute",
    "ModifyResourceTags",
    "ModifyImageSharePermission: UnauthorizedOperation.PermissionDenied",
  ]);
  expect((await describeImage(h, id)).ImageDescription).toBe("v2");
  expect(await liveTags(id)).toEqual({ team: "b", added: "n" });
  expect(await sharesOf(h, id)).toEqual([BOB, DAVE].sort());
  expect(e.id).toBe(id);
  expect(e.properties).toMatchObject({ imageDescription: "v2", tags: { team: "b", added: "n" } });
  // The engine records the image as the cloud shows it: BOB still managed (and shared), so the next update cancels it.
  expect(e.properties).toMatchObject({ sharedWith: [BOB], unmanagedShares: [DAVE] });
});

test("a lost answer: the step is reported as one that may have taken effect, and the later steps are not run", async () => {
  const { id, inputs, outs } = await image("apply-lost");
  // Every ModifyResourceTags takes effect but its answer is lost (retries included).
  await h.control("POST", "faults", { action: "ModifyResourceTags", dropAfter: true });
  const e = await rejection(quietly("apply-lost", id, inputs, outs, wanted));
  expect(e.message).toContain(
    "\nAlready done: changed imageDescription, then updating the tags got no clear answer, so it may have taken effect.\n",
  );
  const calls = await changingCalls();
  expect(calls[0]).toBe("ModifyImageAttribute");
  expect(calls.slice(1).every((c) => c === "ModifyResourceTags: dropped")).toBe(true);
  expect(calls.length).toBeGreaterThan(1);
  expect(await sharesOf(h, id)).toEqual([BOB, DAVE].sort());
});

test("a refused cancel after the share: the share is listed as done after the attributes and tags", async () => {
  const { id, inputs, outs } = await image("apply-cancel-refused");
  // The first share call (SHARE with CAROL) passes; the next (CANCEL of BOB's) is refused.
  await h.control("POST", "faults", [
    { action: "ModifyImageSharePermission", imageId: id, delayMs: 1, times: 1 },
    { action: "ModifyImageSharePermission", imageId: id, error: "UnauthorizedOperation.PermissionDenied" },
  ]);
  const e = await rejection(quietly("apply-cancel-refused", id, inputs, outs, wanted));
  expect(e.message).toContain(
    `\nAlready done: changed imageDescription, then updated tags, then shared with 1 account (${CAROL}).\n`,
  );
  expect(await changingCalls()).toEqual([
    "ModifyImageAttribute",
    "ModifyResourceTags",
    "ModifyImageSharePermission",
    "ModifyImageSharePermission: UnauthorizedOperation.PermissionDenied",
  ]);
  expect(await sharesOf(h, id)).toEqual([BOB, CAROL, DAVE].sort());
});
