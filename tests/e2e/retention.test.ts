// `ImageRetention` through the real Pulumi CLI and language host, against the emulator (issue 22):
// a family of 30 seeded images of different ages is reduced to the kept set, each image's action and
// reason in the outputs and the state; a second preview and up with nothing due change nothing;
// staged retirement (deprecate, then delete after the dwell) advances across ups and reverses when an
// image comes back into the keep set; destroying the stack deletes no image.
import * as path from "node:path";
import { callLog, control, describeImage } from "../support/cloud";
import { expectNoCredentialsInState, newStack, startWorld, type E2EWorld } from "../support/e2e";
import type { TestStack } from "../support/stack";
import { repoRoot } from "../support/toolchain";

jest.setTimeout(240_000);

const RETENTION_TYPE = "pulumi-nodejs:dynamic/tencentcloud-images:ImageRetention";
const programDir = path.join(repoRoot, "tests", "e2e", "retention-program");
const DAY = 86_400_000;

/** The dwell of the staged retention: long enough for a preview and two ups, short enough to wait out. */
const DWELL_S = 60;

/** The family of 30 (image i made i + 1 days ago) and the staged family of 3. */
const FAMILY = "e2eweb";
const STAGED = "e2eapi";
const familyIds = Array.from({ length: 30 }, (_, i) => `img-e2ew00${String(i).padStart(2, "0")}`);
const stagedIds = Array.from({ length: 3 }, (_, i) => `img-e2ea000${i}`);

/**
 * In the family of 30: image 0 is the newest (kept) but deprecated by hand, so a launch configuration
 * by family scales out from image 1, which keepNewest 1 would otherwise retire; image 10 is shared
 * with bob outside the stack; image 15 is named by a launch configuration by id; image 20 is adopted
 * by a CustomImage of the stack.
 */
const KEPT = { newest: 0, familyCurrent: 1, shared: 10, launchConfiguration: 15, managed: 20 } as const;

let world: E2EWorld;
let stack: TestStack;
beforeAll(async () => {
  world = await startWorld();
  stack = await newStack(world, programDir);
  const region = world.emu.env("alice").TENCENTCLOUD_REGION!;
  const image = (imageId: string, name: string, family: string, ageDays: number) => ({
    imageId,
    owner: "alice",
    region,
    name,
    family,
    createdTime: new Date(Date.now() - ageDays * DAY).toISOString(),
  });
  await control(world.emu, "POST", "fixtures", {
    images: [
      ...familyIds.map((id, i) => ({
        ...image(id, `web-${String(i).padStart(2, "0")}`, FAMILY, i + 1),
        ...(i === KEPT.newest ? { deprecated: true } : {}),
        ...(i === KEPT.shared ? { sharedWith: [{ accountId: "bob" }] } : {}),
      })),
      ...stagedIds.map((id, i) => image(id, `api-${i}`, STAGED, i + 1)),
    ],
    launchConfigurations: [
      { launchConfigurationId: "asc-e2eret01", owner: "alice", region, name: "web-by-family", imageFamily: FAMILY },
      {
        launchConfigurationId: "asc-e2eret02",
        owner: "alice",
        region,
        name: "web-pinned",
        imageId: familyIds[KEPT.launchConfiguration],
      },
    ],
  });
});
afterAll(async () => {
  stack?.dispose();
  await world?.emu.stop();
});

/** The program's config: the adopted image, the family's retention, the staged one. */
function declare(stagedKeepNewest: number): void {
  stack.setConfig({
    "e2e-retention:images": [{ name: "pinned", args: { adoptImageId: familyIds[KEPT.managed] }, retainOnDelete: true }],
    "e2e-retention:retentions": [
      { name: "web-images", args: { family: FAMILY, keepNewest: 1 } },
      {
        name: "api-images",
        args: { family: STAGED, keepNewest: stagedKeepNewest, retire: { deprecate: `${DWELL_S}s` } },
      },
    ],
  });
}

/** The preview's operation on each retention, by name (`same` when the preview lists no step for it). */
async function retentionOps(): Promise<Record<string, string>> {
  const preview = await stack.previewJson();
  const steps = preview.steps.filter((s: any) => (s.newState ?? s.oldState)?.type === RETENTION_TYPE);
  return {
    "web-images": "same",
    "api-images": "same",
    ...Object.fromEntries(steps.map((s: any) => [s.urn.split("::").pop(), s.op])),
  };
}

/** Each image's decision in the stack outputs, by image id. */
async function decisions(retention: string): Promise<Record<string, any>> {
  const { decisions } = await stack.outputs();
  return Object.fromEntries((decisions[retention] as any[]).map((d) => [d.imageId, d]));
}

/** Which of the ids still exist. */
async function existing(ids: string[]): Promise<string[]> {
  const found = await Promise.all(ids.map(async (id) => ((await describeImage(world.alice, id)) ? id : undefined)));
  return found.filter((id): id is string => id !== undefined);
}

/** The calls the emulator saw that change something. */
const writes = async () => (await callLog(world.emu)).filter((c) => !c.action.startsWith("Describe"));

const retentionTags = (image: any) => (image.Tags ?? []).filter((t: any) => t.Key.startsWith("retention:"));

/** When the staged images' dwell ends (their `nextStageDue` after the first up). */
let stagedDue = 0;

test("preview shows the retentions to create; up reduces the family of 30 to the kept set, each image with its reason", async () => {
  declare(1);
  expect(await retentionOps()).toEqual({ "web-images": "create", "api-images": "create" });
  expect(await writes()).toEqual([]);

  const up = await stack.up();
  expect(up.code).toBe(0);

  const kept = Object.values(KEPT).map((i) => familyIds[i]!);
  expect(await existing(familyIds)).toEqual(kept.sort());

  const web = await decisions("web-images");
  expect(Object.keys(web).sort()).toEqual([...familyIds].sort());
  const reasonOf = (i: number) => web[familyIds[i]!];
  expect(reasonOf(KEPT.newest)).toMatchObject({ action: "keep", reason: expect.stringContaining("1 newest") });
  expect(reasonOf(KEPT.familyCurrent)).toMatchObject({
    action: "keep",
    reason: expect.stringMatching(/launch configuration[\s\S]*asc-e2eret01/i),
  });
  expect(reasonOf(KEPT.shared)).toMatchObject({ action: "keep", reason: expect.stringContaining(world.uins.bob) });
  expect(reasonOf(KEPT.launchConfiguration)).toMatchObject({
    action: "keep",
    reason: expect.stringMatching(/launch configuration[\s\S]*asc-e2eret02/i),
  });
  expect(reasonOf(KEPT.managed)).toEqual(
    expect.objectContaining({ action: "keep", reason: "managed by a CustomImage of this stack" }),
  );
  for (const [i, id] of familyIds.entries())
    if (!kept.includes(id))
      expect(web[id]).toMatchObject({ action: "delete", reason: `number ${i + 1}, past the 1 newest` });
  expect((await stack.outputs()).summaries["web-images"]).toEqual({ keep: 5, delete: 25 });

  // The same decisions are in the state, read the way a user would.
  const { json } = await stack.exportState(true);
  const state = json.deployment.resources.find((r: any) => r.type === RETENTION_TYPE && r.urn.endsWith("::web-images"));
  expect(state.outputs.images).toEqual((await stack.outputs()).decisions["web-images"]);

  // The staged family: the two older images are deprecated, their stage recorded in tags.
  const api = await decisions("api-images");
  expect(api[stagedIds[0]!].action).toBe("keep");
  for (const id of stagedIds.slice(1)) {
    expect(api[id]).toMatchObject({ action: "deprecate", nextStageDue: expect.any(String) });
    const image = await describeImage(world.alice, id);
    expect(image.ImageDeprecated).toBe(true);
    expect(Object.fromEntries(retentionTags(image).map((t: any) => [t.Key, t.Value]))).toEqual({
      "retention:stage": "deprecated",
      "retention:since": expect.any(String),
    });
  }
  expect(await existing(stagedIds)).toEqual(stagedIds);
  stagedDue = Date.parse(api[stagedIds[2]!].nextStageDue);
  expect(stagedDue).toBeGreaterThan(Date.now());
});

test("with nothing due, a second preview shows no change and a second up changes nothing", async () => {
  await control(world.emu, "DELETE", "calls");
  expect(await retentionOps()).toEqual({ "web-images": "same", "api-images": "same" });
  const up = await stack.up();
  expect(up.code).toBe(0);
  expect(await writes()).toEqual([]);
  const api = await decisions("api-images");
  for (const id of stagedIds.slice(1)) expect(api[id]).toMatchObject({ action: "deprecate" });
  expect(Date.now()).toBeLessThan(stagedDue); // else DWELL_S is too short for this machine
});

test("an image back in the keep set before its delete is restored: not deprecated, no retention tags", async () => {
  declare(2);
  expect((await retentionOps())["api-images"]).toBe("update");
  const up = await stack.up();
  expect(up.code).toBe(0);
  expect(Date.now()).toBeLessThan(stagedDue); // else DWELL_S is too short for this machine

  const api = await decisions("api-images");
  expect(api[stagedIds[1]!]).toMatchObject({ action: "restore", stage: "deprecated" });
  expect(api[stagedIds[2]!]).toMatchObject({ action: "wait", stage: "deprecated" });
  const restored = await describeImage(world.alice, stagedIds[1]!);
  expect(restored.ImageDeprecated).toBe(false);
  expect(retentionTags(restored)).toEqual([]);
  expect((await describeImage(world.alice, stagedIds[2]!)).ImageDeprecated).toBe(true);
});

test("after the dwell, the next up deletes the staged image; then nothing is due", async () => {
  const wait = stagedDue + 500 - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  expect((await retentionOps())["api-images"]).toBe("update");
  const up = await stack.up();
  expect(up.code).toBe(0);
  expect((await decisions("api-images"))[stagedIds[2]!]).toMatchObject({ action: "delete" });
  expect(await existing(stagedIds)).toEqual(stagedIds.slice(0, 2));
  expect(await retentionOps()).toEqual({ "web-images": "same", "api-images": "same" });
});

test("destroy forgets the retentions and deletes no image; the state holds no credential", async () => {
  await expectNoCredentialsInState(stack, world);
  const before = [...(await existing(familyIds)), ...(await existing(stagedIds))];
  expect(before).toEqual([...Object.values(KEPT).map((i) => familyIds[i]!), ...stagedIds.slice(0, 2)]);
  await control(world.emu, "DELETE", "calls");
  const destroy = await stack.destroy();
  expect(destroy.code).toBe(0);
  const said = destroy.stdout + destroy.stderr;
  expect(said).toMatch(/no image was deleted \(a retention only forgets\)/);
  // The staged image was deleted and the other restored: none is left mid-retirement.
  expect(said).not.toMatch(/mid-retirement/);
  expect(await writes()).toEqual([]);
  expect([...(await existing(familyIds)), ...(await existing(stagedIds))]).toEqual(before);
});
