// The API fields of the image's attributes and facts (provider/src/schema/api-fields.ts), taken from
// the property table's rows: the create request, ModifyImageAttribute, and DescribeImages to facts.
import { toFacts } from "../../../provider/src/cloud/images";
import {
  attributesFromImage,
  CREATE_ATTRIBUTE_KEYS,
  createRequestFields,
  FACT_ONLY_FIELDS,
  factsFromApiImage,
  modifyRequestFields,
} from "../../../provider/src/schema/api-fields";
import { ATTRIBUTE_KEYS, INPUTS, PROPERTIES, PROPERTY_KEYS } from "../../../provider/src/schema/properties";

type Row = {
  output: string;
  change?: string;
  api?: { create?: string; modify?: string; describe?: string; form?: string };
  default?: { value?: unknown };
};
const row = (k: string): Row => (PROPERTIES as unknown as Record<string, Row>)[k]!;
const CLOUD_KEYS = PROPERTY_KEYS.filter((k) => row(k).output === "cloud");

/** A sample value of an attribute other than its default, by its default's type. */
function sample(key: string): unknown {
  const d = row(key).default?.value;
  if (typeof d === "boolean") return !d;
  if (d !== null && typeof d === "object") return { team: "web" };
  return `${key}-value`;
}

/** A DescribeImages `Image` as the API answers it (cvm-image-api.md). */
const API_IMAGE = {
  ImageId: "img-abcd1234",
  OsName: "TencentOS Server 3.1 (TK4)",
  ImageType: "PRIVATE_IMAGE",
  CreatedTime: "2026-12-01T10:00:00Z",
  ImageName: "web",
  ImageDescription: "Golden image",
  ImageSize: 50,
  Architecture: "x86_64",
  ImageState: "NORMAL",
  Platform: "TencentOS",
  ImageCreator: "100000000001",
  ImageSource: "CREATE_IMAGE",
  SyncPercent: 100,
  IsSupportCloudinit: true,
  SnapshotSet: [
    { SnapshotId: "snap-aaaa1111", DiskUsage: "SYSTEM_DISK", DiskSize: 50 },
    { SnapshotId: "snap-bbbb2222", DiskUsage: "DATA_DISK", DiskSize: 100 },
  ],
  Tags: [
    { Key: "team", Value: "web" },
    { Key: "tier", Value: "" },
  ],
  LicenseType: "TencentCloud",
  ImageFamily: "web-base",
  ImageDeprecated: true,
};

describe("create request fields", () => {
  test("the attributes with api.create: name, description, family, tags (imageDeprecated is set in place)", () => {
    expect([...CREATE_ATTRIBUTE_KEYS]).toEqual(["imageName", "imageDescription", "imageFamily", "tags"]);
    expect(CREATE_ATTRIBUTE_KEYS).toEqual(
      INPUTS.filter(([, p]) => p.change === "update" && p.output === "cloud" && p.api?.create !== undefined).map(
        ([k]) => k,
      ),
    );
  });

  test.each([...CREATE_ATTRIBUTE_KEYS])("%s: sent under its row's api.create field", (key) => {
    const value = sample(key);
    const req = createRequestFields({ imageName: "web", [key]: value });
    const api = row(key).api!;
    expect(req[api.create!]).toEqual(
      api.form === "tags" ? [{ ResourceType: "image", Tags: [{ Key: "team", Value: "web" }] }] : value,
    );
  });

  test("what CreateImage and ImportImage send today (cloud/images.ts commonFields), field for field", () => {
    // Only the name: description, family and tags at their defaults are left out.
    expect(createRequestFields({ imageName: "web" })).toEqual({ ImageName: "web" });
    expect(
      createRequestFields({
        imageName: "web",
        imageDescription: "",
        imageFamily: "",
        tags: {},
        imageDeprecated: false,
      }),
    ).toEqual({ ImageName: "web" });
    // An empty name is still sent (the API refuses it with its own message).
    expect(createRequestFields({ imageName: "" })).toEqual({ ImageName: "" });
    expect(
      createRequestFields({
        imageName: "web",
        imageDescription: "Golden image",
        imageFamily: "web-base",
        imageDeprecated: true,
        tags: { team: "web", tier: "" },
      }),
    ).toEqual({
      ImageName: "web",
      ImageDescription: "Golden image",
      ImageFamily: "web-base",
      TagSpecification: [
        {
          ResourceType: "image",
          Tags: [
            { Key: "team", Value: "web" },
            { Key: "tier", Value: "" },
          ],
        },
      ],
    });
  });

  test("no field of a row without api.create", () => {
    const req = createRequestFields({ imageName: "web", imageDeprecated: true });
    expect(Object.keys(req)).toEqual(["ImageName"]);
  });
});

describe("ModifyImageAttribute fields and the attributes DescribeImages reports", () => {
  test.each([...ATTRIBUTE_KEYS])("%s: its row's api.modify and api.describe", (key) => {
    const value = sample(key);
    const api = row(key).api!;
    expect(modifyRequestFields({ [key]: value })).toEqual({ [api.modify!]: value });
    expect(attributesFromImage({ [api.describe!]: value })[key]).toEqual(value);
    expect(attributesFromImage({})[key]).toEqual(row(key).default?.value ?? "");
  });

  test("imageDeprecated maps to ImageDeprecated both ways", () => {
    expect(modifyRequestFields({ imageDeprecated: false, imageName: "n" })).toEqual({
      ImageName: "n",
      ImageDeprecated: false,
    });
    expect(attributesFromImage({ ImageDeprecated: true, ImageName: "n" })).toMatchObject({
      imageDeprecated: true,
      imageName: "n",
    });
  });

  test("a field of another type than the attribute's counts as absent", () => {
    expect(attributesFromImage({ ImageDeprecated: "true", ImageName: 7 })).toMatchObject({
      imageDeprecated: false,
      imageName: "",
    });
  });
});

describe("facts from a DescribeImages Image", () => {
  test("every cloud output has a DescribeImages field, and every fact comes from a row or FACT_ONLY_FIELDS", () => {
    for (const k of CLOUD_KEYS) expect([k, row(k).api?.describe]).toEqual([k, expect.any(String)]);
    expect(Object.keys(factsFromApiImage(API_IMAGE)).sort()).toEqual(
      [...CLOUD_KEYS, ...Object.keys(FACT_ONLY_FIELDS)].sort(),
    );
  });

  test("an API answer, field by field", () => {
    expect(factsFromApiImage(API_IMAGE)).toEqual({
      imageId: "img-abcd1234",
      imageName: "web",
      imageDescription: "Golden image",
      imageFamily: "web-base",
      imageDeprecated: true,
      tags: { team: "web", tier: "" },
      imageState: "NORMAL",
      imageType: "PRIVATE_IMAGE",
      snapshotIds: ["snap-aaaa1111", "snap-bbbb2222"],
      createdTime: "2026-12-01T10:00:00Z",
      architecture: "x86_64",
      platform: "TencentOS",
      osName: "TencentOS Server 3.1 (TK4)",
      imageCreator: "100000000001",
      imageSource: "CREATE_IMAGE",
    });
  });

  test("fields left out or null: the defaults, and no imageSource", () => {
    const facts = factsFromApiImage({ ImageId: "img-abcd1234", SnapshotSet: null, Tags: null });
    expect(facts).toEqual({
      imageId: "img-abcd1234",
      imageName: "",
      imageDescription: "",
      imageFamily: "",
      imageDeprecated: false,
      tags: {},
      imageState: "",
      imageType: "",
      snapshotIds: [],
      createdTime: "",
      architecture: "",
      platform: "",
      osName: "",
      imageCreator: "",
    });
    expect("imageSource" in facts).toBe(false);
  });

  test("the defaults are fresh values, never the table's own", () => {
    const a = factsFromApiImage({});
    a.tags.x = "y";
    a.snapshotIds.push("snap-x");
    expect(factsFromApiImage({})).toMatchObject({ tags: {}, snapshotIds: [] });
  });

  // Switching cloud/images.ts toFacts to factsFromApiImage changes nothing: same facts for the same answers.
  test.each([
    ["a full answer", API_IMAGE],
    ["an empty answer", {}],
    ["null lists", { ImageId: "img-1", SnapshotSet: null, Tags: null }],
    ["no ImageSource, no deprecation", { ...API_IMAGE, ImageSource: undefined, ImageDeprecated: undefined }],
    ["an empty ImageSource", { ...API_IMAGE, ImageSource: "" }],
    [
      "snapshots and tags with empty items",
      { SnapshotSet: [{}, { SnapshotId: "snap-1" }], Tags: [{ Value: "v" }, { Key: "k" }] },
    ],
  ])("the same facts as cloud/images.ts toFacts: %s", (_name, raw) => {
    expect(factsFromApiImage(raw)).toEqual(toFacts(raw as Parameters<typeof toFacts>[0]));
  });
});
