// The tree is formatted (Prettier, width 120; `.prettierrc.json`, `.prettierignore`): `npm run format` fixes it.
import { execFileSync } from "node:child_process";
import * as path from "node:path";

const root = path.resolve(__dirname, "../../..");

test("every TypeScript and JavaScript file is formatted as `npm run format` leaves it", () => {
  let listed = "";
  try {
    execFileSync(process.execPath, [require.resolve("prettier/bin/prettier.cjs"), "--list-different", "."], {
      cwd: root,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (e) {
    const err = e as { status?: number; stdout?: string; stderr?: string };
    if (err.status !== 1) throw new Error(`prettier failed: ${err.stderr ?? e}`);
    listed = err.stdout ?? "";
  }
  expect(listed.split("\n").filter(Boolean)).toEqual([]);
});
