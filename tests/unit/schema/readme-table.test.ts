// The README's inputs table (provider/README.md), generated from the property table by schema/readme-table.ts.
import * as fs from "node:fs";
import * as path from "node:path";
import { INPUT_KEYS, INPUTS } from "../../../provider/src/schema/properties";
import {
  README_TABLE_MARKERS,
  readmeInputsTable,
  withReadmeInputsTable,
} from "../../../provider/src/schema/readme-table";

describe("README inputs table", () => {
  const readme = fs.readFileSync(path.join(__dirname, "..", "..", "..", "provider", "README.md"), "utf8");
  const between = (text: string) =>
    text
      .slice(
        text.indexOf(README_TABLE_MARKERS.start) + README_TABLE_MARKERS.start.length,
        text.indexOf(README_TABLE_MARKERS.end),
      )
      .trim();

  test("is the generated one (regenerate with `npm run docs:inputs`)", () => {
    expect(readme).toContain(README_TABLE_MARKERS.start);
    expect(between(readme)).toBe(readmeInputsTable());
  });

  test.each(INPUTS.map(([k, row]) => [k, row] as const))(
    "has the row of %s: its type, default and change",
    (key, row) => {
      const line = readmeInputsTable()
        .split("\n")
        .find((l) => l.startsWith(`| \`${key}\` |`));
      expect(line).toBeDefined();
      expect(line).toContain(row.rule.type.replace(/\|/g, "\\|"));
      if (row.default?.text) expect(line).toContain(row.default.text);
      expect(line).toContain(
        row.change === "update" ? "in place" : row.change === "replace" ? "replace" : "stored in the state",
      );
      expect(line).toContain(row.doc);
    },
  );

  test("lists the inputs in table order, and nothing else", () => {
    const keys = [...readmeInputsTable().matchAll(/^\| `([A-Za-z]+)` \|/gm)].map((m) => m[1]);
    expect(keys).toEqual([...INPUT_KEYS]);
  });
});

describe("withReadmeInputsTable", () => {
  const { start, end } = README_TABLE_MARKERS;

  test("replaces only what is between the markers, keeping them and the text around", () => {
    const readme = `# Title\n\n${start}\nan old table\n${end}\n\nAfter.\n`;
    expect(withReadmeInputsTable(readme)).toBe(`# Title\n\n${start}\n${readmeInputsTable()}\n${end}\n\nAfter.\n`);
    expect(withReadmeInputsTable(withReadmeInputsTable(readme))).toBe(withReadmeInputsTable(readme));
  });

  test("refuses a README without both markers, in order", () => {
    expect(() => withReadmeInputsTable("# no markers")).toThrow(/has no inputs-table markers/);
    expect(() => withReadmeInputsTable(`${start} only`)).toThrow(/has no inputs-table markers/);
    expect(() => withReadmeInputsTable(`${end}\n${start}`)).toThrow(/has no inputs-table markers/);
  });
});
