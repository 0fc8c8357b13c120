// What of a usage scan (instances, launch templates, launch configurations) uses one image.
import { imageUsage, UsageScan } from "../../../provider/src/cloud/usage-rules";

const TEMPLATE = {
  launchTemplateId: "lt-web00001",
  launchTemplateName: "web",
  versions: [2, 3],
  defaultVersion: 3,
  includesDefaultVersion: true,
};

describe("imageUsage: what of a scan uses one image", () => {
  const scan: UsageScan = {
    instances: {
      items: [
        { instanceId: "ins-a", instanceName: "a", state: "RUNNING", imageId: "img-abcd1234" },
        { instanceId: "ins-b", instanceName: "b", state: "RUNNING", imageId: "img-other000" },
      ],
    },
    launchTemplates: {
      items: [
        {
          launchTemplateId: "lt-web00001",
          launchTemplateName: "web",
          defaultVersion: 3,
          versions: [
            { version: 1, imageId: "img-other000" },
            { version: 2, imageId: "img-abcd1234" },
            { version: 3, imageId: "img-abcd1234" },
          ],
        },
        {
          launchTemplateId: "lt-batch001",
          launchTemplateName: "batch",
          defaultVersion: 1,
          versions: [
            { version: 1, imageId: "img-other000" },
            { version: 40, imageId: "img-abcd1234" },
          ],
        },
        {
          launchTemplateId: "lt-none0001",
          launchTemplateName: "none",
          defaultVersion: 1,
          versions: [{ version: 1, imageId: "img-other000" }],
        },
      ],
    },
    launchConfigurations: { refused: "DescribeLaunchConfigurations failed with UnauthorizedOperation: no permission" },
  };
  test("versions that name the image, whether the default is among them; refused kinds named", () => {
    const u = imageUsage(scan, "img-abcd1234");
    expect(u.instances.map((i) => i.instanceId)).toEqual(["ins-a"]);
    expect(u.launchTemplates).toEqual([
      TEMPLATE,
      {
        launchTemplateId: "lt-batch001",
        launchTemplateName: "batch",
        versions: [40],
        defaultVersion: 1,
        includesDefaultVersion: false,
      },
    ]);
    expect(u.launchConfigurations).toEqual([]);
    expect(u.unchecked).toEqual({
      launchConfigurations: "DescribeLaunchConfigurations failed with UnauthorizedOperation: no permission",
    });
  });
});
