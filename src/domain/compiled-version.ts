// A compiled signature version, stored as `versions/<name>.yaml` (always the latest) and
// committed to git. Serialization is deterministic: fixed key order, demos and guidelines in
// their stored order, no line folding, so a diff shows only real changes.
import { z } from "zod";
import { Document, parse as parseYaml } from "yaml";
import { ValidationError } from "../errors.js";
import { formatZodIssues } from "./format-issues.js";
import { SignatureFieldSchema, ModelSettingsSchema, SignatureToolSchema, uniqueToolNames } from "./signature.js";

export const SemverSchema = z.string().regex(/^\d+\.\d+\.\d+$/, "must be a semantic version such as 1.2.3");

export const GuidelineSchema = z.object({
  text: z.string().min(1),
  /** Pattern the guideline came from (absent for hand-written ones). */
  patternId: z.string().optional(),
  patternKey: z.string().optional(),
  confidence: z.number().min(0).max(1).optional(),
  /** The evidence of its pattern when it was induced (adjusted effect and strata, or error rate and failure reasons). */
  evidence: z.string().optional(),
  /** The shared-library heuristic it was drawn from (docs/heuristics.md). */
  heuristicId: z.string().optional(),
  /** Where that heuristic was learnt: agent and source (finding or reflection), with its Q-value then. */
  learnedFrom: z.string().optional(),
});
export type Guideline = z.infer<typeof GuidelineSchema>;

/**
 * A tool of a compiled version: the signature's declaration (its description stays the
 * hand-written one) plus what the analyzer learned about this tool — direct findings on its own
 * calls (errors, failure reasons, effectiveness) — as guidelines with their finding. The model
 * reads both: `toolDescriptionOf` (signature/render.ts) appends the learned ones, marked.
 */
export const CompiledToolSchema = SignatureToolSchema.extend({
  learned: z.array(GuidelineSchema).optional(),
});
export type CompiledTool = z.infer<typeof CompiledToolSchema>;

export const DemoSchema = z.object({
  input: z.record(z.string(), z.unknown()),
  output: z.record(z.string(), z.unknown()),
  /** Trace the demo was bootstrapped from. */
  traceId: z.string().optional(),
  /**
   * True when `output` is that trace's correction (`outcome.expected`, set by a person), not what
   * the run answered: the run failed or was wrong, and the demo shows the corrected answer.
   */
  corrected: z.literal(true).optional(),
});
export type Demo = z.infer<typeof DemoSchema>;

export const ScoreSchema = z.object({
  mean: z.number(),
  /** Confidence interval of the mean (bootstrap), [low, high]. */
  ci: z.tuple([z.number(), z.number()]),
});

export const EvaluationSchema = z.object({
  metric: z.string(),
  devSetSize: z.number().int().nonnegative(),
  parentScore: ScoreSchema.nullable(),
  score: ScoreSchema.nullable(),
});

export const ProvenanceSchema = z.object({
  optimizer: z.string(),
  analysisRunId: z.string().optional(),
  traceWindow: z.object({ from: z.string(), to: z.string() }).optional(),
  llmCalls: z.number().int().nonnegative().default(0),
  tokens: z.number().int().nonnegative().default(0),
  /** Set on rollback versions: the version whose content this one restores. */
  rollbackOf: SemverSchema.optional(),
  /**
   * Merkle root (SHA-256, hex) over the content hashes of the traces, patterns, heuristics and
   * demos the version was built from (domain/version-sources.ts); `meta-agent verify` recomputes it.
   */
  sourcesRoot: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  /** How many items of each kind are under `sourcesRoot`. */
  sources: z.object({ traces: z.number().int().nonnegative(), patterns: z.number().int().nonnegative(), heuristics: z.number().int().nonnegative(), demos: z.number().int().nonnegative() }).optional(),
});

export const CompiledVersionSchema = z.object({
  name: z.string(),
  version: SemverSchema,
  parent: SemverSchema.nullable(),
  compiledAt: z.string(),
  description: z.string(),
  inputs: z.array(SignatureFieldSchema),
  outputs: z.array(SignatureFieldSchema),
  /** Tools the model may call (absent when none, so versions without tools serialize as before). */
  tools: z.array(CompiledToolSchema).optional().refine(uniqueToolNames, { message: "tool names must be unique" }),
  instructions: z.string(),
  guidelines: z.array(GuidelineSchema).default([]),
  demos: z.array(DemoSchema).default([]),
  model: ModelSettingsSchema,
  evaluation: EvaluationSchema.nullable().default(null),
  provenance: ProvenanceSchema,
});
export type CompiledVersion = z.infer<typeof CompiledVersionSchema>;

/** Canonical key order of the file. */
const KEY_ORDER = ["name", "version", "parent", "compiledAt", "description", "inputs", "outputs", "tools", "instructions", "guidelines", "demos", "model", "evaluation", "provenance"] as const;

/** Keys shown first inside nested objects, for readability; the rest follow sorted. */
const LEADING_KEYS = ["name", "text", "description", "type", "input", "output"];
const keyRank = (k: string) => {
  const i = LEADING_KEYS.indexOf(k);
  return i === -1 ? LEADING_KEYS.length : i;
};

/** Deep-orders object keys so output is byte-stable whatever order the object was built in. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    const keys = Object.keys(value as Record<string, unknown>).sort((a, b) => keyRank(a) - keyRank(b) || (a < b ? -1 : a > b ? 1 : 0));
    for (const k of keys) {
      const v = (value as Record<string, unknown>)[k];
      // Defined, not assigned: a key such as "__proto__" (user data in a demo) stays a key
      // instead of setting the object's prototype and vanishing from the file.
      if (v !== undefined) Object.defineProperty(out, k, { value: canonical(v), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}

/** Serializes a compiled version to its canonical YAML text. */
export function serializeCompiledVersion(version: CompiledVersion): string {
  const parsed = CompiledVersionSchema.parse(version);
  const ordered: Record<string, unknown> = {};
  for (const k of KEY_ORDER) ordered[k] = canonical(parsed[k]);
  const doc = new Document(ordered);
  return doc.toString({ lineWidth: 0, minContentWidth: 0, indentSeq: true, blockQuote: "literal" });
}

/** Parses and validates a compiled version file; errors name the file and the field. */
export function parseCompiledVersion(text: string, file = "compiled version"): CompiledVersion {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    throw new ValidationError(`${file}: not valid YAML: ${(e as Error).message}`);
  }
  const parsed = CompiledVersionSchema.safeParse(doc);
  if (!parsed.success) throw new ValidationError(`${file}: ${formatZodIssues(parsed.error.issues)}`, { file, issues: parsed.error.issues });
  return parsed.data;
}
