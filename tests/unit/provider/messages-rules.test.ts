// The texts of refusals: what failed, why, what was done and what to run; an unknown region named with where it came from.
import {
  explainApiCode,
  operationFailure,
  regionOrigin,
  unknownRegionText,
} from "../../../provider/src/provider/messages-rules";

describe("operationFailure", () => {
  const text = operationFailure({
    operation: "delete",
    imageId: "img-6q69vhww",
    imageName: "web",
    region: "ap-guangzhou",
    cause:
      'image is shared with 1 account (100000000003) outside the stack, and deletionPolicy.unmanagedShares is "block"',
    done: [],
    next: "cancel those shares yourself, then run the command again",
  });

  it("says what failed on the first line (all the engine's progress rows show), then why, what was done and what to run", () => {
    expect(text.split("\n")).toEqual([
      'Failed to delete image img-6q69vhww ("web") in ap-guangzhou.',
      'Cause: image is shared with 1 account (100000000003) outside the stack, and deletionPolicy.unmanagedShares is "block".',
      "Already done: nothing was changed.",
      "Next: cancel those shares yourself, then run the command again.",
    ]);
  });

  it("says nothing was changed once", () => {
    expect(text.match(/nothing was changed/g)).toHaveLength(1);
  });
});

describe("an unknown region", () => {
  const origin = (region: string, o: Parameters<typeof regionOrigin>[1]) => regionOrigin(region, o).kind;

  it("is traced to where the region came from, by the provider's precedence", () => {
    expect(origin("ap-x", { operation: "create", configRegion: "ap-x", envRegion: "ap-x" })).toBe("config");
    expect(origin("ap-x", { operation: "create", envRegion: "ap-x" })).toBe("env");
    expect(origin("ap-x", { operation: "create", configRegion: "ap-guangzhou", envRegion: "ap-x" })).toBe("input");
    expect(origin("ap-x", { operation: "create", profile: "build", profileRegion: "ap-x" })).toBe("profile");
    expect(origin("ap-x", { operation: "create" })).toBe("input");
    expect(origin("ap-x", { operation: "delete", configRegion: "ap-x" })).toBe("state");
  });

  it("is explained with that source and how to fix it", () => {
    expect(unknownRegionText("InvalidRegion.NotFound", "ap-nowhere", { kind: "config" })).toBe(
      'the region "ap-nowhere" is not one the API serves (InvalidRegion.NotFound); it came from the stack config tencentcloud:region. ' +
        "Set a region such as ap-guangzhou with `pulumi config set tencentcloud:region ap-guangzhou`, or set `region` on the resource",
    );
    expect(unknownRegionText("UnsupportedRegion", "ap-x", { kind: "env" })).toContain(
      "it came from the environment variable TENCENTCLOUD_REGION",
    );
    expect(unknownRegionText("UnsupportedRegion", "ap-x", { kind: "profile", profile: "build" })).toContain(
      "`tccli configure set region ap-guangzhou --profile build`",
    );
    expect(unknownRegionText("UnsupportedRegion", "ap-x", { kind: "input" })).toContain(
      "it came from the resource's `region` input",
    );
    expect(explainApiCode("InvalidRegion.NotFound", { region: "ap-x", regionOrigin: { kind: "state" } })).toContain(
      "the region the stack state records for this image",
    );
  });
});
