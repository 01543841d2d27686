// Schemas built from signature fields: a JSON Schema of the outputs (shown to the model) and a
// zod validator (checks inputs and answers; JSON Schema constraints are checked with ajv).
import { z } from "zod";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import type { SignatureField } from "../domain/signature.js";

const ajv = new Ajv({ allErrors: true, strict: false });
const compiled = new Map<string, ValidateFunction>();

function validatorFor(schema: Record<string, unknown>): ValidateFunction {
  const key = JSON.stringify(schema);
  let v = compiled.get(key);
  if (!v) compiled.set(key, (v = ajv.compile(schema)));
  return v;
}

/** JSON Schema of one field's value. */
export function fieldJsonSchema(field: SignatureField): Record<string, unknown> {
  const base: Record<string, unknown> = { description: field.description };
  switch (field.type) {
    case "string":
      return { ...base, type: "string", ...field.schema };
    case "number":
      return { ...base, type: "number", ...field.schema };
    case "boolean":
      return { ...base, type: "boolean" };
    case "enum":
      return { ...base, type: "string", enum: field.values };
    case "json":
      return { ...base, ...(field.schema ?? {}) };
  }
}

/** JSON Schema of an object holding the given fields (required unless optional). */
export function fieldsJsonSchema(fields: SignatureField[]): Record<string, unknown> {
  return {
    type: "object",
    properties: Object.fromEntries(fields.map((f) => [f.name, fieldJsonSchema(f)])),
    required: fields.filter((f) => !f.optional).map((f) => f.name),
    additionalProperties: false,
  };
}

/** Whether a JSON Schema is fully typed the way strict structured outputs require (typed objects closed, every property required). */
function strictCompatible(schema: Record<string, unknown>): boolean {
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as Record<string, unknown>[]).every(strictCompatible);
  if (Array.isArray(schema.enum)) return true;
  switch (schema.type) {
    case "string":
    case "number":
    case "integer":
    case "boolean":
    case "null":
      return true;
    case "array":
      return typeof schema.items === "object" && schema.items !== null && strictCompatible(schema.items as Record<string, unknown>);
    case "object": {
      const props = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
      const required = new Set((schema.required as string[] | undefined) ?? []);
      return schema.additionalProperties === false && Object.keys(props).every((k) => required.has(k)) && Object.values(props).every(strictCompatible);
    }
    default:
      return false;
  }
}

const structuredSchemas = new WeakMap<SignatureField[], Record<string, unknown> | null>();

/**
 * The outputs' JSON Schema as strict structured outputs (`response_format: json_schema`, strict)
 * take it: every field required, an optional one as "its type or null" (parseAnswer drops the
 * nulls). Undefined when a field cannot be expressed strictly (a `json` field without a closed,
 * fully typed schema): such a signature asks for `json_object` and relies on the repair turn.
 */
export function structuredOutputSchema(fields: SignatureField[]): Record<string, unknown> | undefined {
  let schema = structuredSchemas.get(fields);
  if (schema === undefined) {
    const properties = Object.fromEntries(
      fields.map((f) => {
        const s = fieldJsonSchema(f);
        if (!f.optional) return [f.name, s];
        const { description, ...rest } = s;
        return [f.name, { description, anyOf: [rest, { type: "null" }] }];
      }),
    );
    const candidate = { type: "object", properties, required: fields.map((f) => f.name), additionalProperties: false };
    // Only the fields' own schemas carry keywords (minLength, pattern...) that strict mode may not support; the server says so, and the adapter falls back.
    schema = Object.values(properties).every((p) => strictCompatible(p as Record<string, unknown>)) ? candidate : null;
    structuredSchemas.set(fields, schema);
  }
  return schema ?? undefined;
}

const ajvMessage = (e: ErrorObject) => {
  const where = e.instancePath ? ` at ${e.instancePath}` : "";
  if (e.keyword === "enum") return `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(", ")}${where}`;
  if (e.keyword === "additionalProperties") return `unexpected property "${(e.params as { additionalProperty: string }).additionalProperty}"${where}`;
  return `${e.message ?? "is invalid"}${where}`;
};

/** zod schema of one field's value; `schema` constraints are enforced through ajv. */
export function fieldZodSchema(field: SignatureField): z.ZodType {
  let base: z.ZodType;
  switch (field.type) {
    case "string":
      base = z.string({ message: "expected a string" });
      break;
    case "number":
      base = z.number({ message: "expected a number" });
      break;
    case "boolean":
      base = z.boolean({ message: "expected true or false" });
      break;
    case "enum":
      base = z.enum(field.values as [string, ...string[]], { message: `expected one of ${field.values!.map((v) => JSON.stringify(v)).join(", ")}` });
      break;
    case "json":
      base = z.unknown().refine((v) => v !== undefined, { message: "is required" });
      break;
  }
  const schema = field.schema;
  if (!schema || field.type === "boolean" || field.type === "enum") return base;
  return base.superRefine((value, ctx) => {
    const validate = validatorFor(schema);
    if (!validate(value)) for (const e of validate.errors ?? []) ctx.addIssue({ code: "custom", message: ajvMessage(e) });
  });
}

// Building a zod object schema is far dearer than using it (zod compiles a fast path on first
// parse), and every call of a signature validates its inputs and its answer against the same
// fields. Schemas are cached by the fields' content, so a version loaded again or copied shares
// them; the cache is bounded because compilation creates many short-lived candidates.
const objectSchemas = new Map<string, z.ZodObject>();
const MAX_CACHED_SCHEMAS = 512;

// The same fields array (a served version's inputs or outputs) comes back on every call: found by
// identity first, the content key (a JSON.stringify per call) is only computed for a new array.
const byArray = new WeakMap<SignatureField[], z.ZodObject>();

/** zod schema of an object holding the fields; unknown keys are rejected. */
export function fieldsZodSchema(fields: SignatureField[]): z.ZodObject {
  const known = byArray.get(fields);
  if (known) return known;
  const key = JSON.stringify(fields);
  let schema = objectSchemas.get(key);
  if (!schema) {
    const shape: Record<string, z.ZodType> = {};
    for (const f of fields) shape[f.name] = f.optional ? fieldZodSchema(f).optional().nullable() : fieldZodSchema(f);
    schema = z.strictObject(shape);
    if (objectSchemas.size >= MAX_CACHED_SCHEMAS) objectSchemas.delete(objectSchemas.keys().next().value!);
    objectSchemas.set(key, schema);
  }
  byArray.set(fields, schema);
  return schema;
}
