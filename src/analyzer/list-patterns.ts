// Reads the patterns of each agent's latest analysis run: what the API, the CLI and the
// compiler (guideline induction) see.
import { z } from "zod";
import type { Database } from "../db/database.js";
import { PatternSchema, PatternTypeSchema, type Pattern, type PatternType } from "../domain/pattern.js";
import { summarizePatterns, type PatternSummary } from "./summarize-patterns.js";

export interface ListPatternsOptions {
  tenant: string;
  /** Only this agent; default every agent of the tenant. */
  agent?: string;
  type?: PatternType;
  /** true: only actionable patterns; false: only observed ones; undefined: both. */
  actionable?: boolean;
  /** Minimum confidence (0..1). Default 0. */
  minConfidence?: number;
  /** Include rows marking patterns that vanished since the previous run. Default false. */
  includeVanished?: boolean;
}

/** Validates query-string style filters (API and CLI); errors name the field. */
export const PatternFilterSchema = z.object({
  agent: z.string().min(1).max(200).optional(),
  type: PatternTypeSchema.optional(),
  minConfidence: z.coerce.number({ message: "expected a number between 0 and 1" }).min(0, "expected a number between 0 and 1").max(1, "expected a number between 0 and 1").optional(),
  actionable: z.enum(["true", "false"], { message: "expected true or false" }).transform((v) => v === "true").optional(),
  includeVanished: z.enum(["true", "false"], { message: "expected true or false" }).transform((v) => v === "true").optional(),
});

interface Row {
  id: string;
  tenant_id: string;
  agent: string;
  run_id: string;
  type: string;
  key: string;
  description: string;
  recommendations: unknown;
  support: number;
  frequency: number;
  effect: number;
  baseline: number;
  confidence: number;
  p_value: number | null;
  actionable: boolean;
  change: string;
  evidence: unknown;
  stats: unknown;
  created_at: Date;
}

/** Patterns of the latest successful run of each matching agent, strongest first. */
export async function listPatterns(db: Pick<Database, "forTenant">, options: ListPatternsOptions): Promise<Pattern[]> {
  const { pool } = db.forTenant(options.tenant);
  const { rows } = await pool.query<Row>(
    `WITH latest AS (
       SELECT DISTINCT ON (agent) id FROM analysis_runs
       WHERE tenant_id = $1 AND status = 'succeeded' AND ($2::text IS NULL OR agent = $2)
       ORDER BY agent, finished_at DESC, started_at DESC
     )
     SELECT p.* FROM patterns p JOIN latest l ON p.run_id = l.id
     WHERE p.tenant_id = $1 AND ($3::text IS NULL OR p.type = $3) AND ($4::bool IS NULL OR p.actionable = $4)
       AND p.confidence >= $5 AND ($6 OR p.change <> 'vanished')
     ORDER BY p.agent, p.actionable DESC, p.confidence DESC, abs(p.effect) DESC, p.key`,
    [options.tenant, options.agent ?? null, options.type ?? null, options.actionable ?? null, options.minConfidence ?? 0, options.includeVanished ?? false],
  );
  return rows.map((r) =>
    PatternSchema.parse({
      id: r.id,
      tenant: r.tenant_id,
      agent: r.agent,
      runId: r.run_id,
      type: r.type,
      key: r.key,
      description: r.description,
      recommendations: r.recommendations,
      support: r.support,
      frequency: r.frequency,
      effect: r.effect,
      baseline: r.baseline,
      confidence: r.confidence,
      ...(r.p_value === null ? {} : { pValue: r.p_value }),
      actionable: r.actionable,
      change: r.change,
      evidence: r.evidence,
      stats: r.stats,
      createdAt: r.created_at.toISOString(),
    }),
  );
}

/** The latest patterns and seed 003's summary of them. */
export async function getPatternSummary(db: Pick<Database, "forTenant">, options: ListPatternsOptions & { confidenceThreshold: number }): Promise<{ patterns: Pattern[]; summary: PatternSummary }> {
  const patterns = await listPatterns(db, options);
  return { patterns, summary: summarizePatterns(patterns, options.confidenceThreshold) };
}
