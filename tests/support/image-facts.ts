import type { ImageFacts } from "../../provider/src/schema/types";

/** What DescribeImages would report of a NORMAL custom image of alice's, with `over` applied. */
export function imageFacts(over: Partial<ImageFacts> = {}): ImageFacts {
  return {
    imageId: "img-abcd1234",
    imageName: "web",
    imageDescription: "",
    imageFamily: "",
    imageDeprecated: false,
    imageState: "NORMAL",
    imageType: "PRIVATE_IMAGE",
    imageCreator: "100000000001",
    snapshotIds: ["snap-aaaa1111"],
    createdTime: "2026-12-01T10:00:00Z",
    architecture: "x86_64",
    platform: "TencentOS",
    osName: "TencentOS Server 3.1 (TK4)",
    tags: {},
    ...over,
  };
}
