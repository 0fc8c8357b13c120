/**
 * Type-level guarantees, checked by the TypeScript compiler: tests/unit/resource/custom-image.types.test.ts compiles
 * this folder and fails on any diagnostic (jest's ts-jest only transpiles, with isolatedModules,
 * so a type error in a test file would not fail `npx jest`). Each `Assert<…>` fails to compile
 * when its condition is not exactly `true`.
 *
 * The property table (provider/src/schema/properties.ts) is the one declaration of each property:
 * the hand-written declarations name exactly the table's properties.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { CustomImageState, ImageAttributes, ImageFacts } from "../../provider/src/schema/types";
import type { CustomImage, CustomImageArgs } from "../../provider/src/resource/custom-image";
import type { AttributeKey, InputKey, PROPERTIES, PropertyKey } from "../../provider/src/schema/properties";

/** `true` when A and B are the same type (not merely assignable), else `false`. */
export type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** Compiles only when T is `true`. */
export type Assert<T extends true> = T;

type OutputKeysOf<C> = { [K in keyof C]: C[K] extends pulumi.Output<unknown> ? K : never }[keyof C];
type CloudKey = { [K in PropertyKey]: (typeof PROPERTIES)[K]["output"] extends "cloud" ? K : never }[PropertyKey];

export type SchemaChecks = [
  /** The resource's args are the table's inputs. */
  Assert<Equal<keyof CustomImageArgs, InputKey>>,
  /** The resource class's outputs are the table's properties. */
  Assert<Equal<Exclude<OutputKeysOf<CustomImage>, "id" | "urn">, PropertyKey>>,
  /** The stored state is the table's properties (and where warnings go). */
  Assert<Equal<Exclude<keyof CustomImageState, "resourceName" | "resourceUrn">, PropertyKey>>,
  /** The attributes set in place are the table's attributes (tags have their own API). */
  Assert<Equal<Exclude<keyof ImageAttributes, "tags">, AttributeKey>>,
  /** Every output the table says comes from the cloud is a fact DescribeImages gives. */
  Assert<Equal<CloudKey & keyof ImageFacts, CloudKey>>,
];
