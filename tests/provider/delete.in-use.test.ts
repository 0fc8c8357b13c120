/**
 * "In use" beyond instances, against the emulator (issue 12): an image named by a launch template
 * version and by an Auto Scaling launch configuration is warned about by default and deleted,
 * blocked per kind under `block` with nothing changed; the old `instancesInUse` name still works
 * in check and in stored outputs; one usage scan serves many concurrent deletes; a refused Auto
 * Scaling scan warns or blocks by policy; the assessment reports them.
 */
import { assessDeletions } from "pulumi-tencentcloud-images";
import { describe as describeImage, provider, rejection, shownWhile, up, useHarness } from "./harness";

// The provider's per-process state, in the built package the shim requires (jest resolves the package name to the same file).
const { resetProcess } =
  require("pulumi-tencentcloud-images/dist/cloud/process") as typeof import("../../provider/src/cloud/process");

const h = useHarness(async () => {
  process.env.CVM_IMAGE_INSTANCE_SCAN_TTL_MS = "0";
  resetProcess();
});

const base = { fromInstance: { instanceId: "ins-web00001" } };
const GZ = "ap-guangzhou";
let serial = 0;
const suffix = () => `${process.pid % 1000}${serial++}`.padStart(8, "0").slice(-8);

/** An image named by version 2 (not the default, 1) and version 40 of a template, and by one launch configuration. */
async function referencedImage(name: string, props: Record<string, unknown> = {}) {
  const img = await up(name, { ...base, ...props });
  const id = suffix();
  await h.control("POST", "fixtures", {
    launchTemplates: [
      {
        launchTemplateId: `lt-${id}`,
        owner: "alice",
        region: GZ,
        name: `${name}-tmpl`,
        defaultVersion: 1,
        versions: [
          { version: 1, imageId: "img-pub00001" },
          { version: 2, imageId: img.id },
          { version: 40, imageId: img.id },
        ],
      },
    ],
    launchConfigurations: [
      { launchConfigurationId: `asc-${id}`, owner: "alice", region: GZ, name: `${name}-lc`, imageId: img.id },
    ],
  });
  return { ...img, template: `lt-${id}`, configuration: `asc-${id}` };
}

/** Runs the deletes at once, collecting the warnings the provider shows (one sink for all of them). */
async function deleteWithWarnings(...images: Array<{ id: string; outs: Record<string, unknown> }>): Promise<string> {
  return (await shownWhile(() => Promise.all(images.map((i) => provider.delete(i.id, i.outs))))).shown.join("\n");
}

test("warn (default): deleted, and the warnings name the template versions and the launch configuration", async () => {
  const img = await referencedImage("iu-warn");
  const text = await deleteWithWarnings(img);
  expect(await describeImage(h, img.id)).toBeNull();
  // Version 40 is beyond the API's default version range (0 to 30): the scan reads every version.
  expect(text).toContain(`launch templates still name the image and a launch from those versions`);
  expect(text).toContain(`${img.template} "iu-warn-tmpl" (versions 2, 40; not the default version 1)`);
  expect(text).toContain(
    `the next scale-out of their scaling groups will fail once it is deleted: ${img.configuration} "iu-warn-lc" (NORMAL)`,
  );
});

test.each([
  [
    "launchTemplates",
    /deletionPolicy\.inUse\.launchTemplates is "block"/,
    /DeleteLaunchTemplateVersions --region ap-guangzhou --endpoint http:\/\/127\.0\.0\.1:\d+ --LaunchTemplateId lt-[a-z0-9]{8} --LaunchTemplateVersions '\[2,40\]'/,
  ],
  [
    "launchConfigurations",
    /deletionPolicy\.inUse\.launchConfigurations is "block"/,
    /tccli as ModifyLaunchConfigurationAttributes --region ap-guangzhou --endpoint http:\/\/127\.0\.0\.1:\d+ --LaunchConfigurationId asc-[a-z0-9]{8} --ImageId <another image>/,
  ],
])("block %s: refused with the exact change, nothing changed", async (kind, reason, fix) => {
  const img = await referencedImage(`iu-block-${kind.length}`, {
    sharedWith: ["100000000002"],
    deletionPolicy: { inUse: { [kind]: "block" } },
  });
  expect(img.outs.deletionPolicy.inUse).toEqual({
    instances: "warn",
    launchTemplates: "warn",
    launchConfigurations: "warn",
    [kind]: "block",
  });
  await h.clearCalls();
  const e = await rejection(provider.delete(img.id, img.outs));
  expect(e.message).toMatch(reason);
  expect(e.message).toMatch(fix);
  expect(e.message).toMatch(/Already done: nothing was changed/);
  expect(await describeImage(h, img.id)).not.toBeNull();
  const counts = await h.counts();
  expect(counts.ModifyImageSharePermission ?? 0).toBe(0);
  expect(counts.DeleteImages ?? 0).toBe(0);
});

test("the old instancesInUse name: accepted by check, read from stored outputs (0.1), conflicting values refused", async () => {
  const checked = await provider.check(
    {},
    { ...base, deletionPolicy: { instancesInUse: "block" }, resourceName: "x", __provider: "p" },
  );
  expect(checked.failures ?? []).toEqual([]);
  expect(checked.inputs.deletionPolicy.inUse.instances).toBe("block");
  const both = await provider.check(
    {},
    {
      ...base,
      deletionPolicy: { instancesInUse: "block", inUse: { instances: "warn" } },
      resourceName: "x",
      __provider: "p",
    },
  );
  // The engine gets one failure whose lines each start with the property path (see check.test.ts).
  expect(both.failures?.map((f) => f.property)).toEqual([""]);
  expect(both.failures?.[0]?.reason).toMatch(
    /^deletionPolicy\.instancesInUse: .*deletionPolicy\.inUse\.instances is "warn"; remove deletionPolicy\.instancesInUse/m,
  );

  const img = await up("iu-old", base);
  await h.control("POST", "fixtures", {
    instances: [{ region: GZ, owner: "alice", name: "iu-old-vm", imageId: img.id, systemDisk: {} }],
  });
  const written01 = {
    ...img.outs,
    deletionPolicy: { unmanagedShares: "block", deleteSnapshots: false, instancesInUse: "block" },
  };
  const e = await rejection(provider.delete(img.id, written01));
  expect(e.message).toMatch(/"iu-old-vm" \(RUNNING\), and deletionPolicy\.inUse\.instances is "block"/);
  expect(await describeImage(h, img.id)).not.toBeNull();
});

test("concurrent deletes share one usage scan", async () => {
  const images = await Promise.all(["iu-c1", "iu-c2", "iu-c3", "iu-c4"].map((n) => referencedImage(n)));
  process.env.CVM_IMAGE_INSTANCE_SCAN_TTL_MS = "60000";
  resetProcess();
  await h.clearCalls();
  const warnings = await deleteWithWarnings(...images);
  const counts = await h.counts();
  expect(counts.DescribeInstances).toBe(1);
  expect(counts.DescribeLaunchTemplates).toBe(1);
  expect(counts.DescribeLaunchConfigurations).toBe(1);
  // One versions listing per template (the added ones and any earlier tests' templates), not per image.
  const templates = (await h.sdk().request("DescribeLaunchTemplates", { Limit: 100 })).TotalCount as number;
  expect(counts.DescribeLaunchTemplateVersions).toBe(templates);
  for (const img of images) expect(warnings).toContain(img.template);
  for (const i of images) expect(await describeImage(h, i.id)).toBeNull();
});

describe("a refused Auto Scaling scan", () => {
  // The refusal echoes the credentials of the call (as an API message may): the warning and the
  // error show the refusal without them. The refusal reaches the warning only through the API
  // layer's error, so only that layer's redaction keeps the keys out of the warning.
  const keys = () => ({ id: process.env.TENCENTCLOUD_SECRET_ID!, key: process.env.TENCENTCLOUD_SECRET_KEY! });
  const refuse = () => {
    const { id, key } = keys();
    expect(id).toMatch(/^AKID/);
    expect(key.length).toBeGreaterThan(8);
    const message = `CAM denies as:DescribeLaunchConfigurations to SecretId ${id} (request signed with SecretKey ${key})`;
    return h.control("POST", "faults", {
      action: "DescribeLaunchConfigurations",
      error: "UnauthorizedOperation",
      message,
    });
  };

  test("warn: the delete goes on, saying launch configurations could not be checked and why (no credential in the message)", async () => {
    const img = await referencedImage("iu-refused-warn");
    await refuse();
    const text = await deleteWithWarnings(img);
    expect(await describeImage(h, img.id)).toBeNull();
    expect(text).toContain(
      "Auto Scaling launch configurations could not be checked (DescribeLaunchConfigurations failed with UnauthorizedOperation: CAM denies as:DescribeLaunchConfigurations to SecretId *** (request signed with SecretKey ***))",
    );
    expect(text).toMatch(/the delete goes on \(deletionPolicy\.inUse\.launchConfigurations is "warn"\)/);
    expect(text).not.toContain(keys().id);
    expect(text).not.toContain(keys().key);
  });

  test("warn: a credential the call did not sign with, echoed by the refusal, is not in the warning either (the warnings' own redaction)", async () => {
    // A deploy token of the environment: the call layer redacts only the call's own keys, so this
    // one is left to the redaction every warning gets on its way out.
    const token = "ci-deploy-token-5f3c9a1b7e2d4c6a";
    process.env.CI_DEPLOY_TOKEN = token;
    try {
      const img = await referencedImage("iu-refused-other");
      await h.control("POST", "faults", {
        action: "DescribeLaunchConfigurations",
        error: "UnauthorizedOperation",
        message: `denied; the caller sent header X-Deploy ${token}`,
      });
      const text = await deleteWithWarnings(img);
      expect(text).toContain(
        "DescribeLaunchConfigurations failed with UnauthorizedOperation: denied; the caller sent header X-Deploy ***",
      );
      expect(text).not.toContain(token);
    } finally {
      delete process.env.CI_DEPLOY_TOKEN;
    }
  });

  test("block: stops before anything changes, with the cause and the fix (no credential in the message)", async () => {
    const img = await referencedImage("iu-refused-block", {
      deletionPolicy: { inUse: { launchConfigurations: "block" } },
    });
    await refuse();
    const e = await rejection(provider.delete(img.id, img.outs));
    expect(e.message).toContain(
      "could not be checked (DescribeLaunchConfigurations failed with UnauthorizedOperation: CAM denies as:DescribeLaunchConfigurations to SecretId *** (request signed with SecretKey ***))",
    );
    expect(e.message).toMatch(/give the credentials as:DescribeLaunchConfigurations/);
    expect(e.message).toMatch(/Already done: nothing was changed/);
    for (const text of [e.message, String(e.stack)]) {
      expect(text).not.toContain(keys().id);
      expect(text).not.toContain(keys().key);
    }
    expect(await describeImage(h, img.id)).not.toBeNull();
  });
});

test("the assessment reports templates and configurations in use", async () => {
  const img = await referencedImage("iu-assess", { deletionPolicy: { inUse: { launchTemplates: "block" } } });
  const [a] = await assessDeletions([{ imageId: img.id, outputs: img.outs }], { env: process.env });
  expect(a!.outcome).toBe("blocked");
  expect(a!.launchTemplatesInUse).toEqual([
    {
      launchTemplateId: img.template,
      launchTemplateName: "iu-assess-tmpl",
      versions: [2, 40],
      defaultVersion: 1,
      includesDefaultVersion: false,
    },
  ]);
  expect(a!.launchConfigurationsInUse).toEqual([
    { launchConfigurationId: img.configuration, launchConfigurationName: "iu-assess-lc", status: "NORMAL" },
  ]);
  expect(a!.warnings.join()).toContain(img.configuration);
});
