import { engineAddress, onceSink, resourceUrn } from "../../../provider/src/cloud/diagnostics";

const TYPE = "pulumi-nodejs:dynamic/tencentcloud-images:CustomImage";

test("the URN of a resource whose parent is the stack has just its own type", () => {
  expect(resourceUrn(undefined, "dev", "images-app", TYPE, "web")).toBe(`urn:pulumi:dev::images-app::${TYPE}::web`);
  expect(
    resourceUrn("urn:pulumi:dev::images-app::pulumi:pulumi:Stack::images-app-dev", "dev", "images-app", TYPE, "web"),
  ).toBe(`urn:pulumi:dev::images-app::${TYPE}::web`);
});

test("the URN of a resource in a component carries the component's qualified type", () => {
  const parent = "urn:pulumi:dev::images-app::acme:Golden$acme:Tier::web-tier";
  expect(resourceUrn(parent, "dev", "images-app", TYPE, "web")).toBe(
    `urn:pulumi:dev::images-app::acme:Golden$acme:Tier$${TYPE}::web`,
  );
});

test("the engine address is read only in Pulumi's dynamic-provider host", () => {
  const host = "/p/node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js";
  expect(engineAddress(["/usr/bin/node", host, "127.0.0.1:41083"])).toBe("127.0.0.1:41083");
  expect(engineAddress(["/usr/bin/node", "/p/node_modules/@pulumi/pulumi/cmd/dynamic-provider", "127.0.0.1:1"])).toBe(
    "127.0.0.1:1",
  );
  expect(engineAddress(["/usr/bin/node", "/p/node_modules/jest/bin/jest.js", "127.0.0.1:41083"])).toBeUndefined();
  expect(engineAddress(["/usr/bin/node", host, "--flag"])).toBeUndefined();
  expect(engineAddress(["/usr/bin/node", host])).toBeUndefined();
});

test("onceSink passes each message on once per resource (the engine diffs again at a refresh, after read warned)", async () => {
  const shown: Array<[string | undefined, string]> = [];
  const sink = onceSink({ warn: async (urn, message) => void shown.push([urn, message]) });
  for (const [urn, message] of [
    ["urn:a", "shared outside"],
    ["urn:a", "shared outside"],
    ["urn:b", "shared outside"],
    ["urn:a", "other"],
    [undefined, "x"],
    [undefined, "x"],
  ] as const) {
    await sink.warn(urn, message);
  }
  expect(shown).toEqual([
    ["urn:a", "shared outside"],
    ["urn:b", "shared outside"],
    ["urn:a", "other"],
    [undefined, "x"],
  ]);
});
