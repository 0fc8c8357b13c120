/**
 * DescribeLaunchTemplates and DescribeLaunchTemplateVersions (CVM 2017-03-12) through the real CVM
 * SDK client: templates added with fixtures, each version naming an ImageId; visibility, filters,
 * version selection, paging, and the errors for malformed and unknown ids.
 */
import { RunningEmulator } from "../../emulator/src";
import { client, code, control, GZ, reset, SH, start } from "./helpers";

let emu: RunningEmulator;
beforeAll(async () => (emu = await start()));
afterAll(() => emu.stop());
beforeEach(() => reset(emu));

const v = (version: number, imageId: string, extra: Record<string, unknown> = {}) => ({ version, imageId, ...extra });

async function addFixtures() {
  return control(emu, "POST", "fixtures", {
    launchTemplates: [
      {
        launchTemplateId: "lt-webtmpl1",
        owner: "alice",
        region: GZ,
        name: "web",
        defaultVersion: 2,
        tags: [{ Key: "env", Value: "prod" }],
        versions: [
          v(1, "img-alicegz1", { description: "first" }),
          v(2, "img-pubgz002"),
          v(3, "img-alicegz1", { instanceType: "S5.LARGE8", zone: "ap-guangzhou-6" }),
        ],
      },
      { launchTemplateId: "lt-batchtp1", owner: "alice", region: GZ, name: "batch", versions: [v(1, "img-pubgz004")] },
      { launchTemplateId: "lt-shanghai", owner: "alice", region: SH, name: "web", versions: [v(1, "img-alicesh1")] },
      { launchTemplateId: "lt-bobstmpl", owner: "bob", region: GZ, name: "web", versions: [v(1, "img-bobgz001")] },
    ],
  });
}

describe("DescribeLaunchTemplates", () => {
  test("the caller's templates in the region, with the SDK's LaunchTemplateInfo fields", async () => {
    const added = await addFixtures();
    expect(added.added.launchTemplates).toEqual(["lt-webtmpl1", "lt-batchtp1", "lt-shanghai", "lt-bobstmpl"]);
    const r = await client(emu).DescribeLaunchTemplates({});
    expect(r.TotalCount).toBe(3); // the default fixtures' lt-alicgz01 and the two added in Guangzhou
    const web = r.LaunchTemplateSet!.find((t) => t.LaunchTemplateId === "lt-webtmpl1");
    expect(web).toEqual({
      LatestVersionNumber: 3,
      LaunchTemplateId: "lt-webtmpl1",
      LaunchTemplateName: "web",
      DefaultVersionNumber: 2,
      LaunchTemplateVersionCount: 3,
      CreatedBy: "100000000001",
      CreationTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
    });
    expect(
      (await client(emu, "alice", SH).DescribeLaunchTemplates({})).LaunchTemplateSet!.map((t) => t.LaunchTemplateId),
    ).toEqual(["lt-shanghai"]);
    expect(
      (await client(emu, "bob").DescribeLaunchTemplates({})).LaunchTemplateSet!.map((t) => t.LaunchTemplateId),
    ).toEqual(["lt-bobstmpl"]);
  });

  test("by ids (unknown and other accounts' ids give nothing) or by filters, not both", async () => {
    await addFixtures();
    const c = client(emu);
    const byIds = await c.DescribeLaunchTemplates({
      LaunchTemplateIds: ["lt-batchtp1", "lt-bobstmpl", "lt-zzzzzzzz", "lt-batchtp1"],
    });
    expect(byIds.LaunchTemplateSet!.map((t) => t.LaunchTemplateId)).toEqual(["lt-batchtp1"]);
    const ids = async (Name: string, Values: string[]) =>
      (await c.DescribeLaunchTemplates({ Filters: [{ Name, Values }] })).LaunchTemplateSet!.map(
        (t) => t.LaunchTemplateId,
      );
    expect(await ids("LaunchTemplateName", ["web", "batch"])).toEqual(["lt-webtmpl1", "lt-batchtp1"]);
    expect(await ids("LaunchTemplateName", ["we"])).toEqual([]);
    expect(await ids("tag-key", ["env"])).toEqual(["lt-webtmpl1"]);
    expect(await ids("tag:team", ["web"])).toEqual(["lt-alicgz01"]);
    expect(await ids("tag-value", ["prod", "web"])).toEqual(["lt-alicgz01", "lt-webtmpl1"]);
    expect(
      await code(
        c.DescribeLaunchTemplates({
          LaunchTemplateIds: ["lt-batchtp1"],
          Filters: [{ Name: "LaunchTemplateName", Values: ["web"] }],
        }),
      ),
    ).toBe("InvalidParameter");
  });

  test("malformed ids, bad filters, paging limits", async () => {
    const c = client(emu);
    expect(await code(c.DescribeLaunchTemplates({ LaunchTemplateIds: ["lt-BAD"] }))).toBe(
      "InvalidParameterValue.LaunchTemplateIdMalformed",
    );
    expect(await code(c.DescribeLaunchTemplates({ LaunchTemplateIds: ["img-alicegz1"] }))).toBe(
      "InvalidParameterValue.LaunchTemplateIdMalformed",
    );
    expect(await code(c.DescribeLaunchTemplates({ Filters: [{ Name: "image-id", Values: ["img-alicegz1"] }] }))).toBe(
      "InvalidFilter",
    );
    expect(await code(c.DescribeLaunchTemplates({ Filters: [{ Name: "tag:", Values: ["x"] }] }))).toBe("InvalidFilter");
    expect(
      await code(
        c.DescribeLaunchTemplates({
          Filters: [{ Name: "LaunchTemplateName", Values: ["a", "b", "c", "d", "e", "f"] }],
        }),
      ),
    ).toBe("InvalidFilterValue.LimitExceeded");
    expect(await code(c.DescribeLaunchTemplates({ Limit: 101 }))).toBe("InvalidParameterValue.LimitExceeded");
    expect(await code(c.DescribeLaunchTemplates({ Offset: -1 }))).toBe("InvalidParameterValue");
  });

  test("Offset and Limit page in the order templates were added; GET works the same", async () => {
    await addFixtures();
    const page = async (Offset: number, Limit: number, method: "POST" | "GET" = "POST") =>
      (await client(emu, "alice", GZ, method).DescribeLaunchTemplates({ Offset, Limit })).LaunchTemplateSet!.map(
        (t) => t.LaunchTemplateId,
      );
    expect(await page(0, 2)).toEqual(["lt-alicgz01", "lt-webtmpl1"]);
    expect(await page(2, 2)).toEqual(["lt-batchtp1"]);
    expect(await page(1, 1, "GET")).toEqual(["lt-webtmpl1"]);
  });
});

describe("DescribeLaunchTemplateVersions", () => {
  const versions = async (
    req: Parameters<ReturnType<typeof client>["DescribeLaunchTemplateVersions"]>[0],
    method: "POST" | "GET" = "POST",
  ) => {
    const r = await client(emu, "alice", GZ, method).DescribeLaunchTemplateVersions(req);
    return {
      total: r.TotalCount,
      list: r.LaunchTemplateVersionSet!.map((x) => [x.LaunchTemplateVersion, x.LaunchTemplateVersionData?.ImageId]),
    };
  };

  test("every version with its LaunchTemplateVersionData.ImageId, ascending; the SDK's fields", async () => {
    await addFixtures();
    expect(await versions({ LaunchTemplateId: "lt-webtmpl1" })).toEqual({
      total: 3,
      list: [
        [1, "img-alicegz1"],
        [2, "img-pubgz002"],
        [3, "img-alicegz1"],
      ],
    });
    const r = await client(emu).DescribeLaunchTemplateVersions({
      LaunchTemplateId: "lt-webtmpl1",
      LaunchTemplateVersions: [3],
    });
    expect(r.LaunchTemplateVersionSet).toEqual([
      {
        LaunchTemplateVersion: 3,
        LaunchTemplateVersionData: {
          Placement: { Zone: "ap-guangzhou-6", ProjectId: 0 },
          InstanceType: "S5.LARGE8",
          InstanceName: "",
          InstanceChargeType: "POSTPAID_BY_HOUR",
          ImageId: "img-alicegz1",
        },
        CreationTime: expect.any(String),
        LaunchTemplateId: "lt-webtmpl1",
        IsDefaultVersion: false,
        LaunchTemplateVersionDescription: "",
        CreatedBy: "100000000001",
      },
    ]);
  });

  test("by list, as the default version, by range; paging; GET works the same", async () => {
    await addFixtures();
    expect((await versions({ LaunchTemplateId: "lt-webtmpl1", LaunchTemplateVersions: [3, 1, 3] })).list).toEqual([
      [1, "img-alicegz1"],
      [3, "img-alicegz1"],
    ]);
    expect((await versions({ LaunchTemplateId: "lt-webtmpl1", DefaultVersion: true })).list).toEqual([
      [2, "img-pubgz002"],
    ]);
    expect((await versions({ LaunchTemplateId: "lt-webtmpl1", MinVersion: 2 })).list).toEqual([
      [2, "img-pubgz002"],
      [3, "img-alicegz1"],
    ]);
    expect((await versions({ LaunchTemplateId: "lt-webtmpl1", MaxVersion: 1 })).list).toEqual([[1, "img-alicegz1"]]);
    expect(await versions({ LaunchTemplateId: "lt-webtmpl1", Offset: 1, Limit: 1 })).toEqual({
      total: 3,
      list: [[2, "img-pubgz002"]],
    });
    expect(
      await versions({ LaunchTemplateId: "lt-webtmpl1", LaunchTemplateVersions: [2, 3], DefaultVersion: false }, "GET"),
    ).toEqual({
      total: 2,
      list: [
        [2, "img-pubgz002"],
        [3, "img-alicegz1"],
      ],
    });
  });

  test("errors: malformed id, unknown or someone else's template, missing version, bad selectors", async () => {
    await addFixtures();
    const c = client(emu);
    expect(await code(c.DescribeLaunchTemplateVersions({ LaunchTemplateId: "lt-nope" }))).toBe(
      "InvalidParameterValue.LaunchTemplateIdMalformed",
    );
    expect(await code(c.DescribeLaunchTemplateVersions({ LaunchTemplateId: "lt-zzzzzzzz" }))).toBe(
      "InvalidParameterValue.LaunchTemplateNotFound",
    );
    expect(await code(c.DescribeLaunchTemplateVersions({ LaunchTemplateId: "lt-bobstmpl" }))).toBe(
      "InvalidParameterValue.LaunchTemplateNotFound",
    );
    expect(await code(c.DescribeLaunchTemplateVersions({ LaunchTemplateId: "lt-shanghai" }))).toBe(
      "InvalidParameterValue.LaunchTemplateNotFound",
    );
    expect(
      await code(c.DescribeLaunchTemplateVersions({ LaunchTemplateId: "lt-webtmpl1", LaunchTemplateVersions: [4] })),
    ).toBe("InvalidParameterValue.LaunchTemplateIdVerNotExisted");
    expect(
      await code(c.DescribeLaunchTemplateVersions({ LaunchTemplateId: "lt-webtmpl1", LaunchTemplateVersions: [0] })),
    ).toBe("InvalidParameterValue.LaunchTemplateVersion");
    expect(
      await code(c.DescribeLaunchTemplateVersions({ LaunchTemplateId: "lt-webtmpl1", MinVersion: 3, MaxVersion: 2 })),
    ).toBe("InvalidParameterValue.LaunchTemplateVersion");
    expect(
      await code(
        c.DescribeLaunchTemplateVersions({
          LaunchTemplateId: "lt-webtmpl1",
          LaunchTemplateVersions: [1],
          DefaultVersion: true,
        }),
      ),
    ).toBe("InvalidParameterCombination");
    expect(
      await code(
        c.DescribeLaunchTemplateVersions({
          LaunchTemplateId: "lt-webtmpl1",
          LaunchTemplateVersions: [1],
          MaxVersion: 3,
        }),
      ),
    ).toBe("InvalidParameterCombination");
    expect(await code(c.DescribeLaunchTemplateVersions({ LaunchTemplateId: "lt-webtmpl1", MinVersion: -1 }))).toBe(
      "InvalidParameterValue",
    );
    expect(await code(c.request("DescribeLaunchTemplateVersions", {}))).toBe("MissingParameter");
  });
});

describe("launch-template fixtures", () => {
  test("are validated all or nothing", async () => {
    const bad = async (launchTemplates: unknown[], message: RegExp) =>
      expect(
        control(emu, "POST", "fixtures", {
          instances: [{ owner: "alice", region: GZ, imageId: "img-pubgz001" }],
          launchTemplates,
        }),
      ).rejects.toThrow(message);
    await bad([{ owner: "alice", region: GZ, name: "t", versions: [] }], /1 to 30 versions/);
    await bad([{ owner: "alice", region: GZ, name: "t", versions: [v(1, "img-a"), v(1, "img-pubgz001")] }], /imageId/);
    await bad(
      [{ owner: "alice", region: GZ, name: "t", versions: [v(1, "img-pubgz001"), v(1, "img-pubgz002")] }],
      /unique/,
    );
    await bad(
      [{ owner: "alice", region: GZ, name: "t", defaultVersion: 5, versions: [v(1, "img-pubgz001")] }],
      /defaultVersion/,
    );
    await bad([{ owner: "alice", region: "ap-mars", name: "t", versions: [v(1, "img-pubgz001")] }], /unknown region/);
    await bad([{ owner: "zed", region: GZ, name: "t", versions: [v(1, "img-pubgz001")] }], /unknown account/);
    await bad(
      [{ launchTemplateId: "lt-alicgz01", owner: "alice", region: GZ, name: "t", versions: [v(1, "img-pubgz001")] }],
      /already exists/,
    );
    await bad(
      [{ launchTemplateId: "template-1", owner: "alice", region: GZ, name: "t", versions: [v(1, "img-pubgz001")] }],
      /launchTemplateId/,
    );
    expect((await client(emu).DescribeInstances({})).TotalCount).toBe(3); // the instance in each rejected batch was not added
    const added = await control(emu, "POST", "fixtures", {
      launchTemplates: [
        {
          owner: "alice",
          region: GZ,
          name: "gen",
          versions: [{ imageId: "img-pubgz001" }, { imageId: "img-pubgz002" }],
        },
      ],
    });
    const [id] = added.added.launchTemplates;
    expect(id).toMatch(/^lt-[a-z0-9]{8}$/);
    const r = await client(emu).DescribeLaunchTemplateVersions({ LaunchTemplateId: id });
    expect(r.LaunchTemplateVersionSet!.map((x) => [x.LaunchTemplateVersion, x.IsDefaultVersion])).toEqual([
      [1, true],
      [2, false],
    ]);
  });
});
