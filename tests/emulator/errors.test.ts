/**
 * The error catalogue (emulator/src/errors.ts), checked statically: only the catalogue constructs
 * errors and writes codes, every entry is used, and the codes emulator/README.md names are exactly
 * the catalogue's.
 */
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import * as catalogue from "../../emulator/src/errors";

const SRC = path.join(__dirname, "..", "..", "emulator", "src");
const README = readFileSync(path.join(__dirname, "..", "..", "emulator", "README.md"), "utf8");

/** Every .ts file under emulator/src, relative path → text without comments. */
function sources(dir = SRC): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) for (const [k, v] of sources(full)) out.set(k, v);
    else if (entry.name.endsWith(".ts")) out.set(path.relative(SRC, full), stripComments(readFileSync(full, "utf8")));
  }
  return out;
}

function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`])\/\/.*$/gm, "$1");
}

const files = sources();
const others = [...files].filter(([file]) => file !== "errors.ts");
const entries = Object.entries(catalogue).filter(([, v]) => typeof v === "function" && "code" in v) as [
  string,
  { code: string | undefined },
][];
const codes = new Set(entries.map(([, e]) => e.code).filter((c): c is string => c !== undefined));

/** Tencent Cloud's common error-code families (contract §4), besides those of the catalogue's codes. */
const COMMON_FAMILIES = [
  "ActionOffline",
  "AuthFailure",
  "DryRunOperation",
  "FailedOperation",
  "InternalError",
  "InvalidAction",
  "InvalidParameter",
  "InvalidParameterValue",
  "InvalidRequest",
  "IpInBlacklist",
  "IpNotInWhitelist",
  "LimitExceeded",
  "MissingParameter",
  "NoSuchProduct",
  "NoSuchVersion",
  "RequestLimitExceeded",
  "RequestSizeLimitExceeded",
  "ResourceInUse",
  "ResourceInsufficient",
  "ResourceNotFound",
  "ResourceUnavailable",
  "ResponseSizeLimitExceeded",
  "ServiceUnavailable",
  "UnauthorizedOperation",
  "UnknownParameter",
  "UnsupportedOperation",
  "UnsupportedProtocol",
  "UnsupportedRegion",
];
const families = new Set([...COMMON_FAMILIES, ...[...codes].map((c) => c.split(".")[0]!)]);

/** The error codes README.md names: inline code spans (outside fenced blocks) shaped like a code of a known family; `X.Y*` stands for every code starting `X.Y`. */
function readmeCodes(): string[] {
  const prose = README.replace(/```[\s\S]*?```/g, "");
  const spans = [...prose.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!.trim());
  return spans.filter(
    (s) => /^[A-Z][A-Za-z0-9]*(\.[A-Z][A-Za-z0-9]*)*\*?$/.test(s) && families.has(s.split(/[.*]/)[0]!),
  );
}
const matches = (token: string, code: string) =>
  token.endsWith("*") ? code.startsWith(token.slice(0, -1)) : code === token;

test("the catalogue has entries, each with a code (or a setting's default)", () => {
  expect(entries.length).toBeGreaterThan(90);
  for (const [name, e] of entries)
    expect([name, typeof e.code === "string" || e.code === undefined]).toEqual([name, true]);
});

test("no file but errors.ts constructs an ApiError", () => {
  const constructing = others.filter(([, text]) => /new\s+ApiError\s*\(/.test(text)).map(([file]) => file);
  expect(constructing).toEqual([]);
});

test("no file but errors.ts writes an error code", () => {
  const dotted = /["'`]([A-Z][A-Za-z0-9]*\.[A-Z][A-Za-z0-9]*)["'`]/g;
  const found: string[] = [];
  for (const [file, text] of others) {
    for (const m of text.matchAll(dotted)) if (families.has(m[1]!.split(".")[0]!)) found.push(`${file}: ${m[1]}`);
    if (file.startsWith(`actions${path.sep}`) || file.startsWith(`protocol${path.sep}`)) {
      for (const code of codes) if (text.includes(`"${code}"`)) found.push(`${file}: ${code}`);
    }
  }
  expect(found).toEqual([]);
});

test("every catalogue entry is used outside errors.ts", () => {
  const unused = entries
    .map(([name]) => name)
    .filter((name) => !others.some(([, text]) => new RegExp(`\\b${name}\\b`).test(text)));
  expect(unused).toEqual([]);
});

test("every error code the README names is in the catalogue", () => {
  const unknown = readmeCodes().filter((token) => ![...codes].some((code) => matches(token, code)));
  expect(unknown).toEqual([]);
});

test("every code of the catalogue is named in the README", () => {
  const tokens = readmeCodes();
  const undocumented = [...codes].filter((code) => !tokens.some((token) => matches(token, code)));
  expect(undocumented).toEqual([]);
});
