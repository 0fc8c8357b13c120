// How expected refusals reach the engine: printed once, without a stack trace, in short lines;
// options that never reach a dynamic provider named with what to use instead. (The texts
// themselves: messages-rules.test.ts; the host's console filter: quiet-console.test.ts.)
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
