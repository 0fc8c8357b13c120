/**
 * Every describe of the process goes through the shared describe (`cloud/describes.ts`), for each
 * caller: refresh (`read`), update (its first and final looks), adoption (the create's look and its
 * final look), delete (its first look, and its looks until the image is gone). On a fake clock: a
 * lone describe is not held (it completes without any time passing), and many at once share calls
 * (DescribeImages per image well under one); refreshes, creates and deletes, more than eight at
 * once, wait up to CROWD_SHARE_WINDOW_MS (a delete's first look, DELETE_CROWD_SHARE_WINDOW_MS) of
 * (fake) time to share.
 */
import { FakeClock } from "../support/fake-clock";
import { change, provider, up, useHarness } from "./harness";

const { processState, resetProcess } =
  require("pulumi-tencentcloud-images/dist/cloud/process") as typeof import("../../provider/src/cloud/process");

const h = useHarness();
let clock: FakeClock;
beforeEach(() => {
  clock = new FakeClock();
  resetProcess({ clock });
});
afterAll(() => resetProcess());

/**
 * Runs `work`, moving the fake clock by `stepMs` whenever nothing else is left to do, for at most 20 s
 * of real time. With `stepMs` 0 the clock never moves: only what is due now fires, so a held look would never go.
 */
async function driven<T>(work: Promise<T>, stepMs: number): Promise<T> {
  let settled = false;
  void work.then(
    () => (settled = true),
    () => (settled = true),
  );
  const stopAt = Date.now() + 20_000;
  while (!settled && Date.now() < stopAt) {
    await clock.advance(stepMs);
    await new Promise((r) => setTimeout(r, 2));
  }
  if (!settled)
    throw new Error(stepMs ? "still waiting after 20 s of real time" : "a describe was held: no fake time passed");
  return work;
}
const withoutTimePassing = <T>(work: Promise<T>) => driven(work, 0);
const withTimePassing = <T>(work: Promise<T>) => driven(work, 100);

let serial = 0;
/** Seeds `n` images of alice and adopts them (on the real clock), returning the resources. */
async function adopted(n: number) {
  const t = `${process.pid % 1000}${serial++}`.padStart(5, "0").slice(-5);
  const ids = Array.from({ length: n }, (_, i) => `img-dc${t}${String(i).padStart(2, "0")}`);
  await h.control("POST", "fixtures", {
    images: ids.map((imageId, i) => ({ imageId, owner: "alice", region: "ap-guangzhou", name: `dc-${t}-${i}` })),
  });
  const adopt = Promise.all(ids.map((id, i) => up(`dc-${t}-${i}`, { adoptImageId: id })));
  // More than eight at once wait (fake) time to share their describes; one alone does not.
  const resources = await (n > 8 ? withTimePassing(adopt) : withoutTimePassing(adopt));
  return resources;
}

const describes = async () => (await h.counts()).DescribeImages ?? 0;

test("adoption: a lone adoption is not held; 20 at once share their describes", async () => {
  await h.clearCalls();
  await adopted(1);
  expect(await describes()).toBeGreaterThanOrEqual(1);
  await h.clearCalls();
  await adopted(20);
  expect(await describes()).toBeLessThanOrEqual(6);
});

test("refresh (read): a lone read is not held; 20 at once share their describes", async () => {
  const images = await adopted(20);
  await h.clearCalls();
  const one = await withoutTimePassing(provider.read(images[0]!.id, images[0]!.outs));
  expect(one.id).toBe(images[0]!.id);
  expect(await describes()).toBe(1);
  await h.clearCalls();
  const all = await withTimePassing(Promise.all(images.map((r) => provider.read(r.id, r.outs))));
  expect(all.map((r) => r.id)).toEqual(images.map((r) => r.id));
  expect(await describes()).toBeLessThanOrEqual(3);
});

test("update: a lone update is not held; 20 at once share their first and final looks", async () => {
  const images = await adopted(20);
  const retag = (r: (typeof images)[number], value: string) =>
    change(r.outs.resourceName, r.id, r.inputs, r.outs, { adoptImageId: r.id, tags: { pass: value } });
  await h.clearCalls();
  await withoutTimePassing(retag(images[0]!, "one"));
  expect(await describes()).toBeLessThanOrEqual(2);
  await h.clearCalls();
  await withoutTimePassing(Promise.all(images.map((r) => retag(r, "all"))));
  // Two looks per update (before and after the change): 40 for 20 alone. The first looks share one
  // or two calls; each final look follows its tag call, which the Tag API's rate spaces out, so most
  // of those go alone (a describe is never held back to wait for company).
  expect(await describes()).toBeLessThanOrEqual(25);
});

test("delete: counted among the operations in flight while it runs; 20 at once share their describes", async () => {
  const images = await adopted(20);
  // A delete times its waits from the real clock (when DeleteImages was accepted, its deadline): the fake one starts there.
  await clock.advance(Date.now() - clock.now());
  await h.clearCalls();
  const inFlight: number[] = [];
  const deleting = Promise.all(images.map((r) => provider.delete(r.id, r.outs)));
  inFlight.push(processState.operationsInFlight);
  // The fake clock moves 5 × as fast as the real one (looks at the image waited for come a little
  // early against the emulator's real lag, and are counted; faster, they would be many more).
  await driven(deleting, 10);
  inFlight.push(processState.operationsInFlight);
  // Counted, so that more than eight at once wait for company (DELETE_CROWD_SHARE_WINDOW_MS).
  expect(inFlight).toEqual([20, 0]);
  // 20 first looks and 20 waits for gone: 40 describes alone (7 in a quiet run).
  expect(await describes()).toBeLessThanOrEqual(16);
});
