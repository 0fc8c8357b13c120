/**
 * The planner on launch configurations by family (pure): the message names the configuration, the
 * family and the fallback (or that none is left), under `warn` and `block`; an unresolved family warns
 * or blocks as a refused scan does, naming `cvm:DescribeImageFromFamily`.
 */
import { fallbackText, usageFindings } from "../../../provider/src/provider/in-use-rules";
import { DEFAULT_DELETION_POLICY, type ImageUsage, NO_USAGE } from "../../../provider/src/schema/types";

const target = { region: "ap-guangzhou" };
const BY_FAMILY = {
  launchConfigurationId: "asc-web00001",
  launchConfigurationName: "web-lc",
  status: "NORMAL",
  imageFamily: "web",
  fallback: { image: { imageId: "img-old00001", imageName: "web-1" } },
};
const warn = DEFAULT_DELETION_POLICY.inUse;
const block = { ...warn, launchConfigurations: "block" as const };

describe("fallbackText", () => {
  test("the image, none left, both candidates, unknown", () => {
    expect(fallbackText({ image: { imageId: "img-a", imageName: "a" } })).toBe(
      'after the delete the family falls back to img-a "a"',
    );
    expect(fallbackText({})).toBe(
      "no other available image of the family is left after the delete, so the next scale-out will fail",
    );
    expect(
      fallbackText({
        image: { imageId: "img-a", imageName: "" },
        ifDeprecatedCount: { imageId: "img-d", imageName: "d" },
      }),
    ).toBe(
      'after the delete the family falls back to img-a, or if DescribeImageFromFamily counts deprecated images (not documented) the deprecated img-d "d"',
    );
    expect(fallbackText({ ifDeprecatedCount: { imageId: "img-d", imageName: "d" } })).toBe(
      "no other available image of the family is left after the delete, so the next scale-out will fail (unless, " +
        'if DescribeImageFromFamily counts deprecated images (not documented) the deprecated img-d "d" is left)',
    );
    expect(fallbackText({ unknown: "DescribeImages failed" })).toBe(
      "the image the family falls back to after the delete is unknown (its images could not be listed: DescribeImages failed)",
    );
  });
});

describe("usageFindings: by family", () => {
  const usage: ImageUsage = { ...NO_USAGE, launchConfigurations: [BY_FAMILY] };

  test("warn: one warning naming the configuration, the family and the fallback", () => {
    const f = usageFindings(usage, warn, target, "destroy");
    expect(f.launchConfigurationsInUse).toEqual([BY_FAMILY]);
    expect(f.reasons).toEqual([]);
    expect(f.warnings).toEqual([
      "Auto Scaling launch configurations launch the image as their family's current image and their next scale-out " +
        'launches what the family falls back to once it is deleted: asc-web00001 "web-lc" (NORMAL) uses the image ' +
        'through family "web": after the delete the family falls back to img-old00001 "web-1"',
    ]);
  });

  test("block: the reason, the pinning command and the policy route", () => {
    const f = usageFindings(usage, block, target, "destroy");
    expect(f.warnings).toEqual([]);
    expect(f.reasons[0]).toMatch(
      /uses the image through family "web".*deletionPolicy\.inUse\.launchConfigurations is "block"$/,
    );
    expect(f.nextSteps[0]).toContain(
      "pin asc-web00001 to an image with `tccli as ModifyLaunchConfigurationAttributes --region ap-guangzhou " +
        "--LaunchConfigurationId asc-web00001 --ImageId <another image>` (or --ImageFamily <another family> instead of --ImageId)",
    );
  });

  test("an unresolved family: warns, or blocks naming the permission", () => {
    const { fallback: _f, ...config } = BY_FAMILY;
    const unresolved: ImageUsage = {
      ...NO_USAGE,
      uncheckedFamilies: [{ imageFamily: "web", launchConfigurations: [config], cause: "UnauthorizedOperation" }],
    };
    expect(usageFindings(unresolved, warn, target, "destroy").warnings).toEqual([
      'the current image of family "web", which asc-web00001 "web-lc" (NORMAL) launches, could not be resolved ' +
        "(UnauthorizedOperation), so the image may be what they launch; the delete goes on " +
        '(deletionPolicy.inUse.launchConfigurations is "warn")',
    ]);
    const b = usageFindings(unresolved, block, target, "destroy");
    expect(b.reasons).toHaveLength(1);
    expect(b.nextSteps[0]).toMatch(/^give the credentials cvm:DescribeImageFromFamily/);
  });
});
