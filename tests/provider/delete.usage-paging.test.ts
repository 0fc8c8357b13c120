/**
 * Listings longer than one page (issue 25): the usage scan pages through DescribeInstances,
 * DescribeLaunchTemplates (and each template's versions) and DescribeLaunchConfigurations 100 at a
 * time, and `getImage` pages through DescribeImages. The account here has more than 100 of each,
 * and the user of each image is the last one listed, beyond the first page: a scan that stopped
 * after the first page would not see it, and would delete an image still in use under
 * `deletionPolicy.inUse.*: "block"`.
 */
import { assessDeletions, formatJson, formatTable, getImage, runPreflight } from "pulumi-tencentcloud-images";
import { describe as describeImage, provider, rejection, up, useHarness } from "./harness";

// The provider's per-process state, in the built package the shim requires (jest resolves the package name to the same file).
const { resetProcess } =
  require("pulumi-tencentcloud-images/dist/cloud/process") as typeof import("../../provider/src/cloud/process");

const h = useHarness();

const GZ = "ap-guangzhou";
/** More than one page of 100. */
const FILLERS = 105;
const pad = (i: number) => String(i).padStart(4, "0");
const base = { fromInstance: { instanceId: "ins-web00001" } };

type Kind = "instances" | "launchTemplates" | "launchConfigurations";
const KINDS: Kind[] = ["instances", "launchTemplates", "launchConfigurations"];
/** One image per kind, used only by the last item of that kind. */
const images = {} as Record<Kind, { id: string; outs: Record<string, any> }>;
/** The ids of those last items. */
const USERS: Record<Kind, string> = {
  instances: "ins-pglast01",
  launchTemplates: "lt-pglast01",
  launchConfigurations: "asc-pglast01",
};

beforeAll(async () => {
  for (const kind of KINDS) {
    const img = await up(`pg-${kind}`, {
      ...base,
      imageName: `pg-${kind}`,
      deletionPolicy: { inUse: { [kind]: "block" } },
    });
    images[kind] = { id: img.id, outs: img.outs };
  }
  const filler = Array.from({ length: FILLERS }, (_, i) => i);
  // Fillers first (they name a public image), then each image's user, listed last.
  await h.control("POST", "fixtures", {
    instances: [
      ...filler.map((i) => ({
        instanceId: `ins-pgf0${pad(i)}`,
        region: GZ,
        owner: "alice",
        name: `filler-vm-${i}`,
        imageId: "img-pub00001",
        systemDisk: {},
      })),
      {
        instanceId: USERS.instances,
        region: GZ,
        owner: "alice",
        name: "pg-last-vm",
        imageId: images.instances.id,
        systemDisk: {},
      },
    ],
    launchTemplates: [
      // Every filler has two versions: more than 100 templates and more than 200 versions in all.
      ...filler.map((i) => ({
        launchTemplateId: `lt-pgf0${pad(i)}`,
        region: GZ,
        owner: "alice",
        name: `filler-tmpl-${i}`,
        versions: [
          { version: 1, imageId: "img-pub00001" },
          { version: 2, imageId: "img-pub00001" },
        ],
      })),
      {
        launchTemplateId: USERS.launchTemplates,
        region: GZ,
        owner: "alice",
        name: "pg-last-tmpl",
        defaultVersion: 1,
        versions: [
          { version: 1, imageId: "img-pub00001" },
          { version: 45, imageId: images.launchTemplates.id },
        ],
      },
    ],
    launchConfigurations: [
      ...filler.map((i) => ({
        launchConfigurationId: `asc-pgf0${pad(i)}`,
        region: GZ,
        owner: "alice",
        name: `filler-lc-${i}`,
        imageId: "img-pub00001",
      })),
      {
        launchConfigurationId: USERS.launchConfigurations,
        region: GZ,
        owner: "alice",
        name: "pg-last-lc",
        imageId: images.launchConfigurations.id,
      },
    ],
  });
  // The listings are longer than a page, and each user is the last item of its listing (launch
  // configurations too: the emulator lists them in the order they were added).
  const sdk = h.sdk();
  const last = async (action: string, set: string, key: string) => {
    const first = await sdk.request(action, { Offset: 0, Limit: 100 });
    expect(first.TotalCount).toBeGreaterThan(100);
    const tail = await sdk.request(action, { Offset: first.TotalCount - 1, Limit: 1 });
    return tail[set][0][key];
  };
  expect(await last("DescribeInstances", "InstanceSet", "InstanceId")).toBe(USERS.instances);
  expect(await last("DescribeLaunchTemplates", "LaunchTemplateSet", "LaunchTemplateId")).toBe(USERS.launchTemplates);
  // The deletes share one scan (a scan of more than 100 templates takes a few seconds at the documented rates).
  process.env.CVM_IMAGE_INSTANCE_SCAN_TTL_MS = "600000";
  resetProcess();
}, 120_000);
afterAll(() => {
  process.env.CVM_IMAGE_INSTANCE_SCAN_TTL_MS = "0";
  resetProcess();
});

describe("a user beyond the first page blocks the delete under `block`", () => {
  test.each([
    [
      "instances",
      /instances still run from the image: ins-pglast01 "pg-last-vm" \(RUNNING\), and deletionPolicy\.inUse\.instances is "block"/,
    ],
    [
      "launchTemplates",
      /lt-pglast01 "pg-last-tmpl" \(version 45; not the default version 1\), and deletionPolicy\.inUse\.launchTemplates is "block"/,
    ],
    [
      "launchConfigurations",
      /asc-pglast01 "pg-last-lc" \(NORMAL\), and deletionPolicy\.inUse\.launchConfigurations is "block"/,
    ],
  ] as const)("%s", async (kind, reason) => {
    const img = images[kind];
    await h.clearCalls();
    const e = await rejection(provider.delete(img.id, img.outs));
    expect(e.message).toMatch(reason);
    expect(e.message).toMatch(/Already done: nothing was changed/);
    expect(await describeImage(h, img.id)).not.toBeNull();
    expect((await h.counts()).DeleteImages ?? 0).toBe(0);
  });
});

test("the assessment sees each user beyond the first page", async () => {
  const assessed = await assessDeletions(
    KINDS.map((k) => ({ imageId: images[k].id, outputs: images[k].outs })),
    { env: process.env },
  );
  expect(assessed.map((a) => a.outcome)).toEqual(["blocked", "blocked", "blocked"]);
  expect(assessed[0]!.instancesInUse).toEqual([
    { instanceId: "ins-pglast01", instanceName: "pg-last-vm", state: "RUNNING" },
  ]);
  expect(assessed[1]!.launchTemplatesInUse).toEqual([
    {
      launchTemplateId: "lt-pglast01",
      launchTemplateName: "pg-last-tmpl",
      versions: [45],
      defaultVersion: 1,
      includesDefaultVersion: false,
    },
  ]);
  expect(assessed[2]!.launchConfigurationsInUse).toEqual([
    { launchConfigurationId: "asc-pglast01", launchConfigurationName: "pg-last-lc", status: "NORMAL" },
  ]);
});

test("the preflight reports the three deletes as blocked, naming each user", async () => {
  const type = "pulumi-nodejs:dynamic/tencentcloud-images:CustomImage";
  const steps = KINDS.map((k) => {
    const urn = `urn:pulumi:dev::pg::${type}::pg-${k}`;
    return {
      op: "delete",
      urn,
      oldState: { urn, custom: true, id: images[k].id, type, inputs: images[k].outs, outputs: images[k].outs },
    };
  });
  const report = await runPreflight({ preview: { steps } as never });
  expect(report.verdict).toBe("blocked");
  expect(report.images.map((i) => [i.name, i.status])).toEqual([
    ["pg-instances", "blocked"],
    ["pg-launchTemplates", "blocked"],
    ["pg-launchConfigurations", "blocked"],
  ]);
  const table = formatTable(report);
  for (const user of Object.values(USERS)) expect(table).toContain(user);
  expect(formatJson(report)).toContain('"instanceId": "ins-pglast01"');
});

test("getImage finds an image listed beyond the first page of DescribeImages", async () => {
  // The target first, then more than a page of images the API's fuzzy name filter also matches (newest are listed first).
  await h.control("POST", "fixtures", { images: [{ region: "ap-shanghai", owner: "alice", name: "pg-base" }] });
  await h.control("POST", "fixtures", {
    images: Array.from({ length: FILLERS }, (_, i) => ({
      region: "ap-shanghai",
      owner: "alice",
      name: `pg-base-${pad(i)}`,
    })),
  });
  const listed = await h
    .sdk("alice", "ap-shanghai")
    .request("DescribeImages", { Filters: [{ Name: "image-name", Values: ["pg-base"] }], Offset: 0, Limit: 100 });
  expect(listed.TotalCount).toBe(FILLERS + 1);
  expect(listed.ImageSet.map((i: { ImageName: string }) => i.ImageName)).not.toContain("pg-base");

  const found = await getImage({ name: "pg-base", region: "ap-shanghai" });
  expect(found).toMatchObject({ imageName: "pg-base", region: "ap-shanghai", imageType: "PRIVATE_IMAGE" });
});
