// The ways forward that refusals name (provider/src/cloud/commands-rules.ts): how a deletion policy
// field is changed for the context of the delete, and the exact tccli calls.
import {
  cancelSharesCommand,
  policyRoute,
  tccliCommand,
  type DeleteContext,
} from "../../../provider/src/cloud/commands-rules";

describe("policyRoute", () => {
  const setting = 'unmanagedShares: "unshare"';

  test("names the policy as program source in every context", () => {
    for (const context of ["destroy", "removed", "replace", "unknown"] as DeleteContext[])
      expect(policyRoute(setting, context)).toContain('`deletionPolicy: { unmanagedShares: "unshare" }`');
  });

  test("a destroy: set it, pulumi up, then destroy again", () => {
    expect(policyRoute(setting, "destroy")).toBe(
      'set `deletionPolicy: { unmanagedShares: "unshare" }` on the resource, run `pulumi up`, then `pulumi destroy` again',
    );
  });

  test("a resource removed from the program is put back first, then removed again", () => {
    expect(policyRoute(setting, "removed")).toMatch(
      /^put the resource back in the program with .*then remove it again/,
    );
  });

  test("a replacement: an up with only the policy added, then the change again", () => {
    expect(policyRoute(setting, "replace")).toMatch(
      /^first run `pulumi up` with only .* added .*then make the change again$/,
    );
  });

  test("unknown context: covers both a resource still declared and one removed", () => {
    expect(policyRoute(setting, "unknown")).toContain("put it back in the program first if it was removed");
    expect(policyRoute(setting, "unknown")).toMatch(/then delete it again$/);
  });
});

describe("tccliCommand", () => {
  test("profile, region and the service's endpoint, each only when given, before the arguments", () => {
    const target = { region: "ap-guangzhou", profile: "build", endpoints: { cvm: "http://127.0.0.1:8080" } };
    expect(tccliCommand(target, "cvm", "DescribeImages", "--ImageIds '[\"img-1\"]'")).toBe(
      "`tccli cvm DescribeImages --profile build --region ap-guangzhou --endpoint http://127.0.0.1:8080 --ImageIds '[\"img-1\"]'`",
    );
    // The endpoint is per service: none for Auto Scaling here.
    expect(tccliCommand(target, "as", "DescribeLaunchConfigurations", "")).toBe(
      "`tccli as DescribeLaunchConfigurations --profile build --region ap-guangzhou `",
    );
    expect(tccliCommand({ region: "" }, "cvm", "DescribeImages", "--Limit 1")).toBe(
      "`tccli cvm DescribeImages --Limit 1`",
    );
  });
});

describe("cancelSharesCommand", () => {
  test("one ModifyImageSharePermission CANCEL call for the image and the accounts", () => {
    expect(
      cancelSharesCommand({ region: "ap-shanghai", profile: "p", imageId: "img-abcd1234" }, [
        "100000000002",
        "100000000003",
      ]),
    ).toBe(
      "`tccli cvm ModifyImageSharePermission --profile p --region ap-shanghai " +
        '--ImageId img-abcd1234 --AccountIds \'["100000000002","100000000003"]\' --Permission CANCEL`',
    );
  });
});
