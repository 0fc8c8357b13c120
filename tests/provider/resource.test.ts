import * as pulumi from "@pulumi/pulumi";
import { CustomImage } from "pulumi-tencentcloud-images";

const registered: Array<{ type: string; name: string; inputs: Record<string, unknown> }> = [];
beforeAll(() =>
  pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs });
        return { id: "img-mock0001", state: { ...args.inputs, imageId: "img-mock0001", imageName: "web-1234567", unmanagedShares: [] } };
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
  expect(r.inputs).toMatchObject({ resourceName: "web", fromInstance: { instanceId: "ins-abcd1234" }, sharedWith: ["100000000002"] });
  expect(typeof r.inputs.__provider).toBe("string");
  expect(r.inputs.__provider).toContain('require("pulumi-tencentcloud-images/dist/provider")');
});
