// bench:destroy, phase (d): Terraform's per-image algorithm (tencentcloud_image +
// tencentcloud_cvm_image_share_permission) as a dynamic provider, so that only the algorithm
// differs from the package's run. The serialized provider captures nothing but the path of
// algorithm.js, which it requires in the provider process (one module instance, so one
// client-side rate limiter, per process, as in the Terraform provider).
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { benchImages } from "../images";

const algorithm = path.join(__dirname, "algorithm.js");

const terraformStyleProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs) {
    return require(algorithm).create(inputs);
  },
  async delete(id, props) {
    return require(algorithm).delete(id, props);
  },
};

class TerraformStyleImage extends pulumi.dynamic.Resource {
  constructor(name: string, args: { imageId: string; sharedWith: string[] }) {
    super(terraformStyleProvider, name, args, undefined, "bench", "TerraformStyleImage");
  }
}

for (const image of benchImages()) {
  new TerraformStyleImage(image.name, { imageId: image.id, sharedWith: image.sharedWith });
}
