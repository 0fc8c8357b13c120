// The inputs of a retention benchmark stack's one resource: the JSON in BENCH_RETENTION_ARGS
// (written by scripts/bench-retention.js). `pulumi up` and `pulumi preview` run the program.
import type { ImageRetentionArgs } from "pulumi-tencentcloud-images";

export function benchRetentionArgs(): ImageRetentionArgs {
  const text = process.env.BENCH_RETENTION_ARGS;
  if (!text) throw new Error("BENCH_RETENTION_ARGS is not set: this program is run by scripts/bench-retention.js");
  return JSON.parse(text) as ImageRetentionArgs;
}
