// getImage's pure parts: the query's checks, the filters sent, and exactly one image or a clear failure.
import {
  describeFilters,
  LookupError,
  matchesQuery,
  pickImage,
  queryProblems,
} from "../../../provider/src/provider/lookup-rules";
import type { ImageFacts } from "../../../provider/src/schema/types";
import { imageFacts } from "../../support/image-facts";

const image = (imageId: string, imageName: string, o: Partial<ImageFacts> = {}): ImageFacts =>
  imageFacts({
    imageId,
    imageName,
    snapshotIds: [],
    createdTime: "2026-12-01T00:00:00Z",
    osName: "TencentOS Server 3.1",
    ...o,
  });

test("a query needs a criterion; bad regexes and types are named", () => {
  expect(queryProblems({})).toEqual(["give at least one of name, nameRegex, tags, imageType or family"]);
  expect(queryProblems({ nameRegex: "(" })[0]).toMatch(/nameRegex "\(" is not a valid regular expression/);
  expect(queryProblems({ imageType: "MINE" as never })[0]).toMatch(
    /imageType "MINE" is not one of PRIVATE_IMAGE, SHARED_IMAGE, PUBLIC_IMAGE/,
  );
  expect(queryProblems({ name: "web" })).toEqual([]);
});

test("filters: the type (default PRIVATE_IMAGE), the (fuzzy) name, tags while 10 filters fit", () => {
  expect(describeFilters({ name: "web" })).toEqual([
    { Name: "image-type", Values: ["PRIVATE_IMAGE"] },
    { Name: "image-name", Values: ["web"] },
  ]);
  const tags = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`k${i}`, `v${i}`]));
  expect(describeFilters({ tags, imageType: "SHARED_IMAGE" })).toHaveLength(10);
  // Tags beyond the filters are still matched on the listing.
  expect(matchesQuery({ tags }, image("img-a", "a", { tags: { ...tags, k11: "other" } }))).toBe(false);
});

test("the name matches exactly (the API's filter is fuzzy), the regex and the tags too", () => {
  expect(matchesQuery({ name: "web" }, image("img-a", "web-2"))).toBe(false);
  expect(matchesQuery({ name: "web" }, image("img-a", "web"))).toBe(true);
  expect(matchesQuery({ nameRegex: "^web-\\d+$" }, image("img-a", "web-12"))).toBe(true);
  expect(matchesQuery({ tags: { team: "web" } }, image("img-a", "x", { tags: { team: "web", env: "prod" } }))).toBe(
    true,
  );
  expect(matchesQuery({ name: "web" }, image("img-a", "web", { imageType: "SHARED_IMAGE" }))).toBe(false);
  expect(
    matchesQuery({ name: "web", imageType: "SHARED_IMAGE" }, image("img-a", "web", { imageType: "SHARED_IMAGE" })),
  ).toBe(true);
});

test("none, one, several, and the newest with mostRecent", () => {
  const listed = [
    image("img-old00001", "web-1", { createdTime: "2026-11-01T00:00:00Z" }),
    image("img-new00001", "web-2", { createdTime: "2026-12-01T00:00:00Z" }),
    image("img-db000001", "db-1"),
  ];
  const where = "in ap-guangzhou with the environment (TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY)";
  expect(() => pickImage({ name: "api" }, listed, where)).toThrow(LookupError);
  expect(() => pickImage({ name: "api" }, listed, where)).toThrow(
    /^getImage: no image matches \{ name: "api", imageType: "PRIVATE_IMAGE" \} in ap-guangzhou with the environment.*SHARED_IMAGE \(set imageType\)/,
  );
  expect(pickImage({ name: "db-1" }, listed, where).imageId).toBe("img-db000001");
  expect(() => pickImage({ nameRegex: "^web-" }, listed, where)).toThrow(
    /^getImage: 2 images match \{ nameRegex: "\^web-", imageType: "PRIVATE_IMAGE" \} in ap-guangzhou.*: img-new00001 \("web-2", NORMAL, created 2026-12-01T00:00:00Z\); img-old00001 .*mostRecent: true/,
  );
  expect(pickImage({ nameRegex: "^web-", mostRecent: true }, listed, where).imageId).toBe("img-new00001");
});
