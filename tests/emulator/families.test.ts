/**
 * Image families through the real SDK client: DescribeImageFromFamily (the newest NORMAL custom image
 * of the caller's family in the region; deprecated images per `behaviour.familySkipsDeprecated`),
 * fixture images of chosen ages and families, and Auto Scaling launch configurations by family.
 */
import { RunningEmulator } from "../../emulator/src";
import { asClient, client, code, control, GZ, raw, reset, SH, start, waitForState, waitGone } from "./helpers";

let emu: RunningEmulator;
beforeAll(async () => (emu = await start()));
afterAll(() => emu.stop());
beforeEach(() => reset(emu));

const current = async (family: string | undefined, account = "alice", region = GZ) =>
  (await client(emu, account, region).DescribeImageFromFamily(family === undefined ? {} : { ImageFamily: family }))
    .Image;
const currentId = async (family: string, account = "alice", region = GZ) =>
  (await current(family, account, region))?.ImageId ?? null;
const addImages = (images: Record<string, unknown>[]) => control(emu, "POST", "fixtures", { images });

/** An image id from a number: `img-fam00012`. */
const famId = (i: number) => `img-fam${String(i).padStart(5, "0")}`;
/** Midnight UTC of 2026-01-01 plus `days`. */
const day = (days: number) => new Date(Date.UTC(2026, 0, 1) + days * 86_400_000).toISOString().replace(".000", "");

/** 30 images of family `web`, aged 0–29 days, added in a shuffled order (ages are not creation order). */
async function seedThirty(extra: (i: number) => Record<string, unknown> = () => ({})) {
  const order = Array.from({ length: 30 }, (_, i) => (i * 7) % 30); // a permutation of 0..29
  await addImages(
    order.map((i) => ({
      imageId: famId(i),
      owner: "alice",
      region: GZ,
      name: `web-${i}`,
      family: "web",
      createdTime: day(i),
      ...extra(i),
    })),
  );
}

describe("DescribeImageFromFamily", () => {
  test("answers the newest NORMAL image of the family, exactly as DescribeImages shows it", async () => {
    await seedThirty((i) => (i === 29 ? { state: "CREATING" } : i === 28 ? { state: "CREATEFAILED" } : {}));
    const image = await current("web");
    expect(image?.ImageId).toBe(famId(27));
    const described = await client(emu).DescribeImages({ ImageIds: [famId(27)] });
    expect(image).toEqual(described.ImageSet![0]);
    expect(image).toMatchObject({
      ImageFamily: "web",
      ImageDeprecated: false,
      ImageType: "PRIVATE_IMAGE",
      ImageState: "NORMAL",
      CreatedTime: day(27),
    });
  });

  test("CreatedTime is compared as an instant (offsets count); a tie goes to the image added last", async () => {
    await addImages([
      {
        imageId: "img-offset01",
        owner: "alice",
        region: GZ,
        name: "a",
        family: "tz",
        createdTime: "2026-03-01T03:00:00Z",
      },
      // 10:00 at +08:00 is 02:00Z: older, though it reads later
      {
        imageId: "img-offset02",
        owner: "alice",
        region: GZ,
        name: "b",
        family: "tz",
        createdTime: "2026-03-01T10:00:00+08:00",
      },
      {
        imageId: "img-tiesam01",
        owner: "alice",
        region: GZ,
        name: "c",
        family: "tie",
        createdTime: "2026-03-01T00:00:00Z",
      },
      {
        imageId: "img-tiesam02",
        owner: "alice",
        region: GZ,
        name: "d",
        family: "tie",
        createdTime: "2026-03-01T00:00:00Z",
      },
    ]);
    expect(await currentId("tz")).toBe("img-offset01");
    expect(await currentId("tie")).toBe("img-tiesam02");
  });

  test("a deprecated newest image is skipped by default, and is current with familySkipsDeprecated false", async () => {
    await seedThirty((i) => (i === 29 ? { imageDeprecated: true } : {}));
    expect(await currentId("web")).toBe(famId(28));
    await control(emu, "PATCH", "settings", { behaviour: { familySkipsDeprecated: false } });
    expect(await currentId("web")).toBe(famId(29));
    expect((await current("web"))?.ImageDeprecated).toBe(true);

    // Deprecating through the API counts at once.
    await control(emu, "PATCH", "settings", { behaviour: { familySkipsDeprecated: true } });
    await client(emu).ModifyImageAttribute({ ImageId: famId(28), ImageDeprecated: true });
    expect(await currentId("web")).toBe(famId(27));
    expect((await control(emu, "GET", "settings")).behaviour.familySkipsDeprecated).toBe(true);
  });

  test("familySkipsDeprecated can be set at start; a family of deprecated images has none by default", async () => {
    const images = [1, 2].map((i) => ({
      imageId: famId(i),
      owner: "alice",
      region: GZ,
      name: `old-${i}`,
      family: "old",
      deprecated: true,
      createdTime: day(i),
    }));
    await addImages(images);
    expect(await current("old")).toBeNull();
    const other = await start({ behaviour: { familySkipsDeprecated: false } });
    try {
      await control(other, "POST", "fixtures", { images });
      const r = await client(other).DescribeImageFromFamily({ ImageFamily: "old" });
      expect(r.Image?.ImageId).toBe(famId(2));
    } finally {
      await other.stop();
    }
  });

  test("only the caller's own images in the region count (not other accounts', shared or other regions')", async () => {
    await seedThirty();
    await addImages([
      { imageId: "img-bobnewer", owner: "bob", region: GZ, name: "b", family: "web", createdTime: day(100) },
      {
        imageId: "img-bobshare",
        owner: "bob",
        region: GZ,
        name: "s",
        family: "web",
        createdTime: day(101),
        sharedWith: ["alice"],
      },
      { imageId: "img-shnewer1", owner: "alice", region: SH, name: "sh", family: "web", createdTime: day(102) },
      { imageId: "img-pubfam01", owner: null, region: GZ, name: "p", family: "web", createdTime: day(103) },
    ]);
    expect(await currentId("web")).toBe(famId(29));
    expect(await currentId("web", "bob")).toBe("img-bobshare");
    expect(await currentId("web", "alice", SH)).toBe("img-shnewer1");
    expect(await currentId("web", "carol")).toBeNull();
    expect(await currentId("WEB")).toBeNull(); // families match exactly
  });

  test("a family with no available image answers Image: null", async () => {
    expect(await current("nothing-here")).toBeNull();
    const r = await raw(emu, {
      action: "DescribeImageFromFamily",
      body: JSON.stringify({ ImageFamily: "nothing-here" }),
    });
    expect(Object.keys(r.json.Response).sort()).toEqual(["Image", "RequestId"]);
    expect(r.json.Response.Image).toBeNull();
  });

  test("without ImageFamily (absent, empty or blank): MissingParameter", async () => {
    for (const family of [undefined, "", "  "]) {
      const failure = await code(current(family));
      expect([family, failure]).toEqual([family, "MissingParameter"]);
    }
    expect(await code(client(emu).DescribeImageFromFamily({ ImageFamily: "web", Bogus: 1 } as never))).toBe(
      "UnknownParameter",
    );
  });

  test("images made by CreateImage join their family once NORMAL; deleted ones leave it at once", async () => {
    const c = client(emu);
    await addImages([
      { imageId: "img-appold01", owner: "alice", region: GZ, name: "app-1", family: "app", createdTime: day(0) },
    ]);
    const { ImageId } = await c.CreateImage({ ImageName: "app-2", InstanceId: "ins-alicgz03", ImageFamily: "app" });
    expect(await currentId("app")).toBe("img-appold01"); // still CREATING
    await waitForState(c, ImageId!, "NORMAL");
    expect(await currentId("app")).toBe(ImageId);
    await c.DeleteImages({ ImageIds: [ImageId!] });
    expect(await currentId("app")).toBe("img-appold01"); // in its delete lag, but gone for the family
    await waitGone(c, ImageId!);
    await c.ModifyImageAttribute({ ImageId: "img-appold01", ImageFamily: "other" });
    expect(await currentId("app")).toBeNull();
    expect(await currentId("other")).toBe("img-appold01");
  });

  test("rate limit: 20/s per account", async () => {
    await control(emu, "PATCH", "settings", { rateLimits: true });
    const burst = await Promise.allSettled(Array.from({ length: 60 }, () => current("web")));
    const codes = burst.flatMap((r) => (r.status === "rejected" ? [(r.reason as { code?: string }).code] : []));
    expect(codes.length).toBeGreaterThanOrEqual(15);
    expect(codes.every((c) => c === "RequestLimitExceeded")).toBe(true);
    expect(burst.length - codes.length).toBeGreaterThanOrEqual(15);
    expect(burst.length - codes.length).toBeLessThan(40); // not DescribeImages' 40/s
    await current("web", "bob"); // bob has his own bucket
    expect((await control(emu, "GET", "calls")).counts.DescribeImageFromFamily).toBe(61);
  });
});

describe("image fixtures for families", () => {
  const bad = (image: Record<string, unknown>, message: RegExp) =>
    expect(addImages([{ owner: "alice", region: GZ, name: "x", ...image }])).rejects.toThrow(message);

  test("family/imageFamily and deprecated/imageDeprecated are two spellings of one field each", async () => {
    await addImages([
      { imageId: "img-spell001", owner: "alice", region: GZ, name: "a", imageFamily: "f", imageDeprecated: true },
      { imageId: "img-spell002", owner: "alice", region: GZ, name: "b", family: "f", deprecated: false },
    ]);
    const r = await client(emu).DescribeImages({ ImageIds: ["img-spell001", "img-spell002"] });
    expect(r.ImageSet!.map((i) => [i.ImageId, i.ImageFamily, i.ImageDeprecated])).toEqual([
      ["img-spell001", "f", true],
      ["img-spell002", "f", false],
    ]);
    await bad({ family: "f", imageFamily: "g" }, /`imageFamily` and `family` are the same field/);
    await bad({ deprecated: true, imageDeprecated: true }, /`imageDeprecated` and `deprecated`/);
  });

  test("a bad family or createdTime is refused, naming the field", async () => {
    await bad({ imageFamily: "9lives" }, /`imageFamily` must match/);
    await bad({ family: "has space" }, /`family` must match/);
    await bad({ createdTime: "yesterday" }, /`createdTime` must be an ISO 8601 time/);
    await bad({ createdTime: "2026-13-45T00:00:00Z" }, /`createdTime`/);
    await bad({ imageDeprecated: "yes" }, /`imageDeprecated` must be a boolean/);
  });
});

describe("launch configurations by family (Auto Scaling 2018-04-19)", () => {
  const describeLc = (ids: string[], account = "alice"): Promise<any> =>
    asClient(emu, account).request("DescribeLaunchConfigurations", { LaunchConfigurationIds: ids });
  const lc = (over: Record<string, unknown>) => ({ owner: "alice", region: GZ, name: "lc", ...over });

  test("ImageFamily is returned, ImageId is empty; the status follows the family's current image", async () => {
    await seedThirty();
    await control(emu, "POST", "fixtures", {
      launchConfigurations: [
        lc({ launchConfigurationId: "asc-family01", imageFamily: "web" }),
        lc({ launchConfigurationId: "asc-family02", imageFamily: "empty-family" }),
      ],
    });
    const r = await describeLc(["asc-family01", "asc-family02", "asc-alicgz01"]);
    expect(
      r.LaunchConfigurationSet.map((c: any) => [
        c.LaunchConfigurationId,
        c.ImageId,
        c.ImageFamily,
        c.LaunchConfigurationStatus,
      ]),
    ).toEqual([
      ["asc-family01", "", "web", "NORMAL"],
      ["asc-family02", "", "empty-family", "IMAGE_ABNORMAL"],
      ["asc-alicgz01", "img-pubgz001", "", "NORMAL"],
    ]);
    const state = await control(emu, "GET", "state");
    expect(state.launchConfigurations.find((c: any) => c.launchConfigurationId === "asc-family01")).toMatchObject({
      imageId: "",
      imageFamily: "web",
    });
  });

  test("a family configuration turns IMAGE_ABNORMAL when its family loses its last available image", async () => {
    await addImages([{ imageId: "img-lastone1", owner: "alice", region: GZ, name: "last", family: "solo" }]);
    await control(emu, "POST", "fixtures", {
      launchConfigurations: [lc({ launchConfigurationId: "asc-solo0001", imageFamily: "solo" })],
    });
    const status = async () => (await describeLc(["asc-solo0001"])).LaunchConfigurationSet[0].LaunchConfigurationStatus;
    expect(await status()).toBe("NORMAL");
    await client(emu).ModifyImageAttribute({ ImageId: "img-lastone1", ImageDeprecated: true });
    expect(await status()).toBe("IMAGE_ABNORMAL");
    await control(emu, "PATCH", "settings", { behaviour: { familySkipsDeprecated: false } });
    expect(await status()).toBe("NORMAL");
  });

  test("a fixture gives exactly one of imageId and imageFamily; the refusal names the fields", async () => {
    const refuse = (entry: Record<string, unknown>, message: RegExp) =>
      expect(control(emu, "POST", "fixtures", { launchConfigurations: [lc(entry)] })).rejects.toThrow(message);
    await refuse(
      { imageId: "img-pubgz001", imageFamily: "web" },
      /launchConfigurations\[0\]: give exactly one of `imageId` and `imageFamily` \(both are given\)/,
    );
    await refuse({}, /give exactly one of `imageId` and `imageFamily` \(neither is given\)/);
    await refuse({ imageId: "", imageFamily: "" }, /neither is given/);
    await refuse({ imageFamily: "-bad" }, /`imageFamily` must match/);
    expect((await describeLc([])).TotalCount).toBe(1); // nothing was added
  });
});
