// getImage({ family }) against the emulator: the family's current image (DescribeImageFromFamily),
// none (the same "no image matches" error), and the combinations refused before any call.
import { getImage, getImageOutput, LookupError } from "pulumi-tencentcloud-images";
import { rejection, useHarness } from "./harness";

const h = useHarness();

beforeAll(async () => {
  await h.control("POST", "fixtures", {
    images: [
      {
        region: "ap-guangzhou",
        owner: "alice",
        name: "lf-web-1",
        family: "lf-web",
        createdTime: "2026-01-01T00:00:00Z",
      },
      {
        region: "ap-guangzhou",
        owner: "alice",
        name: "lf-web-2",
        family: "lf-web",
        createdTime: "2026-02-01T00:00:00Z",
      },
      {
        region: "ap-guangzhou",
        owner: "alice",
        name: "lf-web-3",
        family: "lf-web",
        deprecated: true,
        createdTime: "2026-03-01T00:00:00Z",
      },
      { region: "ap-guangzhou", owner: "bob", name: "lf-bob", family: "lf-bob", createdTime: "2026-01-01T00:00:00Z" },
    ],
  });
});

test("found: the family's current image (deprecated ones skipped by default), through DescribeImageFromFamily", async () => {
  await h.clearCalls();
  const found = await getImage({ family: "lf-web" });
  expect(found).toMatchObject({ imageName: "lf-web-2", imageFamily: "lf-web", imageType: "PRIVATE_IMAGE" });
  expect(await h.counts()).toEqual({ DescribeImageFromFamily: 1 });
  // imageType PRIVATE_IMAGE and mostRecent are consistent with a family.
  expect((await getImage({ family: "lf-web", imageType: "PRIVATE_IMAGE", mostRecent: true })).imageName).toBe(
    "lf-web-2",
  );
  const out = getImageOutput({ family: "lf-web" });
  expect(await new Promise((resolve) => out.apply(resolve))).toMatchObject({ imageName: "lf-web-2" });
});

test("found, with familySkipsDeprecated false: the newest image, deprecated or not", async () => {
  await h.control("PATCH", "settings", { behaviour: { familySkipsDeprecated: false } });
  try {
    expect((await getImage({ family: "lf-web" })).imageName).toBe("lf-web-3");
  } finally {
    await h.control("PATCH", "settings", { behaviour: { familySkipsDeprecated: true } });
  }
});

test("not found: the same error as the other criteria (another account's family does not count)", async () => {
  for (const family of ["lf-none", "lf-bob"]) {
    const e = await rejection(getImage({ family }));
    expect(e).toBeInstanceOf(LookupError);
    expect(e.message).toMatch(
      new RegExp(
        `^getImage: no image matches \\{ family: "${family}", imageType: "PRIVATE_IMAGE" \\} in ap-guangzhou with ` +
          `the environment .*the newest available \\(NORMAL\\) image of this account with that family`,
      ),
    );
  }
});

test("combined criteria: name, nameRegex, tags or another imageType are refused before any call, naming the fields", async () => {
  await h.clearCalls();
  const e = await rejection(getImage({ family: "lf-web", name: "lf-web-2", tags: { team: "web" } }));
  expect(e).toBeInstanceOf(LookupError);
  expect(e.message).toContain("family cannot be combined with name, tags");
  const t = await rejection(getImage({ family: "lf-web", imageType: "SHARED_IMAGE" }));
  expect(t.message).toContain('imageType must be PRIVATE_IMAGE or unset, not "SHARED_IMAGE"');
  await expect(getImage({ family: "" })).rejects.toThrow(/family must be a non-empty string/);
  expect((await h.control("GET", "calls")).log).toEqual([]);
});
