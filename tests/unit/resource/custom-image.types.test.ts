/**
 * The type-level guarantees of tests/types/*.ts, checked where the tests run: ts-jest only
 * transpiles test files (isolatedModules), so a broken type in them would not fail `npx jest`.
 * Here the TypeScript compiler checks them with the tests' compiler options, and a deliberately
 * broken assertion must be reported (so the assertions can fail at all).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";

const TESTS = path.join(__dirname, "..", "..");
const TYPES = path.join(TESTS, "types");
/** A file that is not on disk: assertions that must not compile, using the same helpers. */
const NEGATIVE = path.join(TYPES, "__negative__.ts");
const NEGATIVE_SOURCE = `
import type { CustomImageArgs } from "../../provider/src/resource/custom-image";
import type { InputKey } from "../../provider/src/schema/properties";
import type { Assert, Equal } from "./schema";

/** An args type that lost an input. */
type ArgsWithoutTags = Omit<CustomImageArgs, "tags">;
export type MissingInput = Assert<Equal<keyof ArgsWithoutTags, InputKey>>;
/** An args type with an input the table does not have. */
type ArgsWithExtra = CustomImageArgs & { colour?: string };
export type ExtraInput = Assert<Equal<keyof ArgsWithExtra, InputKey>>;
/** Equal is exact: a wider type is not equal. */
export type Wider = Assert<Equal<InputKey | "colour", InputKey>>;
`;

function compile(): { program: ts.Program; files: string[] } {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    path.join(TESTS, "tsconfig.json"),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
      },
    },
  );
  if (!parsed) throw new Error("tests/tsconfig.json could not be read");
  const files = fs
    .readdirSync(TYPES)
    .filter((f) => f.endsWith(".ts"))
    .map((f) => path.join(TYPES, f));
  const host = ts.createCompilerHost(parsed.options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (name, version, ...rest) =>
    path.resolve(name) === NEGATIVE
      ? ts.createSourceFile(name, NEGATIVE_SOURCE, version)
      : getSourceFile.call(host, name, version, ...rest);
  host.fileExists = (name) => path.resolve(name) === NEGATIVE || fileExists.call(host, name);
  host.readFile = (name) => (path.resolve(name) === NEGATIVE ? NEGATIVE_SOURCE : readFile.call(host, name));
  // The files alone (no project references): imported sources are compiled from source.
  const program = ts.createProgram({
    rootNames: [...files, NEGATIVE],
    options: { ...parsed.options, noEmit: true },
    host,
  });
  return { program, files };
}

const diagnosticsOf = (program: ts.Program, file: string) => {
  const source = program.getSourceFile(file);
  if (!source) throw new Error(`${file} is not in the program`);
  return [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)].map((d) => ({
    code: d.code,
    line: d.start !== undefined ? source.getLineAndCharacterOfPosition(d.start).line + 1 : 0,
    text: ts.flattenDiagnosticMessageText(d.messageText, "\n"),
  }));
};

let compiled: ReturnType<typeof compile>;
beforeAll(() => {
  compiled = compile();
}, 120_000);

test("the compiler options are the tests' and are valid", () => {
  expect(
    compiled.program.getOptionsDiagnostics().map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")),
  ).toEqual([]);
  expect(compiled.program.getCompilerOptions().strict).toBe(true);
});

test("tests/types holds the type-level checks", () => {
  expect(compiled.files.map((f) => path.basename(f))).toContain("schema.ts");
});

test.each(fs.readdirSync(TYPES).filter((f) => f.endsWith(".ts")))(
  "tests/types/%s compiles without a diagnostic",
  (file) => {
    expect(diagnosticsOf(compiled.program, path.join(TYPES, file))).toEqual([]);
  },
);

test("a broken type-level assertion is a diagnostic, on each broken line", () => {
  const found = diagnosticsOf(compiled.program, NEGATIVE);
  const lineOf = (needle: string) => NEGATIVE_SOURCE.split("\n").findIndex((l) => l.includes(needle)) + 1;
  // TS2344: Type 'false' does not satisfy the constraint 'true'.
  expect(found).toEqual([
    { code: 2344, line: lineOf("type MissingInput"), text: "Type 'false' does not satisfy the constraint 'true'." },
    { code: 2344, line: lineOf("type ExtraInput"), text: "Type 'false' does not satisfy the constraint 'true'." },
    { code: 2344, line: lineOf("type Wider"), text: "Type 'false' does not satisfy the constraint 'true'." },
  ]);
});
