import * as fs from "node:fs";
import * as path from "node:path";
import { repoRoot } from "./toolchain";

/**
 * The fenced block of README.md (a `sh` block unless `lang` says otherwise) that follows the marker
 * `<!-- <tag>: <name> -->`, so a test can run or read the README's own text instead of a copy of it.
 */
export function readmeBlock(tag: string, name: string, readme = path.join(repoRoot, "README.md"), lang = "sh"): string {
  const text = fs.readFileSync(readme, "utf8");
  const marker = `<!-- ${tag}: ${name} -->`;
  const at = text.indexOf(marker);
  if (at === -1) throw new Error(`${path.basename(readme)} has no block marked ${marker}`);
  const fence = new RegExp("^\\s*```" + lang + "\\n([\\s\\S]*?)```").exec(text.slice(at + marker.length));
  if (!fence) throw new Error(`${path.basename(readme)}: no ${lang} block right after ${marker}`);
  return fence[1]!;
}

/** A CAM policy document, as the README's `<!-- cam-policy: NAME -->` blocks give them. */
export interface CamPolicy {
  version: string;
  statement: Array<{ effect: string; action: string[]; resource: string[] }>;
}

/** The README's CAM policy marked `<!-- cam-policy: <name> -->`, parsed. */
export function readmePolicy(name: string): CamPolicy {
  return JSON.parse(readmeBlock("cam-policy", name, undefined, "json")) as CamPolicy;
}

/** The actions a policy allows (`service:Action`), sorted. */
export function allowedActions(policy: CamPolicy): string[] {
  return [...new Set(policy.statement.filter((s) => s.effect === "allow").flatMap((s) => s.action))].sort();
}
