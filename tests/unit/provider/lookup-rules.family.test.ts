// getImage's family criterion (pure): what it combines with, the match and the messages.
import { matchesQuery, pickImage, queryProblems, queryText } from "../../../provider/src/provider/lookup-rules";
import { imageFacts } from "../../support/image-facts";

test("family alone, with imageType PRIVATE_IMAGE or mostRecent: no problem", () => {
  expect(queryProblems({ family: "web" })).toEqual([]);
  expect(queryProblems({ family: "web", imageType: "PRIVATE_IMAGE", mostRecent: true })).toEqual([]);
  expect(queryProblems({ family: "web", tags: {} })).toEqual([]);
});

test("family with name, nameRegex or tags, another imageType, or blank: refused, naming the fields", () => {
  expect(queryProblems({ family: "web", name: "a", nameRegex: "b", tags: { k: "v" } })).toEqual([
    "family cannot be combined with name, nameRegex, tags: a family gives exactly its current image " +
      "(DescribeImageFromFamily); look the image up by family alone, or by name, nameRegex and tags without family",
  ]);
  expect(queryProblems({ family: "web", imageType: "PUBLIC_IMAGE" })).toEqual([
    'family looks up this account\'s own images: imageType must be PRIVATE_IMAGE or unset, not "PUBLIC_IMAGE"',
  ]);
  expect(queryProblems({ family: " " })).toEqual(["family must be a non-empty string"]);
});

test("the match, the query text and the no-match hint", () => {
  const image = imageFacts({ imageId: "img-a", imageName: "a", imageFamily: "web" });
  expect(matchesQuery({ family: "web" }, image)).toBe(true);
  expect(matchesQuery({ family: "db" }, image)).toBe(false);
  expect(queryText({ family: "web" })).toBe('{ family: "web", imageType: "PRIVATE_IMAGE" }');
  expect(pickImage({ family: "web" }, [image], "in ap-guangzhou")).toBe(image);
  expect(() => pickImage({ family: "web" }, [], "in ap-guangzhou")).toThrow(
    /^getImage: no image matches \{ family: "web", imageType: "PRIVATE_IMAGE" \} in ap-guangzhou\. .*deprecated images may not count\)$/,
  );
});
