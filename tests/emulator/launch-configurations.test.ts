/**
 * DescribeLaunchConfigurations (Auto Scaling, as.tencentcloudapi.com, 2018-04-19) through the SDK's
 * CommonClient, the way an Auto Scaling client reaches the emulator's port: routing by version,
 * fields, filters, paging, Auto Scaling's own error codes, and launch templates and configurations
 * kept in the state file.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { RunningEmulator } from "../../emulator/src";
import { asClient, client, code, control, GZ, raw, reset, SH, start, waitForState, waitGone } from "./helpers";

let emu: RunningEmulator;
beforeAll(async () => (emu = await start()));
afterAll(() => emu.stop());
beforeEach(() => reset(emu));

const describe_ = (req: Record<string, unknown> = {}, account = "alice", region = GZ): Promise<any> =>
  asClient(emu, account, region).request("DescribeLaunchConfigurations", req);
const ids = async (req: Record<string, unknown> = {}) =>
  (await describe_(req)).LaunchConfigurationSet.map((c: any) => c.LaunchConfigurationId);

async function addFixtures() {
  await control(emu, "POST", "fixtures", {
    launchConfigurations: [
      {
        launchConfigurationId: "asc-webcfg01",
        owner: "alice",
        region: GZ,
        name: "web-blue",
        imageId: "img-alicegz1",
        tags: [{ Key: "env", Value: "prod" }],
      },
      {
        launchConfigurationId: "asc-webcfg02",
        owner: "alice",
        region: GZ,
        name: "web-green",
        imageId: "img-pubgz002",
        instanceType: "S5.LARGE8",
      },
      { launchConfigurationId: "asc-shcfg001", owner: "alice", region: SH, name: "web-blue", imageId: "img-alicesh1" },
      { launchConfigurationId: "asc-bobcfg01", owner: "bob", region: GZ, name: "bob", imageId: "img-bobgz001" },
    ],
  });
}

test("the caller's configurations in the region, with the SDK's LaunchConfiguration fields", async () => {
  await addFixtures();
  const r = await describe_();
  expect(r.TotalCount).toBe(3);
  expect(r.LaunchConfigurationSet[0]).toEqual({
    ProjectId: 0,
    LaunchConfigurationId: "asc-alicgz01",
    LaunchConfigurationName: "alice-web-lc",
    InstanceType: "S5.MEDIUM4",
    SystemDisk: { DiskType: "CLOUD_PREMIUM", DiskSize: 50 },
    DataDisks: [],
    SecurityGroupIds: [],
    AutoScalingGroupAbstractSet: [{ AutoScalingGroupId: "asg-alicgz01", AutoScalingGroupName: "alice-web-asg" }],
    CreatedTime: "2025-01-12T03:00:00Z",
    ImageId: "img-pubgz001",
    LaunchConfigurationStatus: "NORMAL",
    InstanceChargeType: "POSTPAID_BY_HOUR",
    InstanceTypes: ["S5.MEDIUM4"],
    InstanceTags: [],
    Tags: [{ Key: "team", Value: "web" }],
    VersionNumber: 1,
    UpdatedTime: "2025-01-12T03:00:00Z",
    ImageFamily: "",
  });
  expect(r.LaunchConfigurationSet.map((c: any) => [c.LaunchConfigurationId, c.ImageId])).toEqual([
    ["asc-alicgz01", "img-pubgz001"],
    ["asc-webcfg01", "img-alicegz1"],
    ["asc-webcfg02", "img-pubgz002"],
  ]);
  expect((await describe_({}, "alice", SH)).LaunchConfigurationSet.map((c: any) => c.LaunchConfigurationId)).toEqual([
    "asc-shcfg001",
  ]);
  expect((await describe_({}, "bob")).LaunchConfigurationSet.map((c: any) => c.LaunchConfigurationId)).toEqual([
    "asc-bobcfg01",
  ]);
});

test("by ids or by the documented filters; paging", async () => {
  await addFixtures();
  expect(await ids({ LaunchConfigurationIds: ["asc-webcfg02", "asc-bobcfg01", "asc-zzzzzzzz"] })).toEqual([
    "asc-webcfg02",
  ]);
  const f = (Name: string, Values: string[]) => ids({ Filters: [{ Name, Values }] });
  expect(await f("launch-configuration-id", ["asc-webcfg01"])).toEqual(["asc-webcfg01"]);
  expect(await f("launch-configuration-name", ["web-green", "web"])).toEqual(["asc-webcfg02"]);
  expect(await f("vague-launch-configuration-name", ["web-b", "green"])).toEqual(["asc-webcfg01", "asc-webcfg02"]);
  expect(await f("tag-key", ["env"])).toEqual(["asc-webcfg01"]);
  expect(await f("tag:team", ["web"])).toEqual(["asc-alicgz01"]);
  expect(await ids({ Offset: 1, Limit: 1 })).toEqual(["asc-webcfg01"]);
  expect((await describe_({ Offset: 1, Limit: 1 })).TotalCount).toBe(3);
});

test("Auto Scaling's error codes", async () => {
  expect(await code(describe_({ LaunchConfigurationIds: ["asc-1"] }))).toBe(
    "InvalidParameterValue.InvalidLaunchConfigurationId",
  );
  expect(
    await code(
      describe_({
        LaunchConfigurationIds: ["asc-alicgz01"],
        Filters: [{ Name: "launch-configuration-name", Values: ["x"] }],
      }),
    ),
  ).toBe("InvalidParameterConflict");
  expect(await code(describe_({ Filters: [{ Name: "image-id", Values: ["img-pubgz001"] }] }))).toBe(
    "InvalidParameterValue.InvalidFilter",
  );
  expect(await code(describe_({ Filters: [{ Name: "tag-key", Values: ["a", "b", "c", "d", "e", "f"] }] }))).toBe(
    "LimitExceeded.FilterValuesTooLong",
  );
  const eleven = Array.from({ length: 11 }, () => ({ Name: "tag-key", Values: ["a"] }));
  expect(await code(describe_({ Filters: eleven }))).toBe("InvalidParameterValue.TooLong");
  expect(
    await code(
      describe_({ LaunchConfigurationIds: Array.from({ length: 101 }, (_, i) => `asc-${String(i).padStart(8, "0")}`) }),
    ),
  ).toBe("InvalidParameterValue.TooLong");
  expect(await code(describe_({ Limit: 101 }))).toBe("InvalidParameterValue.LimitExceeded");
  expect(await code(describe_({ Bogus: 1 }))).toBe("UnknownParameter");
});

test("routing: the action needs version 2018-04-19 and a region; CVM actions are not Auto Scaling's", async () => {
  const viaCvmVersion = await raw(emu, { action: "DescribeLaunchConfigurations" });
  expect(viaCvmVersion.json.Response.Error.Code).toBe("InvalidAction");
  expect(viaCvmVersion.json.Response.Error.Message).toContain("2018-04-19");
  const asVersion = await raw(emu, { action: "DescribeLaunchConfigurations", version: "2018-04-19", service: "as" });
  expect(asVersion.json.Response.TotalCount).toBe(1);
  expect((await raw(emu, { action: "DescribeImages", version: "2018-04-19" })).json.Response.Error.Code).toBe(
    "InvalidAction",
  );
  expect(await code(asClient(emu, "alice", null).request("DescribeLaunchConfigurations", {}))).toBe("MissingParameter");
  expect(await code(asClient(emu, "alice", "ap-mars").request("DescribeLaunchConfigurations", {}))).toBe(
    "InvalidRegion.NotFound",
  );
});

test("a configuration whose image is deleted shows IMAGE_ABNORMAL and still names the image", async () => {
  const c = client(emu);
  const { ImageId } = await c.CreateImage({ ImageName: "lc-src", InstanceId: "ins-alicgz03" });
  await control(emu, "POST", "fixtures", {
    launchConfigurations: [
      { launchConfigurationId: "asc-doomed01", owner: "alice", region: GZ, name: "doomed", imageId: ImageId },
    ],
  });
  const status = async () => (await describe_({ LaunchConfigurationIds: ["asc-doomed01"] })).LaunchConfigurationSet[0];
  expect(await status()).toMatchObject({ ImageId, LaunchConfigurationStatus: "NORMAL" });
  await waitForState(c, ImageId!, "NORMAL");
  await c.DeleteImages({ ImageIds: [ImageId!] });
  await waitGone(c, ImageId!);
  expect(await status()).toMatchObject({ ImageId, LaunchConfigurationStatus: "IMAGE_ABNORMAL" });
});

test("launch-configuration fixtures are validated all or nothing", async () => {
  const bad = async (launchConfigurations: unknown[], message: RegExp) =>
    expect(
      control(emu, "POST", "fixtures", {
        launchTemplates: [{ owner: "alice", region: GZ, name: "t", versions: [{ imageId: "img-pubgz001" }] }],
        launchConfigurations,
      }),
    ).rejects.toThrow(message);
  await bad([{ owner: "alice", region: GZ, name: "c" }], /imageId/);
  await bad([{ owner: "alice", region: GZ, name: "c", imageId: "img-pubgz001", status: "BROKEN" }], /status/);
  await bad(
    [
      {
        owner: "alice",
        region: GZ,
        name: "c",
        imageId: "img-pubgz001",
        autoScalingGroups: [{ autoScalingGroupId: "group" }],
      },
    ],
    /autoScalingGroupId/,
  );
  await bad(
    [{ launchConfigurationId: "asc-alicgz01", owner: "alice", region: GZ, name: "c", imageId: "img-pubgz001" }],
    /already exists/,
  );
  expect((await client(emu).DescribeLaunchTemplates({})).TotalCount).toBe(1); // the template in each rejected batch was not added
});

test("launch templates and configurations are kept in the state file and come back on restart", async () => {
  const statePath = path.join(mkdtempSync(path.join(tmpdir(), "emu-lc-")), "state.json");
  const first = await start({ statePath });
  await control(first, "POST", "fixtures", {
    launchTemplates: [
      {
        launchTemplateId: "lt-kept0001",
        owner: "alice",
        region: GZ,
        name: "kept",
        versions: [{ imageId: "img-alicegz1" }],
      },
    ],
    launchConfigurations: [
      { launchConfigurationId: "asc-kept0001", owner: "alice", region: GZ, name: "kept", imageId: "img-alicegz1" },
    ],
  });
  const saved = JSON.parse(readFileSync(statePath, "utf8"));
  expect(saved.launchTemplates.map((t: any) => t.launchTemplateId)).toEqual(["lt-alicgz01", "lt-kept0001"]);
  expect(saved.launchConfigurations.map((c: any) => c.launchConfigurationId)).toEqual(["asc-alicgz01", "asc-kept0001"]);
  await first.stop();
  const second = await start({ statePath });
  try {
    const v = await client(second).DescribeLaunchTemplateVersions({ LaunchTemplateId: "lt-kept0001" });
    expect(v.LaunchTemplateVersionSet!.map((x) => x.LaunchTemplateVersionData?.ImageId)).toEqual(["img-alicegz1"]);
    const lc: any = await asClient(second).request("DescribeLaunchConfigurations", {
      LaunchConfigurationIds: ["asc-kept0001"],
    });
    expect(lc.LaunchConfigurationSet[0].ImageId).toBe("img-alicegz1");
  } finally {
    await second.stop();
  }
});
