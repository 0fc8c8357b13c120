// The ImageRetention resource class (provider/src/resource/image-retention.ts), under Pulumi's mocks:
// what it registers (the user's inputs, the ids of every CustomImage of the program, its name and
// URN, the serialized provider) and the outputs it exposes.
import * as pulumi from "@pulumi/pulumi";
import { CustomImage } from "../../../provider/src/resource/custom-image";
import { ImageRetention } from "../../../provider/src/resource/image-retention";

const TYPE = "pulumi-nodejs:dynamic/tencentcloud-images:ImageRetention";

type Registered = { type: string; name: string; inputs: Record<string, unknown>; parent?: string };
const registered: Registered[] = [];

/** The image id the mocked engine gives a CustomImage: the adopted id, else one from its name. */
const imageIdOf = (name: string, inputs: Record<string, unknown>) =>
  typeof inputs.adoptImageId === "string" ? inputs.adoptImageId : `img-${name.padEnd(8, "0").slice(0, 8)}`;

const IMAGES = [
  {
    imageId: "img-keep0001",
    imageName: "web-1",
    createdTime: "2026-12-03T00:00:00Z",
    action: "keep",
    reason: "newest",
  },
  { imageId: "img-gone0001", imageName: "web-0", createdTime: "2026-12-01T00:00:00Z", action: "delete", reason: "old" },
];

beforeAll(() =>
  pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs });
        if (args.type.endsWith(":CustomImage")) {
          const imageId = imageIdOf(args.name, args.inputs);
          return { id: imageId, state: { ...args.inputs, imageId, imageName: `${args.name}-1234567` } };
        }
        if (args.type.endsWith(":ImageRetention"))
          return {
            id: `retention-${args.name}`,
            state: {
              ...args.inputs,
              region: "ap-guangzhou",
              images: IMAGES,
              summary: { keep: 1, delete: 1 },
              lastPlanned: "2026-12-07T00:00:00.000Z",
            },
          };
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: (args) => args.inputs,
    },
    "proj",
    "dev",
    false,
  ),
);

const value = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply((v) => resolve(v)));
const find = (name: string) => {
  const r = registered.find((x) => x.name === name);
  if (!r) throw new Error(`${name} was not registered`);
  return r;
};

class Group extends pulumi.ComponentResource {
  constructor(name: string) {
    super("acme:images:Group", name);
  }
}

// One program, declared in one synchronous turn: a retention before the images, the images (two
// created, one adopted), a retention after them, and one inside a component.
let before: ImageRetention;
let after: ImageRetention;
let nested: ImageRetention;
let images: CustomImage[];
beforeAll(async () => {
  before = new ImageRetention("keep-before", {
    family: "web",
    keepNewest: 3,
    retire: { deprecate: "7d", unshare: "3d" },
    exclude: { imageIds: ["img-pinned01"] },
    deletionPolicy: { unmanagedShares: "unshare" },
    dryRun: true,
  });
  images = [
    new CustomImage("web", { fromInstance: { instanceId: "ins-abcd1234" }, imageFamily: "web" }),
    new CustomImage("base", { adoptImageId: "img-base0001" }),
    new CustomImage("api", { fromInstance: { instanceId: "ins-abcd5678" } }),
  ];
  after = new ImageRetention("keep-after", { namePrefix: "web-", keepYoungerThan: "14d", region: "ap-shanghai" });
  const group = new Group("group");
  nested = new ImageRetention("keep-nested", { tags: { team: "web" }, keepNewest: 1 }, { parent: group });
  await Promise.all([before, after, nested].map((r) => value(r.urn)));
});

test("registers with the agreed type token, the user's inputs as given, its name and its URN", async () => {
  const r = find("keep-before");
  expect(r.type).toBe(TYPE);
  expect(r.inputs).toMatchObject({
    family: "web",
    keepNewest: 3,
    retire: { deprecate: "7d", unshare: "3d" },
    exclude: { imageIds: ["img-pinned01"] },
    deletionPolicy: { unmanagedShares: "unshare" },
    dryRun: true,
    resourceName: "keep-before",
    resourceUrn: `urn:pulumi:dev::proj::${TYPE}::keep-before`,
  });
  // The URN it computes is the one the engine gives it (top level and under a component).
  expect(r.inputs.resourceUrn).toBe(await value(before.urn));
  expect(find("keep-after").inputs).toMatchObject({
    namePrefix: "web-",
    keepYoungerThan: "14d",
    region: "ap-shanghai",
    resourceName: "keep-after",
    resourceUrn: await value(after.urn),
  });
  const n = find("keep-nested").inputs;
  expect(n.resourceUrn).toBe(`urn:pulumi:dev::proj::acme:images:Group$${TYPE}::keep-nested`);
  expect(n.resourceUrn).toBe(await value(nested.urn));
  expect(n).toMatchObject({ tags: { team: "web" }, keepNewest: 1, resourceName: "keep-nested" });
});

test("managedImageIds: every CustomImage of the program, whether declared before or after the retention", async () => {
  const ids = await Promise.all(images.map((i) => value(i.imageId)));
  expect(ids).toEqual(["img-web00000", "img-base0001", "img-api00000"]);
  for (const name of ["keep-before", "keep-after", "keep-nested"])
    expect([name, find(name).inputs.managedImageIds]).toEqual([name, ids]);
  // Only the program's CustomImages: nothing from the user's exclude list, no retention.
  expect(find("keep-before").inputs.managedImageIds).not.toContain("img-pinned01");
});

test("the retention registers after the CustomImages whose ids it carries", () => {
  const order = registered.map((r) => r.name);
  for (const image of ["web", "base", "api"]) expect(order.indexOf(image)).toBeLessThan(order.indexOf("keep-before"));
});

test("the serialized provider is the retention shim: it requires the retention implementation by package name", () => {
  const provider = find("keep-before").inputs.__provider;
  expect(typeof provider).toBe("string");
  expect((provider as string).match(/require\("pulumi-tencentcloud-images\/dist\/retention"\)/g)?.length).toBe(7);
  expect(provider).not.toContain("dist/provider");
});

test("exposes the outputs: images, summary, lastPlanned and the inputs it keeps", async () => {
  expect(await value(before.images)).toEqual(IMAGES);
  expect(await value(before.summary)).toEqual({ keep: 1, delete: 1 });
  expect(await value(before.lastPlanned)).toBe("2026-12-07T00:00:00.000Z");
  expect(await value(before.family)).toBe("web");
  expect(await value(before.keepNewest)).toBe(3);
  expect(await value(before.dryRun)).toBe(true);
  expect(await value(before.region)).toBe("ap-guangzhou");
  expect(await value(before.id)).toBe("retention-keep-before");
  expect(await value(after.namePrefix)).toBe("web-");
  expect(await value(after.keepYoungerThan)).toBe("14d");
});

test("every declared output exists, an input not given included (it reads as the provider's outputs say)", async () => {
  for (const k of [
    "family",
    "namePrefix",
    "keepNewest",
    "keepYoungerThan",
    "dryRun",
    "region",
    "images",
    "summary",
    "lastPlanned",
  ] as const) {
    expect([k, pulumi.Output.isInstance(after[k])]).toEqual([k, true]);
  }
  expect(await value(after.family)).toBeUndefined();
  expect(await value(after.dryRun)).toBeUndefined();
  // The region the provider resolved (here the mock's), not only the one given.
  expect(await value(before.region)).toBe("ap-guangzhou");
  // The class's own inputs are not sent unset: the mock sees only what the program gave and the class adds.
  expect(Object.keys(find("keep-after").inputs).sort()).toEqual([
    "__provider",
    "keepYoungerThan",
    "managedImageIds",
    "namePrefix",
    "region",
    "resourceName",
    "resourceUrn",
  ]);
});
