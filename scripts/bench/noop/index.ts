// bench:destroy, phase (c): the engine floor. The same stack shape as the package's (one dynamic
// resource per image, the same inputs), with a provider whose create records the id and whose
// delete returns at once: no cloud call, so the time measured is the engine's own.
import * as pulumi from "@pulumi/pulumi";
import { benchImages } from "../images";

const noopProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs) {
    return { id: inputs.adoptImageId, outs: inputs };
  },
  async delete() {
    /* nothing to do */
  },
};

class NoopImage extends pulumi.dynamic.Resource {
  constructor(name: string, args: { adoptImageId: string; sharedWith: string[] }) {
    super(noopProvider, name, args, undefined, "bench", "NoopImage");
  }
}

for (const image of benchImages()) {
  new NoopImage(image.name, { adoptImageId: image.id, sharedWith: image.sharedWith });
}
