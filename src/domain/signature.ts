// Signatures (DSPy-style): typed inputs and outputs plus instructions, authored as
// `prompts/<name>.yaml`. Field names should be descriptive (`ticketText`, not `text`).
import { z } from "zod";
import { ValidationError } from "../errors.js";
import { locateIssues, parseStrictYaml } from "./strict-yaml.js";

export const FIELD_TYPES = ["string", "number", "boolean", "enum", "json"] as const;

export const SignatureFieldSchema = z
  .strictObject({
    name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be an identifier (letters, digits, underscore)"),
    description: z.string().min(1, "must describe the field"),
    type: z.enum(FIELD_TYPES).default("string"),
    /** Allowed values; required when type is enum. */
    values: z.array(z.string()).min(1).optional(),
    /** JSON Schema the value must satisfy (type json, or extra constraints on other types). */
    schema: z.record(z.string(), z.unknown()).optional(),
    optional: z.boolean().default(false),
  })
  .refine((f) => f.type !== "enum" || (f.values && f.values.length > 0), { message: "enum fields need `values`", path: ["values"] });
export type SignatureField = z.infer<typeof SignatureFieldSchema>;

/**
 * A tool the signature's model may call (OpenAI function calling). Its description is part of the
 * versioned prompt: what is learned about a tool can land there.
 */
export const SignatureToolSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]{0,63}$/, "must be a function name (letters, digits, _ or -, at most 64)"),
  description: z.string().min(1, "must say what the tool does"),
  /** JSON Schema of the tool's arguments (an object). Default: no arguments. */
  parameters: z.record(z.string(), z.unknown()).default({ type: "object", properties: {} }),
});
export type SignatureTool = z.infer<typeof SignatureToolSchema>;

/** Tool names must be unique within a signature. */
export const uniqueToolNames = (tools: SignatureTool[] | undefined) => new Set((tools ?? []).map((t) => t.name)).size === (tools ?? []).length;

export const METRIC_NAMES = ["exact_match", "numeric_tolerance", "f1", "json_fields_match", "llm_judge", "outcome", "custom"] as const;

export const MetricSpecSchema = z.strictObject({
  name: z.enum(METRIC_NAMES),
  /** Output field compared by exact_match / f1 (default: the first output). */
  field: z.string().optional(),
  /** Fields compared by json_fields_match (default: all outputs). */
  fields: z.array(z.string()).optional(),
  /** numeric_tolerance: largest absolute difference that still counts as equal (default 1e-6). */
  tolerance: z.number().min(0).optional(),
  /** numeric_tolerance: largest difference relative to the expected value (default 0: only `tolerance`). */
  relativeTolerance: z.number().min(0).optional(),
  /** Rubric for llm_judge. */
  rubric: z.string().optional(),
  /** Module path (relative to the signature file) exporting the custom metric as default. */
  module: z.string().optional(),
  /** Score at or above which a trace counts as successful for demo bootstrapping. */
  threshold: z.number().min(0).max(1).default(0.5),
});
export type MetricSpec = z.infer<typeof MetricSpecSchema>;

export const ModelSettingsSchema = z.strictObject({
  /** Overrides LLM_MODEL for this signature. */
  model: z.string().optional(),
  temperature: z.number().min(0).max(2).default(0),
  maxTokens: z.number().int().positive().default(1024),
});
export type ModelSettings = z.infer<typeof ModelSettingsSchema>;

export const SignatureSchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9_-]*$/, "must be lower-case letters, digits, - or _ and start with a letter"),
  description: z.string().min(1),
  /** Agent whose traces train this signature (default: the signature name). */
  agent: z.string().optional(),
  inputs: z.array(SignatureFieldSchema).min(1, "needs at least one input"),
  outputs: z.array(SignatureFieldSchema).min(1, "needs at least one output"),
  instructions: z.string().min(1),
  /** Tools the model may call; the caller runs them (SDK runSignature) or the service does (its own tools). */
  tools: z.array(SignatureToolSchema).optional().refine(uniqueToolNames, { message: "tool names must be unique" }),
  metric: MetricSpecSchema.default({ name: "exact_match", threshold: 0.5 }),
  model: ModelSettingsSchema.default({ temperature: 0, maxTokens: 1024 }),
});
export type Signature = z.infer<typeof SignatureSchema>;

/**
 * Parses and validates a signature source file, strictly: YAML errors, duplicate keys, unknown
 * keys and flow mappings cut by an unquoted comma are refused; every problem names `file:line`.
 */
export function parseSignature(text: string, file = "signature"): Signature {
  const yaml = parseStrictYaml(text, file);
  const parsed = SignatureSchema.safeParse(yaml.value);
  if (!parsed.success) throw new ValidationError(locateIssues(yaml, parsed.error.issues), { file, issues: parsed.error.issues });
  return parsed.data;
}
