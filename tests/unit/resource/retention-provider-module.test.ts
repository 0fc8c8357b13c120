// The serialized provider's stable module of ImageRetention (provider/src/resource/retention-provider-module.ts):
// requiring it gives the shim object itself, so that Pulumi serializes each retention's provider as one
// require of this path, which users' states record.
import { imageRetentionProvider } from "../../../provider/src/resource/retention-shim";
import { customImageProvider } from "../../../provider/src/resource/shim";

test("module.exports is the retention shim's imageRetentionProvider, with every verb", () => {
  const exported: unknown = require("../../../provider/src/resource/retention-provider-module");
  expect(exported).toBe(imageRetentionProvider);
  expect(exported).not.toBe(customImageProvider);
  for (const verb of ["configure", "check", "diff", "create", "read", "update", "delete"])
    expect([verb, typeof (exported as Record<string, unknown>)[verb]]).toEqual([verb, "function"]);
});

test("it exports the shim and nothing else (no default wrapper, no other names)", () => {
  const exported = require("../../../provider/src/resource/retention-provider-module") as Record<string, unknown>;
  expect(Object.keys(exported).sort()).toEqual(["check", "configure", "create", "delete", "diff", "read", "update"]);
});
