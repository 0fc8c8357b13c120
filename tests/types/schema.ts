/**
 * Type-level guarantees, checked by the TypeScript compiler: tests/unit/resource/custom-image.types.test.ts compiles
 * this folder and fails on any diagnostic (jest's ts-jest only transpiles, with isolatedModules,
 * so a type error in a test file would not fail `npx jest`). Each `Assert<…>` fails to compile
 * when its condition is not exactly `true`.
 *
 * The property table (provider/src/schema/properties.ts) is the one declaration of each property.
 * Derived from it by the compiler: `ImageAttributes` (so `ImageFacts`, `CustomImageState` and
 * `CheckedInputs` carry each in-place attribute row). Written by hand, because each property needs
 * its own public TSDoc (which a mapped type cannot carry, and the table's `doc` strings are runtime
 * values for the README): `CustomImageArgs` and its nested `…Args`, the `CustomImage` class's
 * declared outputs, `GetImageResult`, and the plain shapes of types.ts (`FromImport`, `DeletionPolicy`
 * …). The checks below hold each of them to the table in both directions, keys and value types; they
 * are generic over the table, so the negative test can show that a table with one row more (and no
 * hand-written counterpart) does not compile.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { CheckedInputs, CustomImageState, ImageAttributes, ImageFacts } from "../../provider/src/schema/types";
import type { CustomImage, CustomImageArgs } from "../../provider/src/resource/custom-image";
import type { GetImageResult } from "../../provider/src/resource/get-image";
import type { AttributeKey, InputKey, InputProperty, PropertyKey } from "../../provider/src/schema/properties";
import type { Rule } from "../../provider/src/schema/rules";
import type {
  ArgsOf,
  CheckedOf,
  CloudKeyOf,
  DefaultedKeyOf,
  DescribedKeyOf,
  ImageAttributeKeyOf,
  ImageAttributesOf,
  InputKeyOf,
  PropertyKeyOf,
  Table,
} from "../../provider/src/schema/table-types";
import type { FACT_ONLY_FIELDS, RequiredCreateKey } from "../../provider/src/schema/api-fields";

/** `true` when A and B are the same type (not merely assignable), else `false`. */
export type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** Compiles only when T is `true`. */
export type Assert<T extends true> = T;
/** `true` when every A is a B. */
type Extends<A, B> = [A] extends [B] ? true : false;
/** `true` when every one is `true`. */
type All<T extends boolean[]> = T[number] extends true ? true : false;

/**
 * Literal types widened, deep (`"x86_64" | "i386"` → `string`). The hand-written types may take
 * `string` where the rule takes a fixed set (`FromImport.architecture`): check refuses the others,
 * with a message that names the allowed values. {@link ArgsMatch} still requires every value a rule
 * accepts to be writable.
 */
type Widen<T> = T extends string
  ? string
  : T extends number
    ? number
    : T extends boolean
      ? boolean
      : T extends readonly (infer U)[]
        ? Widen<U>[]
        : T extends object
          ? { [K in keyof T]: Widen<T[K]> }
          : T;
/** `pulumi.Input` (`Output`, `Promise`) taken off, deep: the value a program's input resolves to. */
type Resolved<T> =
  T extends pulumi.OutputInstance<infer U>
    ? Resolved<U>
    : T extends Promise<infer U>
      ? Resolved<U>
      : T extends readonly (infer U)[]
        ? Resolved<U>[]
        : T extends object
          ? { [K in keyof T]: Resolved<T[K]> }
          : T;
/** The value of `T[K]`, or `"missing"` when T has no K (so a missing key fails an Equal, never the compile). */
type At<T, K> = K extends keyof T ? T[K] : "missing";
/** The properties of class instance `C` that are Pulumi outputs. */
type OutputKeysOf<C> = { [K in keyof C]: C[K] extends pulumi.Output<unknown> ? K : never }[keyof C];

/** The facts DescribeImages gives that are not properties (`FACT_ONLY_FIELDS`). */
type FactOnlyKey = keyof typeof FACT_ONLY_FIELDS;
/** The facts a lookup leaves out of its result. */
type NotLookedUp = "imageSource";
/** What a lookup adds: where it looked. */
type LookupWhere = "region" | "profile";

/**
 * `Args` (the resource's inputs, `pulumi.Input`-wrapped) is exactly what table `P` lets a program
 * write: the same inputs, each optional as its row says, each resolving to its rule's value type
 * (object inputs field by field, deprecated aliases included).
 */
export type ArgsMatch<P, Args> = All<
  [Equal<keyof Args, InputKeyOf<P>>, Equal<Widen<Resolved<Args>>, Widen<ArgsOf<P>>>, Extends<ArgsOf<P>, Resolved<Args>>]
>;

/** The state type `S` has table `P`'s inputs with their rules' checked value types (absence aside: check fills some). */
export type StateMatches<P, S> = All<
  [
    Equal<
      Widen<{ [K in InputKeyOf<P>]: NonNullable<At<S, K>> }>,
      Widen<{ [K in InputKeyOf<P>]: NonNullable<At<CheckedOf<P>, K>> }>
    >,
    Extends<
      { [K in InputKeyOf<P>]: NonNullable<At<CheckedOf<P>, K>> },
      { [K in InputKeyOf<P>]: NonNullable<At<S, K>> }
    >,
  ]
>;

/**
 * Class `C` declares exactly table `P`'s properties as outputs, each a `pulumi.Output` of the
 * state's value (`S`), with `undefined` only where the row has no default to read back.
 */
export type OutputsMatch<P, C, S> = All<
  [
    Equal<Exclude<OutputKeysOf<C>, "id" | "urn">, PropertyKeyOf<P>>,
    Equal<
      { [K in PropertyKeyOf<P>]: At<C, K> },
      {
        [K in PropertyKeyOf<P>]: pulumi.Output<K extends DefaultedKeyOf<P> ? NonNullable<At<S, K>> : At<S, K>>;
      }
    >,
  ]
>;

/** The facts type `F` is table `P`'s `cloud` outputs, each as the state `S` stores it, plus the facts that are not properties. */
export type FactsMatch<P, F, S> = All<
  [
    Equal<keyof F, CloudKeyOf<P> | FactOnlyKey>,
    Equal<{ [K in CloudKeyOf<P>]: At<F, K> }, { [K in CloudKeyOf<P>]: At<S, K> }>,
  ]
>;

/**
 * The lookup result `R` is the facts `F` (each table `P` `cloud` output and the facts that are not
 * properties, but how the image came to be), with the same value types, plus where it looked.
 */
export type LookupResultMatch<P, R, F, S> = All<
  [
    Equal<keyof R, Exclude<CloudKeyOf<P> | FactOnlyKey, NotLookedUp> | LookupWhere>,
    Equal<{ [K in Exclude<keyof R, LookupWhere>]: R[K] }, { [K in Exclude<keyof R, LookupWhere>]: At<F, K> }>,
    Equal<Pick<R, LookupWhere & keyof R>, Pick<S, LookupWhere & keyof S>>,
  ]
>;

/** Every `cloud` output of table `P` names the DescribeImages field it is read from (`factsFromApiImage` reads it there). */
export type CloudRowsDescribed<P> = Equal<CloudKeyOf<P>, CloudKeyOf<P> & DescribedKeyOf<P>>;

/**
 * A row one might add: an in-place attribute with its API fields, as `properties.ts` would declare
 * it (for the checks that derived shapes follow the table, and the negative test).
 */
export type NewAttributeRow = {
  readonly imageColour: {
    readonly doc: "The image colour.";
    readonly rule: Rule<string>;
    readonly change: "update";
    readonly default: { readonly text: '`""`'; readonly value: "" };
    readonly output: "cloud";
    readonly api: { readonly create: "ImageColour"; readonly modify: "ImageColour"; readonly describe: "ImageColour" };
  };
};
/** The table with that row more. */
export type TableWithNewAttribute = Table & NewAttributeRow;

export type SchemaChecks = [
  /** The table types are those of properties.ts. */
  Assert<Equal<InputKeyOf<Table>, InputKey>>,
  Assert<Equal<PropertyKeyOf<Table>, PropertyKey>>,
  /** The resource's args are the table's inputs, keys and value types. */
  Assert<ArgsMatch<Table, CustomImageArgs>>,
  /** The resource class's outputs are the table's properties, keys and value types. */
  Assert<OutputsMatch<Table, CustomImage, CustomImageState>>,
  /** The stored state is the table's properties (and where warnings go), the inputs with their rules' types. */
  Assert<Equal<Exclude<keyof CustomImageState, "resourceName" | "resourceUrn">, PropertyKey>>,
  Assert<StateMatches<Table, CustomImageState>>,
  /** The checked inputs are the table's inputs (and the internal keys check accepts), with their rules' types. */
  Assert<
    Equal<Exclude<keyof CheckedInputs, "resourceName" | "resourceUrn" | "sharedWithSecret" | "autoNamed">, InputKey>
  >,
  Assert<StateMatches<Table, CheckedInputs>>,
  /** The image attributes are derived from the table: the in-place `cloud` rows, with their rules' types. */
  Assert<Equal<ImageAttributes, ImageAttributesOf<Table>>>,
  Assert<Equal<keyof ImageAttributes, ImageAttributeKeyOf<Table>>>,
  /** Those set through ModifyImageAttribute are the table's `api.modify` rows (tags have their own API). */
  Assert<Equal<Exclude<keyof ImageAttributes, "tags">, AttributeKey>>,
  /** A row more is an attribute more, with no other edit. */
  Assert<Equal<keyof ImageAttributesOf<TableWithNewAttribute>, keyof ImageAttributes | "imageColour">>,
  Assert<Equal<ImageAttributesOf<TableWithNewAttribute>["imageColour"], string>>,
  /** The example row is a row the table would take. */
  Assert<Extends<NewAttributeRow["imageColour"], InputProperty>>,
  /** The facts are the table's `cloud` outputs (and the facts that are not properties), as the state stores them. */
  Assert<FactsMatch<Table, ImageFacts, CustomImageState>>,
  Assert<CloudRowsDescribed<Table>>,
  /** A create request must name the image: the one attribute the create call sets that has no default. */
  Assert<Equal<RequiredCreateKey, "imageName">>,
  /** getImage's result is the facts (but `imageSource`) and where it looked, keys and value types. */
  Assert<LookupResultMatch<Table, GetImageResult, ImageFacts, CustomImageState>>,
];
