// The console filter of the dynamic-provider host: the echo of a quiet error (provider/errors.ts) is dropped, nothing else.
import { installQuietConsole, quietConsoleInHost } from "../../../provider/src/provider/quiet-console";

describe("quiet errors", () => {
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

describe("quietConsoleInHost", () => {
  it("leaves console.error alone outside the dynamic-provider host (tests, library use)", () => {
    const before = console.error;
    quietConsoleInHost(["node", "/usr/bin/jest", "--maxWorkers=1"]);
    expect(console.error).toBe(before);
  });

  it("installs the filter in the dynamic-provider host (its script and the engine's address in argv)", () => {
    const original = console.error;
    const printed: unknown[][] = [];
    console.error = (...args: unknown[]) => void printed.push(args);
    try {
      quietConsoleInHost(["node", "/p/node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js", "127.0.0.1:4567"]);
      console.error(": ");
      console.error("kept");
    } finally {
      console.error = original;
    }
    expect(printed).toEqual([["kept"]]);
  });
});
