// "In use" through the real engine (issue 12): images named by a launch template version and by an
// Auto Scaling launch configuration are shown by the preflight, warned about by default (destroyed),
// and blocked under `block` (the destroy fails, the image stays).
import { formatTable, runPreflight } from "../../provider/src/preflight";
import { control, describeImage } from "../support/cloud";
import {
  CUSTOM_IMAGE_TYPE,
  declare,
  expectNoCredentialsInState,
  preflightThrough,
  worldWithStack,
} from "../support/e2e";

jest.setTimeout(240_000);

const ctx = worldWithStack();

test("launch templates and launch configurations: shown by the preflight, warned by default, blocked under block", async () => {
  const { world, stack } = ctx;
  const source = { fromInstance: { instanceId: world.instanceId } };
  declare(stack, [
    { name: "warned", args: { ...source, imageName: "e2e-inuse-warned" } },
    {
      name: "blocked",
      args: {
        ...source,
        imageName: "e2e-inuse-blocked",
        deletionPolicy: { inUse: { launchTemplates: "block", launchConfigurations: "block" } },
      },
    },
  ]);
  expect((await stack.up()).code).toBe(0);
  const { imageIds } = await stack.outputs();
  const region = world.emu.env("alice").TENCENTCLOUD_REGION!;
  const refs = (name: string, n: string) => ({
    launchTemplates: [
      {
        launchTemplateId: `lt-e2eiu00${n}`,
        owner: "alice",
        region,
        name: `${name}-tmpl`,
        defaultVersion: 1,
        versions: [{ version: 1, imageId: imageIds[name] }],
      },
    ],
    launchConfigurations: [
      { launchConfigurationId: `asc-e2eiu00${n}`, owner: "alice", region, name: `${name}-lc`, imageId: imageIds[name] },
    ],
  });
  for (const [name, n] of [
    ["warned", "1"],
    ["blocked", "2"],
  ] as const)
    await control(world.emu, "POST", "fixtures", refs(name, n));

  // The preflight, before the destroy.
  const report = await runPreflight({ ...preflightThrough(stack), destroy: true });
  const byName = Object.fromEntries(report.images.map((i) => [i.name, i]));
  expect(byName.warned).toMatchObject({
    status: "delete",
    launchTemplatesInUse: [
      {
        launchTemplateId: "lt-e2eiu001",
        launchTemplateName: "warned-tmpl",
        versions: [1],
        defaultVersion: 1,
        includesDefaultVersion: true,
      },
    ],
    launchConfigurationsInUse: [
      { launchConfigurationId: "asc-e2eiu001", launchConfigurationName: "warned-lc", status: "NORMAL" },
    ],
  });
  expect(byName.blocked!.status).toBe("blocked");
  expect(byName.blocked!.reasons.join("\n")).toMatch(
    /deletionPolicy\.inUse\.launchTemplates is "block"[\s\S]*deletionPolicy\.inUse\.launchConfigurations is "block"/,
  );
  const table = formatTable(report);
  expect(table).toMatch(/IN USE/);
  expect(table).toContain(
    "1 launch template still names it: lt-e2eiu002 (blocked-tmpl, version 1, the default version among them)",
  );
  expect(table).toContain("1 launch configuration still names it: asc-e2eiu001 (warned-lc, NORMAL)");

  // The destroy: the warned image goes (with the warning), the blocked one stays.
  const destroy = await stack.destroy(["--continue-on-error"]);
  expect(destroy.code).not.toBe(0);
  const said = destroy.stdout + destroy.stderr;
  expect(said).toMatch(/launch templates still name the image and a launch from those versions/);
  expect(said).toContain('asc-e2eiu001 "warned-lc"');
  expect(said).toMatch(/deletionPolicy\.inUse\.launchTemplates is "block"/);
  expect(said).toMatch(/DeleteLaunchTemplateVersions|CreateLaunchTemplateVersion/);
  expect(await describeImage(world.alice, imageIds.warned)).toBeUndefined();
  expect((await describeImage(world.alice, imageIds.blocked)).ImageState).toBe("NORMAL");
  expect((await stack.resourcesOfType(CUSTOM_IMAGE_TYPE)).map((r) => r.id)).toEqual([imageIds.blocked]);
  await expectNoCredentialsInState(stack, world);
});
