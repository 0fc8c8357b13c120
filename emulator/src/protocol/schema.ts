/**
 * Parameter schemas: each action declares its fields; requests are checked for unknown
 * (`UnknownParameter`), missing (`MissingParameter`) and mistyped (`InvalidParameter`) fields.
 * GET parameters arrive as strings and are coerced to the declared types.
 */
import { invalidParameterType, missingParameter, unknownParameter } from "../errors";

export type FieldSpec =
  | { type: "string" | "integer" | "boolean"; required?: boolean }
  | { type: "array"; items: FieldSpec; required?: boolean }
  | { type: "object"; fields: Schema; required?: boolean };

/** Field name → spec. */
export type Schema = Record<string, FieldSpec>;

export const str = (required = false): FieldSpec => ({ type: "string", required });
export const int = (required = false): FieldSpec => ({ type: "integer", required });
export const bool = (required = false): FieldSpec => ({ type: "boolean", required });
export const list = (items: FieldSpec, required = false): FieldSpec => ({ type: "array", items, required });
export const obj = (fields: Schema, required = false): FieldSpec => ({ type: "object", fields, required });

/** Common structures. */
export const FILTERS = list(obj({ Name: str(true), Values: list(str(), true) }));
export const TAG = obj({ Key: str(true), Value: str(true) });
export const TAG_SPECIFICATION = list(obj({ ResourceType: str(true), Tags: list(TAG, true) }));

function checkValue(value: unknown, spec: FieldSpec, name: string, fromQuery: boolean): unknown {
  switch (spec.type) {
    case "string":
      if (typeof value === "string") return value;
      throw invalidParameterType(name, "String");
    case "integer":
      if (typeof value === "number" && Number.isInteger(value)) return value;
      if (typeof value === "bigint") return Number(value);
      if (fromQuery && typeof value === "string" && /^-?\d{1,15}$/.test(value)) return Number(value);
      throw invalidParameterType(name, "Integer");
    case "boolean":
      if (typeof value === "boolean") return value;
      if (fromQuery && typeof value === "string" && /^(true|false)$/i.test(value))
        return value.toLowerCase() === "true";
      throw invalidParameterType(name, "Boolean");
    case "array":
      if (!Array.isArray(value)) throw invalidParameterType(name, "Array");
      return value.map((v, i) => checkValue(v, spec.items, `${name}.${i}`, fromQuery));
    case "object":
      if (!value || typeof value !== "object" || Array.isArray(value)) throw invalidParameterType(name, "Object");
      return checkObject(value as Record<string, unknown>, spec.fields, `${name}.`, fromQuery);
  }
}

function checkObject(
  params: Record<string, unknown>,
  schema: Schema,
  prefix: string,
  fromQuery: boolean,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(params)) {
    if (!Object.prototype.hasOwnProperty.call(schema, key)) throw unknownParameter(`${prefix}${key}`);
  }
  for (const [key, spec] of Object.entries(schema)) {
    const value = params[key];
    if (value === undefined || value === null) {
      if (spec.required) throw missingParameter(`${prefix}${key}`);
      continue;
    }
    out[key] = checkValue(value, spec, `${prefix}${key}`, fromQuery);
  }
  return out;
}

/** Validate and normalise request parameters against a schema. */
export function validateParams(params: unknown, schema: Schema, fromQuery: boolean): Record<string, unknown> {
  if (!params || typeof params !== "object" || Array.isArray(params))
    throw invalidParameterType("(request body)", "Object");
  return checkObject(params as Record<string, unknown>, schema, "", fromQuery);
}
