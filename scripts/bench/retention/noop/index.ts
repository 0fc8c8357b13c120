// bench:retention, the engine floor and memory baseline: the same stack shape as the retention's
// (one dynamic resource, the same inputs), with a provider that makes no cloud call. Its diff
// reports a change when the inputs changed, so an up with new inputs runs the same engine steps
// (check, diff, update) as the retention's.
import * as pulumi from "@pulumi/pulumi";
import { benchRetentionArgs } from "../args";

const noopProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs) {
    return { id: "noop-retention", outs: inputs };
  },
  async diff(_id, olds, news) {
    return { changes: JSON.stringify(olds) !== JSON.stringify(news) };
  },
  async update(_id, _olds, news) {
    return { outs: news };
  },
  async delete() {
    /* nothing to do */
  },
};

class NoopRetention extends pulumi.dynamic.Resource {
  constructor(name: string, args: Record<string, unknown>) {
    super(noopProvider, name, args, undefined, "bench", "NoopRetention");
  }
}

new NoopRetention("retention", benchRetentionArgs() as Record<string, unknown>);
