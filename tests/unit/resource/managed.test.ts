// The program-side list of the images the program's CustomImages manage (provider/src/resource/managed.ts),
// which each ImageRetention sends so that it never retires them. Each CustomImage registers its imageId
// output; managedImageIds() resolves once the program's synchronous turn has run, to every id registered
// so far (those registered after the call in the same turn included), without empty values.
// The list is the module's state for the whole program: each test below adds to what the earlier ones
// registered, and `registeredSoFar` follows it.
import * as pulumi from "@pulumi/pulumi";
import { CustomImage } from "../../../provider/src/resource/custom-image";
import { ImageRetention } from "../../../provider/src/resource/image-retention";
import { managedImageIds, registerManagedImage } from "../../../provider/src/resource/managed";

const registered: Array<{ type: string; name: string; inputs: Record<string, unknown> }> = [];

/** The imageId each mocked CustomImage gets, by resource name (absent: the state has none). */
const IMAGE_IDS: Record<string, string> = { web: "img-web00001", api: "img-api00001", blank: "" };

beforeAll(() =>
  pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs });
        if (args.type.endsWith(":CustomImage")) {
          const imageId =
            typeof args.inputs.adoptImageId === "string" ? args.inputs.adoptImageId : IMAGE_IDS[args.name];
          return {
            id: imageId || `${args.name}-without-id`,
            state: { ...args.inputs, ...(imageId === undefined ? {} : { imageId }), imageName: args.name },
          };
        }
        return { id: `${args.name}-id`, state: { ...args.inputs, images: [], summary: {} } };
      },
      call: (args) => args.inputs,
    },
    "proj",
    "dev",
    false,
  ),
);

const value = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply((v) => resolve(v)));
const later = <T>(v: T, ms = 20) => new Promise<T>((resolve) => setTimeout(() => resolve(v), ms));

/** The non-empty ids registered by the tests so far, in order. */
const registeredSoFar: string[] = [];

test("resolves to every id registered in the same turn, after the call too, without empty values", async () => {
  registerManagedImage(pulumi.output("img-first001"));
  const ids = managedImageIds();
  // Registered after the call, in the same synchronous turn: counted.
  registerManagedImage(pulumi.output(""));
  registerManagedImage(pulumi.output("img-second01"));
  registerManagedImage(pulumi.output(undefined as unknown as string));
  // Registered in the turn, resolving later (as a CustomImage's id does, once the engine answers): waited for.
  registerManagedImage(pulumi.output(later("img-third001")));
  registeredSoFar.push("img-first001", "img-second01", "img-third001");
  expect(await value(ids)).toEqual(registeredSoFar);
});

test("an id registered after the list resolved is not in it; a later call has it", async () => {
  const first = managedImageIds();
  expect(await value(first)).toEqual(registeredSoFar);
  registerManagedImage(pulumi.output("img-late0001"));
  registeredSoFar.push("img-late0001");
  expect(await value(first)).not.toContain("img-late0001");
  expect(await value(managedImageIds())).toEqual(registeredSoFar);
});

test("no image registered since: the same list, and an empty program's list is empty", async () => {
  expect(await value(managedImageIds())).toEqual(registeredSoFar);
  // In a fresh module (a program with no CustomImage), the list is empty.
  let fresh!: typeof import("../../../provider/src/resource/managed");
  jest.isolateModules(() => {
    fresh = require("../../../provider/src/resource/managed");
  });
  expect(await value(fresh.managedImageIds() as unknown as pulumi.Output<string[]>)).toEqual([]);
});

test("each CustomImage registers its imageId when constructed; an empty or missing imageId is left out", async () => {
  const retention = new ImageRetention("keep", { family: "web", keepNewest: 2 });
  const ids = managedImageIds();
  const images = [
    new CustomImage("web", { fromInstance: { instanceId: "ins-abcd1234" } }),
    new CustomImage("blank", { fromInstance: { instanceId: "ins-abcd5678" } }), // the state's imageId: ""
    new CustomImage("nothing", { fromInstance: { instanceId: "ins-abcd9012" } }), // the state has no imageId
    new CustomImage("base", { adoptImageId: "img-base0001" }),
    new CustomImage("api", { fromInstance: { instanceId: "ins-abcd3456" } }),
  ];
  registeredSoFar.push("img-web00001", "img-base0001", "img-api00001");
  expect(await Promise.all(images.map((i) => value(i.imageId)))).toEqual([
    "img-web00001",
    "",
    undefined,
    "img-base0001",
    "img-api00001",
  ]);
  expect(await value(ids)).toEqual(registeredSoFar);
  // The retention declared before them sends the same list.
  await value(retention.urn);
  const sent = registered.find((r) => r.name === "keep")!.inputs.managedImageIds;
  expect(sent).toEqual(registeredSoFar);
  expect(sent).not.toContain("");
});
