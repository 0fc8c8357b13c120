import * as pulumi from "@pulumi/pulumi";
import { CustomImage } from "pulumi-tencentcloud-images";

const registered: Array<{ type: string; name: string; inputs: Record<string, unknown> }> = [];
beforeAll(() =>
  pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs });
        return {
          id: "img-mock0001",
          state: { ...args.inputs, imageId: "img-mock0001", imageName: "web-1234567", unmanagedShares: [] },
        };
      },
      call: (args) => args.inputs,
    },
    "proj",
    "dev",
    false,
  ),
);

const value = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply((v) => resolve(v)));

test("registers with the agreed type token, passes the resource name, exposes the outputs", async () => {
  const img = new CustomImage("web", { fromInstance: { instanceId: "ins-abcd1234" }, sharedWith: ["100000000002"] });
  expect(await value(img.id)).toBe("img-mock0001");
  expect(await value(img.imageName)).toBe("web-1234567");
  expect(await value(img.imageId)).toBe("img-mock0001");
  expect(await value(img.unmanagedShares)).toEqual([]);
  const r = registered.find((x) => x.name === "web")!;
  expect(r.type).toBe("pulumi-nodejs:dynamic/tencentcloud-images:CustomImage");
  expect(r.inputs).toMatchObject({
    resourceName: "web",
    fromInstance: { instanceId: "ins-abcd1234" },
    sharedWith: ["100000000002"],
  });
  expect(typeof r.inputs.__provider).toBe("string");
  expect(r.inputs.__provider).toContain('require("pulumi-tencentcloud-images/dist/provider")');
});

test("outputs the state leaves out at their defaults read as the defaults", async () => {
  // The mock's state, like a stored one, has no deletionPolicy, timeouts, copies, tags, snapshotIds...
  const img = new CustomImage("plain", { adoptImageId: "img-abcd1234" });
  expect(await value(img.deletionPolicy)).toEqual({
    unmanagedShares: "block",
    deleteSnapshots: false,
    inUse: { instances: "warn", launchTemplates: "warn", launchConfigurations: "warn" },
  });
  expect(await value(img.timeouts)).toEqual({ create: "60m", update: "20m", delete: "30m" });
  expect(await value(img.copies)).toEqual({});
  expect(await value(img.copyTo)).toEqual([]);
  expect(await value(img.tags)).toEqual({});
  expect(await value(img.snapshotIds)).toEqual([]);
  expect(await value(img.sharedWith)).toEqual([]);
  expect(await value(img.imageDescription)).toBe("");
  expect(await value(img.adopted)).toBe(false);
  // A stored value is read as stored.
  expect(await value(img.imageName)).toBe("web-1234567");
});

test("declaring a resource leaves the process's stack trace limit as it was, and an error from it keeps the program's frames", () => {
  const before = Error.stackTraceLimit;
  Error.stackTraceLimit = 17;
  try {
    new CustomImage("limit", { adoptImageId: "img-abcd1234" });
    expect(Error.stackTraceLimit).toBe(17);
    let thrown: unknown;
    try {
      new CustomImage("", { adoptImageId: "img-abcd1234" }); // no name: Pulumi refuses it in the constructor
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(Error);
    expect((thrown as Error).message).toMatch(/resource name/);
    expect(Error.stackTraceLimit).toBe(17);
    // Its frames are the program's call (this test), not empty.
    expect((thrown as Error).stack).toContain("resource.test.ts");
  } finally {
    Error.stackTraceLimit = before;
  }
});
