// bench:retention, the measured stack: one ImageRetention of this package over the seeded family.
import { ImageRetention } from "pulumi-tencentcloud-images";
import { benchRetentionArgs } from "../args";

const retention = new ImageRetention("retention", benchRetentionArgs());

/** How many images each action concerned: the benchmark checks it after the up. */
export const summary = retention.summary;
