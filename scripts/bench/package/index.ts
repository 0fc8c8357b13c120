// bench:destroy, phases (a) and (b): this package's CustomImage adopting each seeded image.
import { CustomImage } from "pulumi-tencentcloud-images";
import { benchImages } from "../images";

for (const image of benchImages()) {
  new CustomImage(image.name, { adoptImageId: image.id, sharedWith: image.sharedWith });
}
