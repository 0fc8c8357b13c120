/**
 * "In use" through an image family, against the emulator: an Auto Scaling launch configuration by
 * `ImageFamily` launches the family's current image (DescribeImageFromFamily), so deleting that
 * image warns (default) or blocks (`inUse.launchConfigurations: "block"`), naming the configuration,
 * the family and the image the family falls back to, or that none is left; under both
 * `familySkipsDeprecated` settings; an older member of the family is not in use; a refused
 * resolution warns or blocks as a refused scan does; the assessment says the same.
 */
import { assessDeletions } from "pulumi-tencentcloud-images";
import { describe as describeImage, provider, rejection, shownWhile, up, useHarness } from "./harness";

// The provider's per-process state, in the built package the shim requires.
const { resetProcess } =
  require("pulumi-tencentcloud-images/dist/cloud/process") as typeof import("../../provider/src/cloud/process");

const h = useHarness(async (harness) => {
  await harness.control("PATCH", "settings", { behaviour: { familySkipsDeprecated: true } });
  resetProcess();
});

const GZ = "ap-guangzhou";
let serial = 0;
const suffix = () => `${process.pid % 1000}${serial++}`.padStart(8, "0").slice(-8);

/** A member of a family: `[name, month of 2026, deprecated]`. */
type Member = [name: string, month: number, deprecated?: boolean];

/**
 * Seeds a family `f<id>` of images (owned by alice, made on the first of the month given) and one
 * launch configuration by that family; adopts the image named `target` so the provider can delete it.
 */
async function family(members: Member[], target: string, deletionPolicy: Record<string, unknown> = {}) {
  const id = suffix();
  const f = `fam${id}`;
  const ids = Object.fromEntries(members.map(([name], i) => [name, `img-f${id.slice(-6)}${i}`]));
  await h.control("POST", "fixtures", {
    images: members.map(([name, month, deprecated], i) => ({
      imageId: `img-f${id.slice(-6)}${i}`,
      owner: "alice",
      region: GZ,
      name: `${f}-${name}`,
      family: f,
      deprecated: deprecated ?? false,
      createdTime: `2026-${String(month).padStart(2, "0")}-01T00:00:00Z`,
    })),
    launchConfigurations: [
      { launchConfigurationId: `asc-${id}`, owner: "alice", region: GZ, name: `${f}-lc`, imageFamily: f },
    ],
  });
  const adopted = await up(`${f}-${target}`, { adoptImageId: ids[target], deletionPolicy });
  return { family: f, ids, configuration: `asc-${id}`, image: adopted };
}

/** Deletes the image, collecting the warnings the provider shows. */
async function deleteWithWarnings(image: { id: string; outs: Record<string, unknown> }): Promise<string> {
  return (await shownWhile(() => provider.delete(image.id, image.outs))).shown.join("\n");
}

const BLOCK = { inUse: { launchConfigurations: "block" } };

test("warn (default): deleted, naming the configuration, the family and the image it falls back to", async () => {
  const f = await family(
    [
      ["old", 1],
      ["cur", 2],
    ],
    "cur",
  );
  const text = await deleteWithWarnings(f.image);
  expect(await describeImage(h, f.image.id)).toBeNull();
  expect(text).toContain(
    `Auto Scaling launch configurations launch the image as their family's current image and their next ` +
      `scale-out launches what the family falls back to once it is deleted: ${f.configuration} "${f.family}-lc" ` +
      `(NORMAL) uses the image through family "${f.family}": after the delete the family falls back to ` +
      `${f.ids.old} "${f.family}-old"`,
  );
});

test("block: refused with the fallback named, the pinning command and the policy route; nothing changed", async () => {
  const f = await family(
    [
      ["old", 1],
      ["cur", 2],
    ],
    "cur",
    BLOCK,
  );
  const e = await rejection(provider.delete(f.image.id, f.image.outs));
  expect(e.message).toContain(`uses the image through family "${f.family}"`);
  expect(e.message).toContain(`the family falls back to ${f.ids.old} "${f.family}-old"`);
  expect(e.message).toContain(`deletionPolicy.inUse.launchConfigurations is "block"`);
  expect(e.message).toMatch(
    new RegExp(
      `tccli as ModifyLaunchConfigurationAttributes --region ap-guangzhou --endpoint \\S+ ` +
        `--LaunchConfigurationId ${f.configuration} --ImageId <another image>`,
    ),
  );
  expect(await describeImage(h, f.image.id)).not.toBeNull();
});

test.each([
  ["warn", {}],
  ["block", BLOCK],
])("no other image of the family (%s): the next scale-out fails", async (action, policy) => {
  const f = await family([["only", 3]], "only", policy);
  const expected = "no other available image of the family is left after the delete, so the next scale-out will fail";
  if (action === "warn") {
    expect(await deleteWithWarnings(f.image)).toContain(`through family "${f.family}": ${expected}`);
    expect(await describeImage(h, f.image.id)).toBeNull();
  } else {
    expect((await rejection(provider.delete(f.image.id, f.image.outs))).message).toContain(expected);
    expect(await describeImage(h, f.image.id)).not.toBeNull();
  }
});

describe("deprecated images, under both familySkipsDeprecated settings", () => {
  // old (Jan), cur (Feb), dep (Mar, deprecated).
  const members: Member[] = [
    ["old", 1],
    ["cur", 2],
    ["dep", 3, true],
  ];

  test("true (default): the newer deprecated image is skipped, so the fallback is the older one, for sure", async () => {
    const f = await family(members, "cur");
    const text = await deleteWithWarnings(f.image);
    expect(text).toContain(`through family "${f.family}": after the delete the family falls back to ${f.ids.old}`);
    expect(text).not.toContain("counts deprecated images");
  });

  test("false: the deprecated image is current; deleting cur is not in use, deleting dep falls back to cur", async () => {
    await h.control("PATCH", "settings", { behaviour: { familySkipsDeprecated: false } });
    const f = await family(members, "cur");
    expect(await deleteWithWarnings(f.image)).not.toContain("through family");
    const dep = await up(`${f.family}-dep`, { adoptImageId: f.ids.dep });
    resetProcess();
    // cur is gone now: dep falls back to old.
    const text = await deleteWithWarnings(dep);
    expect(text).toContain(`through family "${f.family}": after the delete the family falls back to ${f.ids.old}`);
    const g = await family(members, "dep");
    expect(await deleteWithWarnings(g.image)).toContain(
      `through family "${g.family}": after the delete the family falls back to ${g.ids.cur} "${g.family}-cur"`,
    );
  });

  test.each([true, false])(
    "when what the API answered does not tell (%s), both candidates are named",
    async (skips) => {
      await h.control("PATCH", "settings", { behaviour: { familySkipsDeprecated: skips } });
      // old (Jan), dep (Feb, deprecated), cur (Mar): cur is current either way.
      const f = await family(
        [
          ["old", 1],
          ["dep", 2, true],
          ["cur", 3],
        ],
        "cur",
      );
      expect(await deleteWithWarnings(f.image)).toContain(
        `after the delete the family falls back to ${f.ids.old} "${f.family}-old", or if DescribeImageFromFamily ` +
          `counts deprecated images (not documented) the deprecated ${f.ids.dep} "${f.family}-dep"`,
      );
    },
  );
});

test("an older member of a family whose current image is another image is not in use", async () => {
  const f = await family(
    [
      ["old", 1],
      ["cur", 2],
    ],
    "old",
    BLOCK,
  );
  expect(await deleteWithWarnings(f.image)).not.toContain("family");
  expect(await describeImage(h, f.image.id)).toBeNull();
});

test("a refused resolution warns (default) or blocks, naming the family, the cause and the permission", async () => {
  await h.control("POST", "faults", { action: "DescribeImageFromFamily", error: "UnauthorizedOperation" });
  const f = await family(
    [
      ["old", 1],
      ["cur", 2],
    ],
    "cur",
  );
  const text = await deleteWithWarnings(f.image);
  expect(text).toMatch(
    new RegExp(
      `the current image of family "${f.family}", which ${f.configuration} "${f.family}-lc" \\(NORMAL\\) launches, ` +
        `could not be resolved \\(.*UnauthorizedOperation.*\\), so the image may be what they launch; the delete goes on`,
    ),
  );
  resetProcess();
  const g = await family(
    [
      ["old", 1],
      ["cur", 2],
    ],
    "old",
    BLOCK,
  );
  const e = await rejection(provider.delete(g.image.id, g.image.outs));
  expect(e.message).toContain(`the current image of family "${g.family}"`);
  expect(e.message).toContain("give the credentials cvm:DescribeImageFromFamily");
  expect(await describeImage(h, g.image.id)).not.toBeNull();
});

test("the assessment (assessDeletions) says the same as the delete", async () => {
  const f = await family(
    [
      ["old", 1],
      ["cur", 2],
    ],
    "cur",
    BLOCK,
  );
  const older = await up(`${f.family}-old`, { adoptImageId: f.ids.old, deletionPolicy: BLOCK });
  const [cur, old] = await assessDeletions(
    [
      { imageId: f.image.id, outputs: f.image.outs },
      { imageId: older.id, outputs: older.outs },
    ],
    { env: process.env },
  );
  expect(cur!.outcome).toBe("blocked");
  expect(cur!.launchConfigurationsInUse).toEqual([
    {
      launchConfigurationId: f.configuration,
      launchConfigurationName: `${f.family}-lc`,
      status: "NORMAL",
      imageFamily: f.family,
      fallback: { image: { imageId: f.ids.old, imageName: `${f.family}-old` } },
    },
  ]);
  expect(old!.outcome).toBe("delete");
  expect(old!.launchConfigurationsInUse).toEqual([]);
  resetProcess();
  const e = await rejection(provider.delete(f.image.id, f.image.outs));
  for (const reason of cur!.reasons) expect(e.message).toContain(reason);
});
