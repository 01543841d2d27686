// Findings of the pattern analyzer (seed 003's pattern types), with their statistics.
import { z } from "zod";

export const PATTERN_TYPES = ["success_pattern", "failure_pattern", "tool_effectiveness", "thinking_pattern", "performance_pattern"] as const;
export const PatternTypeSchema = z.enum(PATTERN_TYPES);
export type PatternType = z.infer<typeof PatternTypeSchema>;

/** How a pattern moved since the previous analysis run of the same agent. */
export const PatternChangeSchema = z.enum(["new", "strengthened", "weakened", "unchanged", "vanished"]);
export type PatternChange = z.infer<typeof PatternChangeSchema>;

export const EvidenceKindSchema = z.enum(["direct", "association"]);
export type EvidenceKind = z.infer<typeof EvidenceKindSchema>;

/** A group of traces an analysis run compared findings within. */
export const AnalysisStratumSchema = z.object({
  agent: z.string(),
  runId: z.string(),
  /** `task` (a task key), `intent` (found by clustering inputs) or `all`. */
  kind: z.enum(["task", "intent", "all"]),
  key: z.string(),
  label: z.string(),
  size: z.number().int().nonnegative(),
  labelled: z.number().int().nonnegative(),
  successes: z.number().int().nonnegative(),
  /** Most central inputs of an intent. */
  examples: z.array(z.object({ traceId: z.string(), text: z.string() })),
});
export type AnalysisStratum = z.infer<typeof AnalysisStratumSchema>;

export const PatternSchema = z.object({
  id: z.string(),
  tenant: z.string(),
  agent: z.string(),
  runId: z.string(),
  type: PatternTypeSchema,
  /** Stable identity across runs, e.g. `success_pattern:before:get_pods>get_logs`. */
  key: z.string(),
  description: z.string(),
  /** Imperative sentences usable as prompt guidelines. */
  recommendations: z.array(z.string()),
  /** Number of traces exhibiting the pattern. */
  support: z.number().int().nonnegative(),
  /** Share of analysed traces exhibiting the pattern (0..1). */
  frequency: z.number(),
  /** Crude difference in success rate (or rate of the measured property) against the baseline. */
  effect: z.number(),
  baseline: z.number(),
  /** 1 − adjusted p-value (or interval-based confidence), computed from the data. */
  confidence: z.number().min(0).max(1),
  pValue: z.number().optional(),
  /** `direct`: a tool's own call errors; `association`: runs with the feature succeed more or less. */
  evidenceKind: EvidenceKindSchema,
  /** Mantel–Haenszel risk difference within strata (task or intent × run length); null when no stratum compares. */
  adjustedEffect: z.number().nullable(),
  /** CMH p-value of the adjusted effect. */
  adjustedPValue: z.number().nullable(),
  /** Key of the stronger finding this one is implied by (attached to it as supporting detail). */
  impliedBy: z.string().nullable(),
  actionable: z.boolean(),
  change: PatternChangeSchema,
  evidence: z.object({ success: z.array(z.string()), failure: z.array(z.string()) }),
  stats: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
});
export type Pattern = z.infer<typeof PatternSchema>;

/** The one-line evidence of a pattern (adjusted effect and strata, or a tool's error rate and failure reasons), if the analyzer wrote one. */
export function evidenceSummaryOf(pattern: Pick<Pattern, "stats">): string | undefined {
  const summary = pattern.stats.evidenceSummary;
  return typeof summary === "string" ? summary : undefined;
}
