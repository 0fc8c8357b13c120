/**
 * The TypeScript shapes the property table (`properties.ts`) describes, worked out by the compiler
 * from the rows and their rules: what a program may write for each input, what `check` gives, which
 * rows are the image's own attributes, which outputs a default fills. Types only.
 *
 * `ImageAttributes` (`types.ts`) is derived from them, so a new in-place attribute is one row. The
 * public declarations that carry per-property TSDoc (`CustomImageArgs`, the `CustomImage` outputs,
 * `GetImageResult`, `FromImport` …) are written by hand and held to these shapes in both directions,
 * keys and value types, by tests/types/schema.ts. Every shape is generic over the table's type, so
 * those checks can be tried on a table with one row more (tests/unit/resource/custom-image.types.test.ts).
 */
import type { Aliases, ObjectRule, Rule } from "./rules";
import type { PROPERTIES } from "./properties";

/** The type of the property table. */
export type Table = typeof PROPERTIES;

/**
 * How a shape reads the rules. `args`: what a program may write (only `required` fields must be
 * set; deprecated aliases are accepted). `checked`: what `check` gives (fields with a filling
 * default are set too; aliases are moved to their fields).
 */
export type Reading = "args" | "checked";

/** An object type written out as one (an intersection of mapped types, flattened). */
type Flat<T> = { [K in keyof T]: T[K] };

/** The value a rule checks to; an object rule's is the object of its fields. */
export type RuleValue<R, M extends Reading> =
  R extends ObjectRule<infer F, infer A> ? ObjectValue<F, A, M> : R extends Rule<infer T> ? T : never;

/** The value of a row or field: its rule's. */
export type FieldValue<Row, M extends Reading> = Row extends { readonly rule: infer R } ? RuleValue<R, M> : never;

/** The fields of `F` that are always set when read as `M`. */
type SetKey<F, M extends Reading> = {
  [K in keyof F]: F[K] extends { readonly required: true }
    ? K
    : M extends "checked"
      ? F[K] extends { readonly default: { readonly fill: true } }
        ? K
        : never
      : never;
}[keyof F];

/** The value of the field at a dotted path (`inUse.instances`), as a program writes it. */
type PathValue<F, Path> = Path extends `${infer Head}.${infer Rest}`
  ? Head extends keyof F
    ? F[Head] extends { readonly rule: ObjectRule<infer G, Aliases> }
      ? PathValue<G, Rest>
      : never
    : never
  : Path extends keyof F
    ? FieldValue<F[Path], "args">
    : never;

/** The object of fields `F` (with deprecated aliases `A` when read as `args`). */
type ObjectValue<F, A, M extends Reading> = Flat<
  { [K in SetKey<F, M>]: FieldValue<F[K], M> } & {
    [K in Exclude<keyof F, SetKey<F, M>>]?: FieldValue<F[K], M>;
  } & (M extends "args" ? { -readonly [K in keyof A]?: PathValue<F, A[K]> } : unknown)
>;

/** Every property of table `P` (all are outputs). */
export type PropertyKeyOf<P> = keyof P & string;
/** The inputs of table `P`: the rows with a rule. */
export type InputKeyOf<P> = { [K in keyof P]: P[K] extends { readonly rule: Rule } ? K : never }[keyof P] & string;
/** The outputs of table `P` read from DescribeImages. */
export type CloudKeyOf<P> = { [K in keyof P]: P[K] extends { readonly output: "cloud" } ? K : never }[keyof P] & string;
/** The outputs of table `P` that name the DescribeImages field they are read from. */
export type DescribedKeyOf<P> = {
  [K in keyof P]: P[K] extends { readonly api: { readonly describe: string } } ? K : never;
}[keyof P] &
  string;
/** The image's own attributes in table `P`: inputs changed in place and read back from DescribeImages. */
export type ImageAttributeKeyOf<P> = {
  [K in keyof P]: P[K] extends { readonly rule: Rule; readonly change: "update"; readonly output: "cloud" } ? K : never;
}[keyof P] &
  string;
/** The outputs of table `P` that have a value when there is none (a default value, or one check fills). */
export type DefaultedKeyOf<P> = {
  [K in keyof P]: P[K] extends
    { readonly default: { readonly fill: true } } | { readonly default: { readonly value: unknown } }
    ? K
    : never;
}[keyof P] &
  string;

/** What a program may write for the inputs of table `P` (resolved values: no `pulumi.Input`). */
export type ArgsOf<P> = ObjectValue<Pick<P, InputKeyOf<P>>, Record<never, never>, "args">;
/** The checked inputs of table `P`, as `check` gives them. */
export type CheckedOf<P> = ObjectValue<Pick<P, InputKeyOf<P>>, Record<never, never>, "checked">;
/** The image's own attributes of table `P`, resolved (an image always has each). */
export type ImageAttributesOf<P> = { [K in ImageAttributeKeyOf<P>]: FieldValue<P[K], "checked"> };
