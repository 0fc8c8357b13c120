/**
 * "In use" beyond instances (issue 12): the planner under `deletionPolicy.inUse` for instances,
 * launch templates and launch configurations (found, or not checkable; the scan itself:
 * tests/unit/cloud/usage-rules.test.ts), the deprecated
 * `instancesInUse` name in check, stored outputs and diff, and the preflight's rendering.
 */
import { deleteSpecFromOutputs, decideDeletion } from "../../../provider/src/provider/deletion-rules";
import { diffState } from "../../../provider/src/provider/diff-rules";
import {
  DEFAULT_DELETION_POLICY,
  DEFAULT_TIMEOUTS,
  ImageFacts,
  ImageUsage,
  NO_USAGE,
} from "../../../provider/src/schema/types";
import { checkInputs } from "../../../provider/src/provider/check-rules";
import { formatMarkdown, formatTable, runPreflight } from "../../../provider/src/preflight";
import { imageFacts } from "../../support/image-facts";
import { fakeAssess, fixturePath, WORLD } from "../preflight/fakes";

const image = (over: Partial<ImageFacts> = {}): ImageFacts =>
  imageFacts({ createdTime: "", architecture: "", platform: "", osName: "", ...over });
const spec = (deletionPolicy: Record<string, unknown> = {}) =>
  deleteSpecFromOutputs("img-abcd1234", { region: "ap-guangzhou", imageName: "web", sharedWith: [], deletionPolicy });

const TEMPLATE = {
  launchTemplateId: "lt-web00001",
  launchTemplateName: "web",
  versions: [2, 3],
  defaultVersion: 3,
  includesDefaultVersion: true,
};
const CONFIGURATION = { launchConfigurationId: "asc-web00001", launchConfigurationName: "web-lc", status: "NORMAL" };
const used: ImageUsage = { ...NO_USAGE, launchTemplates: [TEMPLATE], launchConfigurations: [CONFIGURATION] };

describe("decideDeletion: deletionPolicy.inUse", () => {
  test("warn (the default): deleted, each kind named with what breaks", () => {
    const p = decideDeletion(spec(), { image: image(), shares: [], usage: used });
    expect(p.outcome).toBe("delete");
    expect(p.launchTemplatesInUse).toEqual([TEMPLATE]);
    expect(p.launchConfigurationsInUse).toEqual([CONFIGURATION]);
    expect(p.warnings).toEqual([
      'launch templates still name the image and a launch from those versions (a launch that names no version uses the default) will fail once it is deleted: lt-web00001 "web" (versions 2, 3; the default version 3 among them)',
      'Auto Scaling launch configurations still name the image and the next scale-out of their scaling groups will fail once it is deleted: asc-web00001 "web-lc" (NORMAL)',
    ]);
  });

  test("block per kind: refused with the exact change and the policy route; the other kind still warns", () => {
    const t = decideDeletion(
      spec({ inUse: { launchTemplates: "block" } }),
      { image: image(), shares: [], usage: used },
      "destroy",
    );
    expect(t.outcome).toBe("blocked");
    expect(t.reasons).toEqual([
      `launch templates still name the image: lt-web00001 "web" (versions 2, 3; the default version 3 among them), and deletionPolicy.inUse.launchTemplates is "block"`,
    ]);
    expect(t.nextSteps).toHaveLength(1);
    expect(t.nextSteps[0]).toContain(
      "`tccli cvm CreateLaunchTemplateVersion --region ap-guangzhou --LaunchTemplateId lt-web00001 --LaunchTemplateVersion 3",
    );
    expect(t.nextSteps[0]).toContain(
      "`tccli cvm ModifyLaunchTemplateDefaultVersion --region ap-guangzhou --LaunchTemplateId lt-web00001 --DefaultVersion <the new version>`",
    );
    expect(t.nextSteps[0]).toContain(
      "`tccli cvm DeleteLaunchTemplateVersions --region ap-guangzhou --LaunchTemplateId lt-web00001 --LaunchTemplateVersions '[2,3]'`",
    );
    expect(t.nextSteps[0]).toMatch(
      /then run the command again; or set `deletionPolicy: \{ inUse: \{ launchTemplates: "warn" \} \}` on the resource, run `pulumi up`, then `pulumi destroy` again$/,
    );
    expect(t.warnings.join()).toMatch(/asc-web00001/);

    const c = decideDeletion(spec({ inUse: { launchConfigurations: "block" } }), {
      image: image(),
      shares: [],
      usage: used,
    });
    expect(c.outcome).toBe("blocked");
    expect(c.reasons.join()).toMatch(
      /asc-web00001 "web-lc" \(NORMAL\), and deletionPolicy.inUse.launchConfigurations is "block"/,
    );
    expect(c.nextSteps[0]).toContain(
      "`tccli as ModifyLaunchConfigurationAttributes --region ap-guangzhou --LaunchConfigurationId asc-web00001 --ImageId <another image>`",
    );
    expect(c.nextSteps[0]).toContain('`deletionPolicy: { inUse: { launchConfigurations: "warn" } }`');
  });

  test("a template whose default version does not name the image: only delete those versions", () => {
    const usage = { ...NO_USAGE, launchTemplates: [{ ...TEMPLATE, versions: [2], includesDefaultVersion: false }] };
    const p = decideDeletion(spec({ inUse: { launchTemplates: "block" } }), { image: image(), shares: [], usage });
    expect(p.reasons[0]).toMatch(/\(version 2; not the default version 3\)/);
    expect(p.nextSteps[0]).toMatch(
      /^for lt-web00001, delete those versions with `tccli cvm DeleteLaunchTemplateVersions --region ap-guangzhou --LaunchTemplateId lt-web00001 --LaunchTemplateVersions '\[2\]'`/,
    );
    expect(p.nextSteps[0]).not.toContain("CreateLaunchTemplateVersion");
  });

  test("a kind that could not be checked: warn goes on saying why; block stops with the cause and the fix", () => {
    const cause = "DescribeLaunchConfigurations failed with UnauthorizedOperation: not allowed";
    const usage = { ...NO_USAGE, unchecked: { launchConfigurations: cause } };
    const warn = decideDeletion(spec(), { image: image(), shares: [], usage });
    expect(warn.outcome).toBe("delete");
    expect(warn.warnings).toEqual([
      `Auto Scaling launch configurations could not be checked (${cause}), so some may still name the image; the delete goes on (deletionPolicy.inUse.launchConfigurations is "warn")`,
    ]);
    const block = decideDeletion(spec({ inUse: { launchConfigurations: "block" } }), {
      image: image(),
      shares: [],
      usage,
    });
    expect(block.outcome).toBe("blocked");
    expect(block.reasons).toEqual([
      `Auto Scaling launch configurations could not be checked (${cause}), and deletionPolicy.inUse.launchConfigurations is "block"`,
    ]);
    expect(block.nextSteps[0]).toMatch(
      /^give the credentials as:DescribeLaunchConfigurations \(or wait until that service answers\), then run the command again; or set `deletionPolicy: \{ inUse: \{ launchConfigurations: "warn" \} \}`/,
    );
  });
});

describe("the deprecated deletionPolicy.instancesInUse", () => {
  const ctx = { defaultRegion: "ap-guangzhou", randomHex: () => "abcdef1234" };
  const src = { fromInstance: { instanceId: "ins-abcd1234" } };
  const check = (deletionPolicy: unknown) => checkInputs({}, { ...src, deletionPolicy }, ctx);

  test("check accepts it as inUse.instances, and fills every kind's default", () => {
    const r = check({ instancesInUse: "block" });
    expect(r.failures).toEqual([]);
    expect(r.inputs.deletionPolicy).toEqual({
      unmanagedShares: "block",
      deleteSnapshots: false,
      inUse: { instances: "block", launchTemplates: "warn", launchConfigurations: "warn" },
    });
    expect(check({ instancesInUse: "block", inUse: { instances: "block" } }).failures).toEqual([]);
  });

  test("both names set to different values fail the check, naming both and the fix", () => {
    const r = check({ instancesInUse: "block", inUse: { instances: "warn" } });
    expect(r.failures).toEqual([
      {
        property: "deletionPolicy.instancesInUse",
        reason:
          'deletionPolicy.instancesInUse (the deprecated name of deletionPolicy.inUse.instances) is "block" but deletionPolicy.inUse.instances is "warn"; remove deletionPolicy.instancesInUse and keep only deletionPolicy.inUse.instances with the value you want',
      },
    ]);
  });

  test("a wrong value is reported where it was written", () => {
    expect(check({ instancesInUse: "ignore" }).failures.map((f) => f.property)).toEqual([
      "deletionPolicy.instancesInUse",
    ]);
    expect(check({ inUse: { launchTemplates: "ignore" } }).failures.map((f) => f.property)).toEqual([
      "deletionPolicy.inUse.launchTemplates",
    ]);
  });

  test("states written by 0.1 are read by delete, and diff sees no change against the same policy", () => {
    expect(
      deleteSpecFromOutputs("img-1", { deletionPolicy: { instancesInUse: "block" } }).deletionPolicy.inUse,
    ).toEqual({ instances: "block", launchTemplates: "warn", launchConfigurations: "warn" });
    const base = {
      region: "ap-guangzhou",
      imageName: "web",
      sharedWith: [],
      fromInstance: { instanceId: "ins-abcd1234" },
      timeouts: DEFAULT_TIMEOUTS,
      __provider: "P",
    };
    const old = {
      ...base,
      imageId: "img-1",
      deletionPolicy: { unmanagedShares: "block", deleteSnapshots: false, instancesInUse: "block" },
    };
    const same = {
      ...base,
      deletionPolicy: {
        ...DEFAULT_DELETION_POLICY,
        inUse: { ...DEFAULT_DELETION_POLICY.inUse, instances: "block" as const },
      },
    };
    expect(diffState(old as never, same).changes).toBe(false);
    const other = {
      ...base,
      deletionPolicy: {
        ...DEFAULT_DELETION_POLICY,
        unmanagedShares: "unshare" as const,
        inUse: same.deletionPolicy.inUse,
      },
    };
    expect(Object.keys(diffState(old as never, other).detailedDiff)).toEqual(["deletionPolicy.unmanagedShares"]);
  });
});

describe("preflight rendering", () => {
  const world = {
    ...WORLD,
    "img-6pb6lrmy": {
      ...WORLD["img-6pb6lrmy"],
      launchTemplatesInUse: [TEMPLATE],
      launchConfigurationsInUse: [CONFIGURATION],
    },
  };
  const report = () => runPreflight({ plan: fixturePath("destroy-preview.json"), assess: fakeAssess(world).assess });

  test("the IN USE count covers all three kinds; describe lines name templates and configurations", async () => {
    const text = formatTable(await report());
    const lines = text.split("\n");
    const header = lines.find((l) => l.startsWith("RESOURCE"))!;
    const web = lines.find((l) => l.startsWith("web "))!;
    expect(web.slice(header.indexOf("IN USE")).trim()).toBe("4"); // 2 instances, 1 template, 1 configuration
    expect(text).toContain(
      "  - 1 launch template still names it: lt-web00001 (web, versions 2, 3, the default version among them)",
    );
    expect(text).toContain("  - 1 launch configuration still names it: asc-web00001 (web-lc, NORMAL)");
    const md = formatMarkdown(await report());
    expect(md).toMatch(/\| `web` \| delete \| `img-6pb6lrmy` [^|]* \| ap-guangzhou \| 🗑️ will be deleted \| 1 \| 4 \|/);
    expect(md).toContain(
      "- 1 launch template still names it: lt-web00001 (web, versions 2, 3, the default version among them)",
    );
  });
});
