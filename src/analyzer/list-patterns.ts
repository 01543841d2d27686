// Reads the patterns of each agent's latest analysis run: what the API, the CLI and the
// compiler (guideline induction) see.
import { z } from "zod";
import type { Database } from "../db/database.js";
import { AnalysisStratumSchema, PatternSchema, PatternTypeSchema, type AnalysisStratum, type Pattern, type PatternType } from "../domain/pattern.js";
import { patternOfRow, type PatternRow } from "./pattern-rows.js";
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

/** Patterns of the latest successful run of each matching agent, strongest first. */
export async function listPatterns(db: Pick<Database, "forTenant">, options: ListPatternsOptions): Promise<Pattern[]> {
  const { pool } = db.forTenant(options.tenant);
  const { rows } = await pool.query<PatternRow>(
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
  return rows.map((r) => PatternSchema.parse(patternOfRow(r)));
}

/** The groups (task keys or intents) the latest run of each matching agent compared within, largest first. */
export async function listStrata(db: Pick<Database, "forTenant">, options: { tenant: string; agent?: string }): Promise<AnalysisStratum[]> {
  const { pool } = db.forTenant(options.tenant);
  const { rows } = await pool.query<{ agent: string; run_id: string; kind: string; key: string; label: string; size: number; labelled: number; successes: number; examples: unknown }>(
    `WITH latest AS (
       SELECT DISTINCT ON (agent) id FROM analysis_runs
       WHERE tenant_id = $1 AND status = 'succeeded' AND ($2::text IS NULL OR agent = $2)
       ORDER BY agent, finished_at DESC, started_at DESC
     )
     SELECT s.agent, s.run_id, s.kind, s.key, s.label, s.size, s.labelled, s.successes, s.examples
     FROM analysis_strata s JOIN latest l ON s.run_id = l.id
     WHERE s.tenant_id = $1
     ORDER BY s.agent, s.size DESC, s.key`,
    [options.tenant, options.agent ?? null],
  );
  return rows.map((r) => AnalysisStratumSchema.parse({ agent: r.agent, runId: r.run_id, kind: r.kind, key: r.key, label: r.label, size: r.size, labelled: r.labelled, successes: r.successes, examples: r.examples }));
}

/** The latest patterns, seed 003's summary of them, and the groups they were compared within. */
export async function getPatternSummary(db: Pick<Database, "forTenant">, options: ListPatternsOptions & { confidenceThreshold: number }): Promise<{ patterns: Pattern[]; summary: PatternSummary; strata: AnalysisStratum[] }> {
  const patterns = await listPatterns(db, options);
  const strata = await listStrata(db, { tenant: options.tenant, ...(options.agent ? { agent: options.agent } : {}) });
  return { patterns, summary: summarizePatterns(patterns, options.confidenceThreshold), strata };
}
