// bench:destroy, phase (c): the engine floor. The same stack shape as the package's (one dynamic
// resource per image, the same inputs), with a provider whose create records the id and whose
// delete makes no cloud call, so the time measured is the engine's own. The delete returns at once,
// or after BENCH_NOOP_DELETE_MS milliseconds when that is set (the lagged no-op destroy: every
// delete lasts the deletion lag, as the package's do, and nothing else). The variable is read at
// call time, in the provider process: the provider object is serialized, so it captures nothing
// but globals.
import * as pulumi from "@pulumi/pulumi";
import { benchImages } from "../images";

const noopProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs) {
    return { id: inputs.adoptImageId, outs: inputs };
  },
  async delete() {
    const ms = Number(process.env.BENCH_NOOP_DELETE_MS ?? 0);
    if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
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
