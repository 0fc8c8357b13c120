import { execFileSync } from "node:child_process";
import * as path from "node:path";

/** Repository root (tests/support/../..). */
export const repoRoot = path.resolve(__dirname, "..", "..");

let cachedBinDir: string | undefined;

/**
 * The directory holding `pulumi`, `pulumi-language-nodejs` and `pulumi-resource-pulumi-nodejs`,
 * made available (found, reused from the cache or built) by scripts/ensure-pulumi.sh.
 */
export function pulumiBinDir(): string {
  if (cachedBinDir) return cachedBinDir;
  if (process.env.PULUMI_TOOLCHAIN_BIN_RESOLVED) return (cachedBinDir = process.env.PULUMI_TOOLCHAIN_BIN_RESOLVED);
  const out = execFileSync("bash", [path.join(repoRoot, "scripts", "ensure-pulumi.sh")], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = out.trim().split("\n");
  cachedBinDir = lines[lines.length - 1];
  process.env.PULUMI_TOOLCHAIN_BIN_RESOLVED = cachedBinDir;
  return cachedBinDir;
}
