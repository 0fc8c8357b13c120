/**
 * The README's inputs table, generated from the property table. `npm run docs:inputs` writes it
 * into provider/README.md between the {@link README_TABLE_MARKERS}; a unit test fails when the
 * README's copy differs. Pure.
 */
import { Change, Field, isObjectRule, ObjectRule } from "./rules";
import { INPUTS, InputProperty } from "./properties";

/** The comment lines around the generated table in provider/README.md. */
export const README_TABLE_MARKERS = {
  start: "<!-- inputs-table: generated from src/schema/properties.ts by `npm run docs:inputs`; do not edit by hand -->",
  end: "<!-- inputs-table: end -->",
} as const;

const CHANGE_TEXT: Record<Change, string> = {
  replace: "replace",
  update: "in place",
  "creation-only": "creation-only: a change is recorded in the state, with no API call",
  stored: "stored in the state, with no API call",
};

const cell = (s: string): string => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
const fieldNames = (names: string[]): string => names.map((n) => `\`${n}\``).join(", ");

/** The Default column: the property's own default, else its fields' defaults. */
function defaultText(row: InputProperty): string {
  if (row.default?.text) return row.default.text;
  if (isObjectRule(row.rule)) {
    const parts = Object.entries(row.rule.fields as Record<string, Field>).flatMap(([k, f]) =>
      f.default ? [`\`${k}\` ${f.default.text}`] : [],
    );
    if (parts.length) return parts.join(", ");
  }
  return "—";
}

/** The Change column: the property's change, the fields that differ from it, and its note. */
function changeText(row: InputProperty): string {
  let text = CHANGE_TEXT[row.change];
  if (isObjectRule(row.rule)) {
    const byChange = new Map<Change, string[]>();
    for (const [k, f] of Object.entries(row.rule.fields as Record<string, Field>)) {
      if (f.change !== row.change) byChange.set(f.change, [...(byChange.get(f.change) ?? []), k]);
    }
    for (const [change, names] of byChange) text += `; ${fieldNames(names)}: ${CHANGE_TEXT[change]}`;
  }
  return row.changeNote ? `${text}; ${row.changeNote}` : text;
}

/** Each field's doc (nested objects' fields in parentheses), then the deprecated names. */
function fieldDocs(rule: ObjectRule): string {
  const fields = Object.entries(rule.fields as Record<string, Field>).map(
    ([k, f]) => `\`${k}\`: ${f.doc}${isObjectRule(f.rule) ? ` (${fieldDocs(f.rule)})` : ""}`,
  );
  const aliases = Object.entries(rule.aliases).map(
    ([alias, target]) => `\`${alias}\`: deprecated name of \`${target}\`, still accepted`,
  );
  return [...fields, ...aliases].join("; ");
}

/** The Description column: the doc, and for objects each field's doc. */
function descriptionText(row: InputProperty): string {
  return isObjectRule(row.rule) ? `${row.doc} ${fieldDocs(row.rule)}.` : row.doc;
}

/** The inputs table as Markdown (no markers), one row per input in table order. */
export function readmeInputsTable(): string {
  const lines = ["| Input | Type | Default | Change | Description |", "|---|---|---|---|---|"];
  for (const [key, row] of INPUTS) {
    lines.push(
      `| \`${key}\` | ${cell(row.rule.type)} | ${cell(defaultText(row))} | ${cell(changeText(row))} | ` +
        `${cell(descriptionText(row))} |`,
    );
  }
  return lines.join("\n");
}

/** `readme` with the text between the markers replaced by the generated table; throws when a marker is missing. */
export function withReadmeInputsTable(readme: string): string {
  const start = readme.indexOf(README_TABLE_MARKERS.start);
  const end = readme.indexOf(README_TABLE_MARKERS.end);
  if (start === -1 || end === -1 || end < start)
    throw new Error(
      `the README has no inputs-table markers (${README_TABLE_MARKERS.start} … ${README_TABLE_MARKERS.end})`,
    );
  return `${readme.slice(0, start + README_TABLE_MARKERS.start.length)}\n${readmeInputsTable()}\n${readme.slice(end)}`;
}
