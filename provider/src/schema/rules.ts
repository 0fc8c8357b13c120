/**
 * The value rules of the property table (see `properties.ts`): each rule checks one input value,
 * names its type for the README, gives an example for messages, and puts checked values in a
 * canonical form for comparisons. Pure.
 *
 * A rule never lets `undefined` into what it returns (inside lists and objects included): the
 * engine serializes check's inputs as a protobuf Struct, which throws "Unexpected struct type." on
 * `undefined`. Values unknown at preview ({@link UNKNOWN}) pass through unchecked, wherever they are.
 */
import { ID_EXAMPLES, ID_PATTERNS } from "./naming";
import { isDurationText, parseDuration } from "./durations";
import { UNKNOWN } from "./types";

/** Where a rule reports a refused value: the property path and a reason that names the fix. */
export type Report = (property: string, reason: string) => void;

/** One value rule. */
export interface Rule<T = unknown> {
  /** The type as the README shows it, e.g. `string, ≤ 60 characters`. */
  readonly type: string;
  /** A passing value written as program source, for messages ("write it like …"). */
  readonly example: string;
  /**
   * The checked value: undefined when absent (`undefined`/`null`) or refused (then reported at
   * `path`); UNKNOWN when unknown at preview.
   */
  check(value: unknown, path: string, report: Report): T | undefined;
  /** The value in the form two values are compared in (sets sorted, nested defaults filled). */
  normalize(value: unknown): unknown;
}

/**
 * How a change of a property applies: `replace` makes a new image; `update` changes the image in
 * place; `creation-only` is used by the create call alone, so a change is only recorded in the
 * state; `stored` is a policy kept in the state for later operations (no API call).
 */
export type Change = "replace" | "update" | "creation-only" | "stored";

/** The default of a property or field. */
export interface Default {
  /** As the README shows it; an object's is made of its fields' defaults. */
  readonly text?: string;
  /** The value an absent input stands for (in comparisons, and for images this resource creates). */
  readonly value?: unknown;
  /** `check` writes the value into the checked inputs, so the outputs (and `delete`) see it resolved. */
  readonly fill?: true;
}

/** A property of the resource, or a field of an object input: its rule and how it behaves. */
export interface Field<T = unknown> {
  readonly rule: Rule<T>;
  /** What it is, in a sentence (README). */
  readonly doc: string;
  readonly change: Change;
  /** An input that must be set. */
  readonly required?: true;
  readonly default?: Default;
}

const isUnknown = (v: unknown): boolean => v === UNKNOWN;
const absent = (v: unknown): boolean => v === undefined || v === null;
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A value as text with object keys sorted (undefined fields dropped): equal values, equal texts. */
export function stableText(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableText).join(",")}]`;
  if (isRecord(v)) {
    return `{${Object.keys(v)
      .filter((k) => v[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableText(v[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v);
}
const quote = (s: string): string => JSON.stringify(s);
const quoteList = (values: readonly string[]): string => values.map(quote).join(", ");
const chars = (s: string): number => [...s].length;

/** A value as a message shows it: `the number 12`, `a list`, `an object`, `the string "x"`. */
export function describeValue(v: unknown): string {
  if (Array.isArray(v)) return "a list";
  if (isRecord(v)) return "an object";
  if (typeof v === "string") return `the string ${quote(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  if (typeof v === "number" || typeof v === "boolean")
    return `${typeof v === "number" ? "the number " : ""}${String(v)}`;
  return typeof v;
}

/** The candidate equal to `typed` but for letter case, for "did you mean …?". */
function sameButCase(typed: string, candidates: readonly string[]): string | undefined {
  return candidates.find((c) => c !== typed && c.toLowerCase() === typed.toLowerCase());
}

/** Whether a value would pass `rule` (no failure reported). */
export function accepts(rule: Rule, value: unknown): boolean {
  let ok = true;
  return rule.check(value, "", () => (ok = false)) !== undefined && ok;
}

/** Any string, or one that matches a format. */
export function text(
  o: {
    max?: number;
    allowEmpty?: boolean;
    pattern?: RegExp;
    patternText?: string;
    example?: string;
    refusal?: string;
  } = {},
): Rule<string> {
  const example = quote(o.example ?? "text");
  return {
    type: `string${o.max ? `, ≤ ${o.max} characters` : ""}${o.patternText ? `: ${o.patternText}` : ""}`,
    example,
    check(v, path, report) {
      if (absent(v)) return undefined;
      if (isUnknown(v)) return UNKNOWN;
      if (typeof v !== "string")
        return void report(path, `must be a string, not ${describeValue(v)}; write it in quotes, like ${example}`);
      if (!o.allowEmpty && v.trim() === "")
        return void report(path, "must not be empty; remove the property or give it a value");
      if (o.max !== undefined && chars(v) > o.max)
        return void report(path, `is ${chars(v)} characters long; the limit is ${o.max}. Shorten it`);
      if (o.pattern && v !== "" && !o.pattern.test(v)) {
        return void report(
          path,
          `${quote(v)} is not accepted${o.refusal ? ` (${o.refusal})` : ""}: use ` +
            `${o.patternText ?? o.pattern.source}, e.g. ${example}`,
        );
      }
      return v;
    },
    normalize: (v) => v,
  };
}

/** A resource id of a kind (`img-…`, `ins-…`, an account uin, a region). */
export function id(kind: keyof typeof ID_PATTERNS, o: { what?: string; type?: string } = {}): Rule<string> {
  const what = o.what ?? `${kind} id`;
  const sample = ID_EXAMPLES[kind].split(" ")[0]!;
  const example = quote(sample);
  const plain = text({ example: sample });
  return {
    type: o.type ?? `\`${sample.replace(/-.*/, "-…")}\``,
    example,
    check(v, path, report) {
      const s = plain.check(v, path, report);
      if (s === undefined || s === UNKNOWN) return s;
      if (!ID_PATTERNS[kind].test(s))
        return void report(path, `${quote(s)} is not a valid ${what}; expected something like ${ID_EXAMPLES[kind]}`);
      return s;
    },
    normalize: (v) => v,
  };
}

/** One of a fixed set of strings. */
export function oneOf<const V extends string>(
  values: readonly V[],
  o: { refusal?: string; hint?: string } = {},
): Rule<V> {
  const plain = text({ example: values[0] });
  return {
    type: values.map((v) => `\`${v}\``).join(" | "),
    example: quote(values[0]!),
    check(v, path, report) {
      const s = plain.check(v, path, report);
      if (s === undefined || s === UNKNOWN) return s as V | undefined;
      if (!(values as readonly string[]).includes(s)) {
        const near = sameButCase(s, values);
        return void report(
          path,
          `${quote(s)} is not allowed${o.refusal ? ` (${o.refusal})` : ""}; ` +
            `${near ? `did you mean ${quote(near)}? ` : ""}use one of ` +
            `${quoteList(values)}${o.hint ? ` (${o.hint})` : ""}`,
        );
      }
      return s as V;
    },
    normalize: (v) => v,
  };
}

/** true or false. */
export function flag(): Rule<boolean> {
  return {
    type: "boolean",
    example: "true",
    check(v, path, report) {
      if (absent(v)) return undefined;
      if (isUnknown(v)) return UNKNOWN as never;
      if (typeof v !== "boolean") {
        const hint = v === "true" || v === "false" ? `write ${String(v)} without quotes` : "write true or false";
        return void report(path, `must be true or false, not ${describeValue(v)}; ${hint}`);
      }
      return v;
    },
    normalize: (v) => v,
  };
}

/** An http(s) URL of an image file; `formats` are the file endings accepted (lower case). */
export function fileUrl(formats: readonly string[], o: { refusal?: string } = {}): Rule<string> {
  const list = formats.map((f) => f.toUpperCase());
  const named = `${list.slice(0, -1).join(", ")} or ${list[list.length - 1]}`;
  const example = `https://bucket-1250000000.cos.ap-guangzhou.myqcloud.com/disk.${formats[0]}`;
  const plain = text({ example });
  return {
    type: `http(s) URL of a ${list.join("/")} file`,
    example: quote(example),
    check(v, path, report) {
      const s = plain.check(v, path, report);
      if (s === undefined || s === UNKNOWN) return s;
      let url: URL | undefined;
      try {
        url = new URL(s);
      } catch {
        url = undefined;
      }
      if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) {
        return void report(
          path,
          `${quote(s)} is not an http(s) URL; give the COS URL of the image file, e.g. ${quote(example)}`,
        );
      }
      if (!formats.includes(fileFormat(s) ?? "")) {
        return void report(
          path,
          `${quote(s)} is not a ${named} file${o.refusal ? ` (${o.refusal})` : ""}; give the URL of a file ending in ` +
            `${formats.map((f) => `.${f}`).join(", ")}`,
        );
      }
      return s;
    },
    normalize: (v) => v,
  };
}

/** The file ending of a URL's path, lower case (`qcow2`), or undefined when it is not a URL. */
export function fileFormat(url: string): string | undefined {
  try {
    const name = new URL(url).pathname.split("/").pop() ?? "";
    return name.includes(".") ? name.split(".").pop()!.toLowerCase() : "";
  } catch {
    return undefined;
  }
}

/** A duration string ("90s", "10m", "1h30m") of at least one millisecond. */
export function duration(): Rule<string> {
  const plain = text({ example: "10m" });
  return {
    type: 'duration such as `"90s"`, `"10m"`, `"1h30m"`',
    example: quote("10m"),
    check(v, path, report) {
      const s = plain.check(v, path, report);
      if (s === undefined || s === UNKNOWN) return s;
      if (!isDurationText(s))
        return void report(path, `${quote(s)} is not a duration; write it like "90s", "10m" or "1h30m"`);
      if (parseDuration(s) === undefined)
        return void report(
          path,
          `${quote(s)} rounds to 0 milliseconds, so every wait would time out at once; give at least "1ms", e.g. "10m"`,
        );
      return s;
    },
    normalize: (v) => v,
  };
}

/** A list of items. `unordered`: a set (order does not matter in comparisons; duplicates are refused). */
export function list<T>(
  item: Rule<T>,
  o: { unordered?: true; min?: number; max?: number; maxReason?: string; noun?: string } = {},
): Rule<T[]> {
  const noun = o.noun ?? "item";
  const example = `[${item.example}]`;
  return {
    type: `list of ${item.type}${o.max ? `, ≤ ${o.max}` : ""}`,
    example,
    check(v, path, report) {
      if (absent(v)) return undefined;
      if (isUnknown(v)) return UNKNOWN as never;
      if (!Array.isArray(v)) {
        const wrap = accepts(item, v) ? `put it in a list: [${JSON.stringify(v)}]` : `write it like ${example}`;
        return void report(path, `must be a list, not ${describeValue(v)}; ${wrap}`);
      }
      if (o.min && v.length < o.min)
        return void report(
          path,
          `must list at least ${o.min === 1 ? "one" : o.min} ${noun}${o.min > 1 ? "s" : ""}, e.g. ${example}`,
        );
      if (o.max !== undefined && v.length > o.max) {
        return void report(
          path,
          `lists ${v.length} ${noun}s; the limit is ${o.max}${o.maxReason ? ` (${o.maxReason})` : ""}. Remove ` +
            `${v.length - o.max}`,
        );
      }
      const out: T[] = [];
      let refused = false;
      v.forEach((x, i) => {
        const checked = item.check(x, `${path}[${i}]`, report);
        if (checked === undefined) refused = true;
        else out.push(checked);
      });
      if (refused) return undefined;
      if (o.unordered) {
        const seen = new Set<unknown>();
        const dups = new Set<string>();
        for (const x of out) {
          if (x !== UNKNOWN && seen.has(x)) dups.add(String(x));
          seen.add(x);
        }
        if (dups.size) return void report(path, `lists ${quoteList([...dups])} more than once; list each ${noun} once`);
      }
      return out;
    },
    normalize(v) {
      if (!Array.isArray(v)) return v;
      const items = v.map((x) => item.normalize(x));
      return o.unordered ? [...items].sort() : items;
    },
  };
}

/** A string-to-string map such as tags. */
export function stringMap(o: {
  maxEntries: number;
  maxEntriesReason?: string;
  maxKey: number;
  maxValue: number;
  noun: string;
  example: string;
}): Rule<Record<string, string>> {
  return {
    type: `\`Record<string,string>\`, ≤ ${o.maxEntries} ${o.noun}s`,
    example: o.example,
    check(v, path, report) {
      if (absent(v)) return undefined;
      if (isUnknown(v)) return UNKNOWN as never;
      if (!isRecord(v))
        return void report(
          path,
          `must be an object of ${o.noun} keys to string values, not ${describeValue(v)}; write it like ${o.example}`,
        );
      const entries = Object.entries(v);
      if (entries.length > o.maxEntries) {
        return void report(
          path,
          `has ${entries.length} ${o.noun}s; the limit is ` +
            `${o.maxEntries}${o.maxEntriesReason ? ` (${o.maxEntriesReason})` : ""}. Remove ` +
            `${entries.length - o.maxEntries}`,
        );
      }
      const out: Record<string, string> = {};
      let refused = false;
      for (const [k, val] of entries) {
        const refuse = (where: string, reason: string) => {
          refused = true;
          report(where, reason);
        };
        if (k.trim() === "" || chars(k) > o.maxKey)
          refuse(path, `${o.noun} key ${quote(k)} must be 1 to ${o.maxKey} characters; rename it`);
        else if (isUnknown(val)) out[k] = UNKNOWN;
        else if (typeof val !== "string")
          refuse(
            `${path}.${k}`,
            `${o.noun} values must be strings, not ${describeValue(val)}; write it in quotes, like ` +
              `${quote(String(val))}`,
          );
        else if (chars(val) > o.maxValue)
          refuse(
            `${path}.${k}`,
            `${o.noun} value is ${chars(val)} characters long; the limit is ${o.maxValue}. Shorten it`,
          );
        else out[k] = val;
      }
      return refused ? undefined : out;
    },
    normalize: (v) => v,
  };
}

/** Extra checks across the fields of one object (e.g. an ISO file needs `force`). */
export type Refine = (
  value: Record<string, unknown>,
  path: string,
  report: Report,
  /** The object as given (aliases moved), so a rule across fields can tell a refused field from an absent one. */
  given: Record<string, unknown>,
) => void;

/**
 * Deprecated field names an object still accepts, each with the dotted path of the field that
 * replaced it (`{ instancesInUse: "inUse.instances" }`). The checked value holds only the new field.
 */
export type Aliases = Readonly<Record<string, string>>;

/**
 * The object rule: a rule with its declared fields, its deprecated aliases, and the alias rewrite.
 * `F` and `A` keep the fields' and aliases' names and rules in the type, so the TypeScript shapes
 * the table describes can be worked out from it (`table-types.ts`).
 */
export interface ObjectRule<
  F extends Record<string, Field> = Record<string, Field>,
  A extends Aliases = Aliases,
> extends Rule<Record<string, unknown>> {
  readonly fields: F;
  readonly aliases: A;
  /** The value with each alias moved to the field that replaced it (unless that field is set too). */
  canonical(value: unknown): unknown;
}

const getPath = (v: Record<string, unknown>, path: readonly string[]): unknown =>
  path.reduce<unknown>((at, k) => (isRecord(at) ? at[k] : undefined), v);

function setPath(v: Record<string, unknown>, path: readonly string[], value: unknown): Record<string, unknown> {
  const [head, ...rest] = path;
  const inner = isRecord(v[head!]) ? (v[head!] as Record<string, unknown>) : {};
  return { ...v, [head!]: rest.length ? setPath(inner, rest, value) : value };
}

/** The rule of the field at a dotted path through nested object fields. */
function fieldRule(fields: Record<string, Field>, dotted: string): Rule | undefined {
  const [head, ...rest] = dotted.split(".");
  const rule = fields[head!]?.rule;
  if (!rule || !rest.length) return rule;
  return isObjectRule(rule) ? fieldRule(rule.fields, rest.join(".")) : undefined;
}

/**
 * Moves aliases to their fields. Both set to different values is reported (when `report` is given)
 * and the alias dropped; both set to the same value, or only the field, keeps the field's.
 */
function moveAliases(
  v: Record<string, unknown>,
  aliases: Aliases,
  path: string,
  report?: Report,
): Record<string, unknown> {
  let out = v;
  for (const [alias, target] of Object.entries(aliases)) {
    if (absent(v[alias])) continue;
    const { [alias]: given, ...rest } = out;
    const targetPath = target.split(".");
    const current = getPath(rest, targetPath);
    if (absent(current)) out = setPath(rest, targetPath, given);
    else {
      out = rest;
      if (report && current !== given && !isUnknown(current) && !isUnknown(given)) {
        report(
          `${path}.${alias}`,
          `${path}.${alias} (the deprecated name of ${path}.${target}) is ${JSON.stringify(given)} but ` +
            `${path}.${target} is ${JSON.stringify(current)}; remove ${path}.${alias} and keep only ` +
            `${path}.${target} with the value you want`,
        );
      }
    }
  }
  return out;
}

/** The fix for a scalar given where an object belongs: the field (or fields) it would fit, else an example. */
function scalarFix(raw: unknown, path: string, fits: string[], example: string): string {
  if (!fits.length) return `write it like ${path}: ${example}`;
  const others = fits.length > 1 ? ` (or ${fits.slice(1).join(", ")} instead of ${fits[0]})` : "";
  return `write ${path}: { ${fits[0]}: ${JSON.stringify(raw)} }${others}`;
}

/** Reports each key of `raw` that is neither a field nor an alias, with a near miss if there is one. */
function reportUnknownKeys(
  raw: Record<string, unknown>,
  path: string,
  report: Report,
  accepted: string[],
  keys: string[],
): void {
  for (const k of Object.keys(raw)) {
    if (!accepted.includes(k)) {
      const near = sameButCase(k, accepted);
      report(
        `${path}.${k}`,
        `unknown property ${quote(k)}; ${near ? `did you mean ${quote(near)}? ` : ""}the allowed properties are ` +
          `${quoteList(keys)}`,
      );
    }
  }
}

/** Checks each declared field of `v` (aliases already moved): a missing required one is reported, a default filled. */
function checkFields(
  fields: Record<string, Field>,
  v: Record<string, unknown>,
  path: string,
  report: Report,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(fields)) {
    const f = fields[k]!;
    const where = `${path}.${k}`;
    let checked = f.rule.check(v[k], where, report);
    if (checked === undefined && absent(v[k])) {
      if (f.required) report(where, `is required (${f.doc.replace(/\.$/, "")}); set it, e.g. ${k}: ${f.rule.example}`);
      else if (f.default?.fill) checked = isObjectRule(f.rule) ? f.rule.check({}, where, report) : f.default.value;
    }
    if (checked !== undefined) out[k] = checked;
  }
  return out;
}

/**
 * An object with declared fields; unknown keys are refused; fields with a filling default are
 * filled; `aliases` are deprecated names still accepted (see {@link Aliases}).
 */
export function object<F extends Record<string, Field>, const A extends Aliases = Record<never, never>>(
  fields: F,
  o: { refine?: Refine; aliases?: A } = {},
): ObjectRule<F, A> {
  const keys = Object.keys(fields);
  const aliases = o.aliases ?? ({} as A);
  const accepted = [...keys, ...Object.keys(aliases)];
  const shown = keys.filter((k) => fields[k]!.required);
  const exampleKeys = shown.length ? shown : keys.slice(0, 1);
  const example = `{ ${exampleKeys.map((k) => `${k}: ${fields[k]!.rule.example}`).join(", ")} }`;
  /** For a scalar given where the object belongs: the field (or fields) it would fit. */
  const fieldsAccepting = (v: unknown) => keys.filter((k) => accepts(fields[k]!.rule, v));
  const canonical = (v: unknown): unknown => (isRecord(v) ? moveAliases(v, aliases, "") : v);
  return {
    fields,
    aliases,
    canonical,
    type: `\`{${keys.map((k) => `${k}${fields[k]!.required ? "" : "?"}`).join(", ")}}\``,
    example,
    check(raw, path, report) {
      if (absent(raw)) return undefined;
      if (isUnknown(raw)) return UNKNOWN as never;
      if (!isRecord(raw)) {
        const fits = Array.isArray(raw) ? [] : fieldsAccepting(raw);
        return void report(
          path,
          `must be an object, not ${describeValue(raw)}; ${scalarFix(raw, path, fits, example)}`,
        );
      }
      reportUnknownKeys(raw, path, report, accepted, keys);
      // A deprecated name is checked where it was written, by the rule of the field that replaced it.
      const refusedAliases = Object.keys(aliases).filter(
        (a) => !absent(raw[a]) && fieldRule(fields, aliases[a]!)?.check(raw[a], `${path}.${a}`, report) === undefined,
      );
      const kept = Object.fromEntries(Object.entries(raw).filter(([k]) => !refusedAliases.includes(k)));
      const v = moveAliases(kept, aliases, path, report);
      const out = checkFields(fields, v, path, report);
      o.refine?.(out, path, report, v);
      return out;
    },
    normalize(raw) {
      if (!isRecord(raw)) return raw;
      const v = moveAliases(raw, aliases, "");
      const out: Record<string, unknown> = {};
      for (const k of keys) {
        const x = v[k] ?? fields[k]!.default?.value;
        if (x !== undefined) out[k] = fields[k]!.rule.normalize(x);
      }
      return out;
    },
  };
}

/** Whether a rule is an object rule (has declared fields). */
export function isObjectRule(rule: Rule): rule is ObjectRule {
  return "fields" in rule;
}
