// The images a benchmark stack declares: the JSON file named by BENCH_IMAGES_FILE (written by
// scripts/bench-destroy.js), a list of {name, id, sharedWith}. Only `pulumi up` runs the program.
import * as fs from "node:fs";

export interface BenchImage {
  /** Logical resource name. */
  name: string;
  /** The image id (img-…) seeded into the emulator. */
  id: string;
  /** Accounts the image is shared with (the stack's managed shares); [] for most. */
  sharedWith: string[];
}

export function benchImages(): BenchImage[] {
  const file = process.env.BENCH_IMAGES_FILE;
  if (!file) throw new Error("BENCH_IMAGES_FILE is not set: this program is run by scripts/bench-destroy.js");
  return JSON.parse(fs.readFileSync(file, "utf8")) as BenchImage[];
}
