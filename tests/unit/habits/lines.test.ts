// Two habits of the source: no line of provider/src or emulator/src over 120 characters (Prettier wraps code at
// 120 but not comments or string literals: rewrap those by hand), and no function of provider/src over 60 lines
// (split it into named helpers). Functions are found with the TypeScript compiler API.
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";

const root = path.resolve(__dirname, "../../..");

export const MAX_LINE = 120;
export const MAX_FUNCTION_LINES = 60;

/** The `.ts` files under `dir` (relative to the repository root), sorted. */
function sourceFiles(dir: string): string[] {
  const entries = readdirSync(path.join(root, dir), { recursive: true, encoding: "utf8" });
  return entries
    .filter((f) => f.endsWith(".ts"))
    .map((f) => path.join(dir, f).split(path.sep).join("/"))
    .sort();
}

/** `file:line (length)` for each line of `text` longer than `max` characters. */
export function longLines(file: string, text: string, max = MAX_LINE): string[] {
  return text
    .split("\n")
    .flatMap((line, i) => (line.length > max ? [`${file}:${i + 1} (${line.length} characters)`] : []));
}

/** `file:line name (lines)` for each function (declaration, method, arrow or expression) longer than `max` lines. */
export function longFunctions(file: string, text: string, max = MAX_FUNCTION_LINES): string[] {
  const src = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  const visit = (n: ts.Node): void => {
    if (
      ts.isFunctionDeclaration(n) ||
      ts.isMethodDeclaration(n) ||
      ts.isArrowFunction(n) ||
      ts.isFunctionExpression(n)
    ) {
      const first = src.getLineAndCharacterOfPosition(n.getStart()).line;
      const last = src.getLineAndCharacterOfPosition(n.getEnd()).line;
      const lines = last - first + 1;
      const name = (n.name && n.name.getText(src)) || "(anonymous)";
      if (lines > max) found.push(`${file}:${first + 1} ${name} (${lines} lines)`);
    }
    ts.forEachChild(n, visit);
  };
  visit(src);
  return found;
}

const read = (file: string): string => readFileSync(path.join(root, file), "utf8");

describe("source habits", () => {
  const provider = sourceFiles("provider/src");
  const emulator = sourceFiles("emulator/src");

  it("finds the sources", () => {
    expect(provider.length).toBeGreaterThan(10);
    expect(emulator.length).toBeGreaterThan(10);
  });

  it(`has no line over ${MAX_LINE} characters in provider/src or emulator/src`, () => {
    expect([...provider, ...emulator].flatMap((f) => longLines(f, read(f)))).toEqual([]);
  });

  it(`has no function over ${MAX_FUNCTION_LINES} lines in provider/src`, () => {
    expect(provider.flatMap((f) => longFunctions(f, read(f)))).toEqual([]);
  });
});

describe("the checks themselves", () => {
  const body = (n: number) => Array.from({ length: n }, (_, i) => `  const x${i} = ${i};`).join("\n");

  it("report a 61-line function and not a 60-line one", () => {
    const text = `export function big(): void {\n${body(59)}\n}\n\nfunction fits(): void {\n${body(58)}\n}\n`;
    expect(longFunctions("synthetic.ts", text)).toEqual(["synthetic.ts:1 big (61 lines)"]);
  });

  it("report long arrow functions and methods, anonymous or named", () => {
    const text = `class C {\n  m(): void {\n${body(59)}\n  }\n}\nexport default [() => {\n${body(59)}\n}];\n`;
    expect(longFunctions("synthetic.ts", text)).toEqual([
      "synthetic.ts:2 m (61 lines)",
      "synthetic.ts:64 (anonymous) (61 lines)",
    ]);
  });

  it("report a 121-character line and not a 120-character one", () => {
    const text = `// ${"a".repeat(117)}\n// ${"b".repeat(118)}\nconst s = 1;\n`;
    expect(longLines("synthetic.ts", text)).toEqual(["synthetic.ts:2 (121 characters)"]);
  });
});
