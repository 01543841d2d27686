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
