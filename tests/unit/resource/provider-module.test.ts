// The serialized provider's stable module (provider/src/resource/provider-module.ts): requiring it
// gives the shim object itself, so that Pulumi serializes each resource's provider as one require
// of this path, which users' states record.
import { customImageProvider } from "../../../provider/src/resource/shim";

test("module.exports is the shim's customImageProvider, with every verb", () => {
  const exported: unknown = require("../../../provider/src/resource/provider-module");
  expect(exported).toBe(customImageProvider);
  for (const verb of ["check", "diff", "create", "read", "update", "delete"])
    expect([verb, typeof (exported as Record<string, unknown>)[verb]]).toEqual([verb, "function"]);
});
