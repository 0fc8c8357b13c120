// The lint (eslint.config.mjs): a correctness rule set, and the provider's layers, each room importing
// only the rooms below it. The tree passes; and each layer rule fires on an import that breaks it.
import { spawnSync } from "node:child_process";
import * as path from "node:path";

jest.setTimeout(120_000);

const root = path.resolve(__dirname, "../../..");
const eslintBin = path.join(root, "node_modules/eslint/bin/eslint.js");

interface LintResult {
  filePath: string;
  messages: { ruleId: string | null; message: string; line: number }[];
}

/** ESLint as `npm run lint` runs it, in its own process (its config is an ES module). */
function eslint(args: string[], input?: string): LintResult[] {
  const r = spawnSync(process.execPath, [eslintBin, "--format", "json", ...args], {
    cwd: root,
    input,
    encoding: "utf8",
  });
  if (r.status !== 0 && r.status !== 1) throw new Error(`eslint failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as LintResult[];
}

/** The messages of the rule `no-restricted-imports` for `code` placed at `file`. */
async function layerErrors(file: string, code: string): Promise<string[]> {
  const [result] = eslint(["--stdin", "--stdin-filename", path.join("provider/src", file)], code);
  return result.messages.filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message);
}

test("the provider and the emulator pass the lint", async () => {
  const results = eslint(["provider/src", "emulator/src"]);
  const problems = results.flatMap((r) =>
    r.messages.map((m) => `${path.relative(root, r.filePath)}:${m.line} ${m.ruleId}: ${m.message}`),
  );
  expect(problems).toEqual([]);
});

test.each([
  ["schema/properties.ts", 'import { x } from "../cloud/settings";\nexport const y = x;\n', "schema/"],
  ["cloud/call.ts", 'import { x } from "../provider/delete";\nexport const y = x;\n', "cloud/"],
  ["cloud/call.ts", 'import { x } from "../preflight/run";\nexport const y = x;\n', "cloud/"],
  ["provider/delete.ts", 'import { x } from "../preflight/run";\nexport const y = x;\n', "provider/"],
  ["provider/deletion-rules.ts", 'import { x } from "../cloud/call";\nexport const y = x;\n', "pure rule"],
  ["provider/deletion-rules.ts", 'import { x } from "./delete";\nexport const y = x;\n', "pure rule"],
  ["cloud/usage-rules.ts", 'import type { X } from "../provider/deletion-rules";\nexport type Y = X;\n', "pure rule"],
  ["resource/custom-image.ts", 'import { x } from "../preflight/run";\nexport const y = x;\n', "resource/"],
])("%s may not import what %j imports", async (file, code, room) => {
  const errors = await layerErrors(file, code);
  expect(errors).toHaveLength(1);
  expect(errors[0]).toContain(room);
});

test.each([
  ["provider/deletion-rules.ts", 'import { x } from "../schema/properties";\nexport const y = x;\n'],
  ["provider/deletion-rules.ts", 'import { x } from "./copies-rules";\nexport const y = x;\n'],
  ["provider/deletion-rules.ts", 'import type { X } from "../cloud/settings";\nexport type Y = X;\n'],
  ["provider/delete.ts", 'import { x } from "../cloud/call";\nexport const y = x;\n'],
  ["preflight/run.ts", 'import { x } from "../provider/deletion-rules";\nexport const y = x;\n'],
])("%s may import what %j imports", async (file, code) => {
  expect(await layerErrors(file, code)).toEqual([]);
});
