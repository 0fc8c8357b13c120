/**
 * Every source file of provider/src has a test named after it or its verb: a unit test
 * `tests/unit/<room>/<file>.test.ts` (or `<file>.<aspect>.test.ts`) for `provider/src/<room>/<file>.ts`;
 * a `<verb>-rules.ts` file may be covered by a test named after the verb; an emulator-backed test
 * `tests/provider/<name>.test.ts` (or `<name>.<aspect>.test.ts`) counts for a source of that name or
 * verb (and a room's `index.ts`, the verbs of its resource, counts for `tests/provider/<room>.test.ts`);
 * `tests/e2e/<file>.test.ts` for a preflight file. Files are listed from the file system.
 */
import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.join(__dirname, "..", "..", "..");
const SRC = path.join(ROOT, "provider", "src");
const TESTS = path.join(ROOT, "tests");

/**
 * Sources without a test of their own, each for the reason given. Only modules with nothing to run
 * belong here.
 */
const ALLOWED: Record<string, string> = {
  // The package's entry point: re-exports only (and two aliases); every export is tested at its source.
  "index.ts": "re-exports",
  // The preflight's barrel: re-exports only; the tests under tests/unit/preflight/ import through it.
  "preflight/index.ts": "re-exports",
  // Types only, no runtime value: checked by the compiler in tests/types/schema.ts
  // (tests/unit/resource/custom-image.types.test.ts runs that check).
  "schema/table-types.ts": "types only",
};

/** Every file under `dir` whose name ends with `suffix`, as a path relative to `dir` with `/` separators. */
function filesUnder(dir: string, suffix: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.isFile() && entry.name.endsWith(suffix)) out.push(path.relative(dir, p).split(path.sep).join("/"));
    }
  };
  walk(dir);
  return out.sort();
}

/** The sources (relative to provider/src) among `sources` with no test named after them or their verb. */
export function untested(sources: readonly string[], tests: readonly string[]): string[] {
  const base = (t: string) => path.posix.basename(t).split(".")[0];
  return sources.filter((rel) => {
    const room = rel.split("/")[0];
    const name = path.posix.basename(rel, ".ts");
    const verb = name.replace(/-rules$/, "");
    return !tests.some((t) => {
      const b = base(t);
      const dir = path.posix.dirname(t);
      return (
        (dir === `unit/${room}` && (b === name || b === verb)) ||
        (dir === "provider" && (b === name || b === verb)) ||
        // A room's index.ts holds its resource's verbs: tests/provider/<room>.test.ts.
        (dir === "provider" && name === "index" && b === room) ||
        (dir === "e2e" && b === name && room === "preflight")
      );
    });
  });
}

const sources = filesUnder(SRC, ".ts").filter((f) => !f.endsWith(".d.ts"));
const tests = filesUnder(TESTS, ".test.ts");

test("every source file of provider/src has a test named after it or its verb (or a reason in ALLOWED)", () => {
  const missing = untested(sources, tests).filter((rel) => !(rel in ALLOWED));
  expect(missing).toEqual([]);
});

test("ALLOWED names only sources that exist and still have no test of their own", () => {
  for (const rel of Object.keys(ALLOWED)) {
    expect([rel, fs.existsSync(path.join(SRC, rel))]).toEqual([rel, true]);
    expect([rel, untested([rel], tests)]).toEqual([rel, [rel]]);
  }
});

test("the rule itself: a test counts by its room and its name, or its verb", () => {
  const src = ["cloud/usage.ts", "cloud/usage-rules.ts", "provider/read.ts", "preflight/assess.ts", "schema/x.ts"];
  expect(untested(src, ["unit/cloud/usage.test.ts"])).toEqual([
    "provider/read.ts",
    "preflight/assess.ts",
    "schema/x.ts",
  ]);
  expect(untested(src, ["unit/cloud/usage-rules.scan.test.ts"])).toEqual([
    "cloud/usage.ts",
    "provider/read.ts",
    "preflight/assess.ts",
    "schema/x.ts",
  ]);
  // A room's index.ts (its resource's verbs) counts for tests/provider/<room>.test.ts, not another room's.
  expect(untested(["retention/index.ts"], ["provider/retention.faults.test.ts"])).toEqual([]);
  expect(untested(["retention/index.ts"], ["provider/preflight.test.ts", "unit/cloud/index.test.ts"])).toEqual([
    "retention/index.ts",
  ]);
  // Another room's test of the same name does not count; a provider test does, and an e2e test for the preflight.
  expect(untested(src, ["unit/provider/x.test.ts", "provider/read.refresh.test.ts", "e2e/assess.test.ts"])).toEqual([
    "cloud/usage.ts",
    "cloud/usage-rules.ts",
    "schema/x.ts",
  ]);
});
