/**
 * How a CustomImage is stored in the state: a property at its default is left out, and put back
 * when the state is read. Pure.
 *
 * The engine rewrites the whole state after every step, and its cost grows with the number of
 * fields it serializes (a nested object costs one map per level), so every field stored per
 * resource is paid once per step of a big stack (`npm run bench:destroy` profiles the engine).
 * Storing only what differs from the defaults keeps a default CustomImage close to the fields a
 * no-op resource stores; the provider, the preflight and the resource class all read the state
 * through {@link withInputDefaults} and {@link withOutputDefaults}, so they see every field.
 *
 * A property is left out only when it equals its whole default (a policy with one field changed
 * is stored in full), so a stored value reads the same with or without this module. States that
 * stored every field (0.1) read the same.
 */
import { isObjectRule, stableText } from "./rules";
import { INPUTS, PROPERTIES, PROPERTY_KEYS } from "./properties";

type Rec = Record<string, unknown>;

/** The defaults check fills in (rows with `default.fill`): an object's is all its fields' defaults. */
const INPUT_DEFAULTS: ReadonlyMap<string, unknown> = new Map(
  INPUTS.filter(([, row]) => row.default?.fill).map(([key, row]) => [
    key,
    isObjectRule(row.rule) ? row.rule.check({}, key, () => undefined) : row.default!.value,
  ]),
);

/** The value of each output when there is none: the filled inputs' defaults, then every row's own default value. */
const OUTPUT_DEFAULTS: ReadonlyMap<string, unknown> = new Map([
  ...INPUT_DEFAULTS,
  ...PROPERTY_KEYS.flatMap((key): Array<[string, unknown]> => {
    const value = (PROPERTIES[key] as { default?: { value?: unknown } }).default?.value;
    return value === undefined || INPUT_DEFAULTS.has(key) ? [] : [[key, value]];
  }),
]);

function without(props: Rec, defaults: ReadonlyMap<string, unknown>): Rec {
  const out: Rec = {};
  for (const [k, v] of Object.entries(props)) {
    if (defaults.has(k) && stableText(v) === stableText(defaults.get(k))) continue;
    out[k] = v;
  }
  return out;
}

function withDefaults(props: Rec, defaults: ReadonlyMap<string, unknown>): Rec {
  const out: Rec = { ...props };
  for (const [k, d] of defaults) if (out[k] === undefined || out[k] === null) out[k] = structuredClone(d);
  return out;
}

/** Checked inputs as the state stores them: the defaults check filled are left out. */
export function storedInputs(inputs: Rec): Rec {
  return without(inputs, INPUT_DEFAULTS);
}

/** Checked inputs as stored, with the defaults check fills put back. */
export function withInputDefaults<T extends Rec>(inputs: T): T {
  return withDefaults(inputs, INPUT_DEFAULTS) as T;
}

/** Outputs as the state stores them: defaults (empty lists and maps, `false`, `""`, default policies) left out. */
export function storedOutputs(outputs: Rec): Rec {
  return without(outputs, OUTPUT_DEFAULTS);
}

/** Outputs as stored (or as 0.1 stored them, in full), with every default put back. */
export function withOutputDefaults<T extends Rec>(outputs: T): T {
  return withDefaults(outputs, OUTPUT_DEFAULTS) as T;
}

/** The value of an output the state left out, by name (the resource class puts it back). */
export function outputDefault(key: string): unknown {
  return OUTPUT_DEFAULTS.has(key) ? structuredClone(OUTPUT_DEFAULTS.get(key)) : undefined;
}

/** The outputs the state may leave out. */
export const DEFAULTED_OUTPUT_KEYS: readonly string[] = [...OUTPUT_DEFAULTS.keys()];
