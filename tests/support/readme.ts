import * as fs from "node:fs";
import * as path from "node:path";
import { repoRoot } from "./toolchain";

/**
 * The shell block of README.md that follows the marker `<!-- <tag>: <name> -->`, so a test can run
 * the README's commands as written instead of a copy of them.
 */
export function readmeBlock(tag: string, name: string, readme = path.join(repoRoot, "README.md")): string {
  const text = fs.readFileSync(readme, "utf8");
  const marker = `<!-- ${tag}: ${name} -->`;
  const at = text.indexOf(marker);
  if (at === -1) throw new Error(`README.md has no block marked ${marker}`);
  const fence = /```sh\n([\s\S]*?)```/.exec(text.slice(at + marker.length));
  if (!fence) throw new Error(`README.md: no sh block after ${marker}`);
  return fence[1]!;
}
