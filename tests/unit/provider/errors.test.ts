// How expected refusals reach the engine: printed once, without a stack trace, in short lines;
// options that never reach a dynamic provider named with what to use instead; an unknown region
// named with where it came from.
import { installQuietConsole } from "../../../provider/src/provider/quiet-console";
import {
  explainApiCode,
  operationFailure,
  regionOrigin,
  unknownRegionText,
} from "../../../provider/src/provider/messages-rules";
import {
  engineCheckFailures,
  isExplainedFailure,
  optionWarnings,
  quietError,
  quietIfExplained,
} from "../../../provider/src/provider/errors";
import { REPLACE_KEYS } from "../../../provider/src/schema/properties";

/** What Pulumi's dynamic-provider host prints to stderr for a failed check, diff, read or delete. */
const hostEcho = (e: Error): string => `${e}: ${e.stack}`;

describe("quiet errors", () => {
  it("leave the host's echo with no trace and no copy of the message; the message itself stays", () => {
    const e = new Error("Failed to delete image img-1.\nCause: shared.");
    expect(hostEcho(e)).toMatch(/^Error: Failed to delete image img-1\.\nCause: shared\.: Error: Failed.*\n\s+at /s);
    quietError(e);
    expect(hostEcho(e)).toBe(": ");
    expect(e.message).toBe("Failed to delete image img-1.\nCause: shared.");
  });

  it("are made only of explained failures: a bug keeps its stack trace", () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'x')");
    expect(isExplainedFailure(bug)).toBe(false);
    expect(quietIfExplained(bug).stack).toMatch(/\n\s+at /);
    expect(isExplainedFailure(new Error("refused"))).toBe(true);
    expect(hostEcho(quietIfExplained(new Error("refused")))).toBe(": ");
  });

  it("have their echo dropped by the console filter, and nothing else", () => {
    const printed: unknown[][] = [];
    const target = { error: (...args: unknown[]) => void printed.push(args) };
    installQuietConsole(target);
    installQuietConsole(target); // idempotent: one wrapper
    target.error(": "); // what the host prints for a quiet error
    target.error("TypeError: boom: TypeError: boom\n    at x");
    target.error(": ", "more");
    expect(printed).toEqual([["TypeError: boom: TypeError: boom\n    at x"], [": ", "more"]]);
  });
});

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

describe("engineCheckFailures", () => {
  it("gives the engine one failure without a property (no `value {<nil>}`), first line what happened, last what to run", () => {
    expect(
      engineCheckFailures([
        { property: "deletionPolicy.unmanagedShares", reason: '"maybe" is not allowed; use one of "block", "unshare"' },
      ]),
    ).toEqual([
      {
        property: "",
        reason:
          "the input deletionPolicy.unmanagedShares is not valid; nothing was sent to the cloud.\n" +
          'deletionPolicy.unmanagedShares: "maybe" is not allowed; use one of "block", "unshare".\n' +
          "Fix the program, then run the command again.",
      },
    ]);
    expect(engineCheckFailures([])).toEqual([]);
    const two = engineCheckFailures([
      { property: "a", reason: "x." },
      { property: "b", reason: "y" },
    ]);
    expect(two[0]!.reason.split("\n")).toEqual([
      "2 inputs are not valid; nothing was sent to the cloud.",
      "a: x.",
      "b: y.",
      "Fix the program, then run the command again.",
    ]);
  });
});

describe("optionWarnings", () => {
  it("names the timeouts input for customTimeouts, with the values given", () => {
    expect(optionWarnings({ customTimeouts: { create: "90m", delete: "1h" } }, REPLACE_KEYS)).toEqual([
      'customTimeouts has no effect on a CustomImage: Pulumi does not pass it to dynamic providers. Use the `timeouts` input instead: `timeouts: { create: "90m", delete: "1h" }` (durations like "90s", "10m", "1h30m").',
    ]);
  });

  it("names the inputs that already replace for replaceOnChanges, and those that change in place", () => {
    const [w] = optionWarnings({ replaceOnChanges: ["imageName", "fromInstance.instanceId"] }, REPLACE_KEYS);
    expect(w).toBe(
      "replaceOnChanges has no effect on a CustomImage: its dynamic provider reports no changed properties for the engine to match. " +
        "These inputs already replace the image when they change: fromInstance, fromSnapshots, fromImport, adoptImageId, region. " +
        "imageName changes in place. To replace the image anyway, run `pulumi up --replace <urn>`.",
    );
  });

  it("says nothing without those options", () => {
    expect(optionWarnings(undefined, REPLACE_KEYS)).toEqual([]);
    expect(optionWarnings({ customTimeouts: undefined }, REPLACE_KEYS)).toEqual([]);
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
