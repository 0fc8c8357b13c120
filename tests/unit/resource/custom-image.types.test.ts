/**
 * The type-level guarantees of tests/types/*.ts, checked where the tests run: ts-jest only
 * transpiles test files (isolatedModules), so a broken type in them would not fail `npx jest`.
 * Here the TypeScript compiler checks them with the tests' compiler options, and a deliberately
 * broken assertion must be reported (so the assertions can fail at all). Among the broken ones: the
 * property table with one in-place attribute row more (`TableWithNewAttribute`) and no hand-written
 * counterpart, which each public declaration held to the table (args, outputs, getImage's result)
 * must fail, and hand-written value types that differ from the table's.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";

const TESTS = path.join(__dirname, "..", "..");
const TYPES = path.join(TESTS, "types");
/** A file that is not on disk: assertions that must not compile, using the same helpers. */
const NEGATIVE = path.join(TYPES, "__negative__.ts");
const NEGATIVE_SOURCE = `
import type * as pulumi from "@pulumi/pulumi";
import type { CustomImage, CustomImageArgs } from "../../provider/src/resource/custom-image";
import type { GetImageResult } from "../../provider/src/resource/get-image";
import type { InputKey } from "../../provider/src/schema/properties";
import type { Table } from "../../provider/src/schema/table-types";
import type { CustomImageState, ImageFacts } from "../../provider/src/schema/types";
import type {
  ArgsMatch,
  Assert,
  CloudRowsDescribed,
  Equal,
  LookupResultMatch,
  OutputsMatch,
  TableWithNewAttribute,
} from "./schema";

/** An args type that lost an input. */
type ArgsWithoutTags = Omit<CustomImageArgs, "tags">;
export type MissingInput = Assert<Equal<keyof ArgsWithoutTags, InputKey>>;
/** An args type with an input the table does not have. */
type ArgsWithExtra = CustomImageArgs & { colour?: string };
export type ExtraInput = Assert<Equal<keyof ArgsWithExtra, InputKey>>;
/** Equal is exact: a wider type is not equal. */
export type Wider = Assert<Equal<InputKey | "colour", InputKey>>;

/** A new in-place attribute row (schema/) without its hand-written counterparts: each public type fails. */
export type NewRowArgs = Assert<ArgsMatch<TableWithNewAttribute, CustomImageArgs>>;
export type NewRowOutputs = Assert<OutputsMatch<TableWithNewAttribute, CustomImage, CustomImageState>>;
export type NewRowLookup = Assert<LookupResultMatch<TableWithNewAttribute, GetImageResult, ImageFacts, CustomImageState>>;
/** An output read from the cloud whose row names no DescribeImages field. */
type TableWithUndescribed = Table & { readonly colour: { readonly doc: "The colour."; readonly output: "cloud" } };
export type UndescribedCloudRow = Assert<CloudRowsDescribed<TableWithUndescribed>>;
/** A hand-written input whose value type is not its rule's (imageDeprecated is a flag). */
type ArgsWithWrongType = Omit<CustomImageArgs, "imageDeprecated"> & { imageDeprecated?: pulumi.Input<string> };
export type WrongInputType = Assert<ArgsMatch<Table, ArgsWithWrongType>>;
/** A declared output that may be undefined although its row has a default the class reads back. */
type OutputsWithUndefined = Omit<CustomImage, "copyTo"> & { readonly copyTo: pulumi.Output<string[] | undefined> };
export type WrongOutputType = Assert<OutputsMatch<Table, OutputsWithUndefined, CustomImageState>>;
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
    { code: 2344, line: lineOf("type NewRowArgs"), text: "Type 'false' does not satisfy the constraint 'true'." },
    { code: 2344, line: lineOf("type NewRowOutputs"), text: "Type 'false' does not satisfy the constraint 'true'." },
    { code: 2344, line: lineOf("type NewRowLookup"), text: "Type 'false' does not satisfy the constraint 'true'." },
    {
      code: 2344,
      line: lineOf("type UndescribedCloudRow"),
      text: "Type 'false' does not satisfy the constraint 'true'.",
    },
    { code: 2344, line: lineOf("type WrongInputType"), text: "Type 'false' does not satisfy the constraint 'true'." },
    { code: 2344, line: lineOf("type WrongOutputType"), text: "Type 'false' does not satisfy the constraint 'true'." },
  ]);
});
