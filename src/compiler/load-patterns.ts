// Reads the analyzer's findings for an agent straight from the `patterns` table (latest
// finished analysis run), so the compiler depends on the table, not on the analyzer's code.
import type pg from "pg";
import { z } from "zod";

/** The columns of a pattern the compiler uses. */
export const PatternRowSchema = z.object({
  id: z.string(),
  runId: z.string(),
  type: z.string(),
  key: z.string(),
  description: z.string(),
  recommendations: z.array(z.string()).catch([]),
  confidence: z.number(),
  actionable: z.boolean(),
  /** `direct` (a tool's own errors) or `association` (within-strata effect on success). */
  evidenceKind: z.string().catch("association"),
  /** Set when a stronger finding explains this one (it then is never a guideline of its own). */
  impliedBy: z.string().nullable().catch(null),
  /** One line of the evidence: adjusted effect and strata, or error rate and failure reasons. */
  evidence: z.string().nullable().catch(null),
});
export type PatternRow = z.infer<typeof PatternRowSchema>;

export interface AgentPatterns {
  /** The analysis run the patterns come from, if any run finished. */
  runId?: string;
  patterns: PatternRow[];
}

/** Patterns of the latest finished analysis run of `agent` for `tenant`. */
export async function loadLatestPatterns(pool: pg.Pool, tenant: string, agent: string): Promise<AgentPatterns> {
  const run = await pool.query<{ id: string }>(
    `SELECT id FROM analysis_runs
      WHERE tenant_id = $1 AND agent = $2 AND finished_at IS NOT NULL AND error IS NULL AND status NOT IN ('failed', 'running')
      ORDER BY finished_at DESC, started_at DESC LIMIT 1`,
    [tenant, agent],
  );
  const runId = run.rows[0]?.id;
  if (!runId) return { patterns: [] };
  const { rows } = await pool.query(
    `SELECT id, run_id AS "runId", type, key, description, recommendations, confidence, actionable,
            evidence_kind AS "evidenceKind", implied_by AS "impliedBy", stats->>'evidenceSummary' AS evidence
       FROM patterns WHERE tenant_id = $1 AND run_id = $2 ORDER BY key`,
    [tenant, runId],
  );
  const patterns = rows.flatMap((r) => {
    const parsed = PatternRowSchema.safeParse(r);
    return parsed.success ? [parsed.data] : [];
  });
  return { runId, patterns };
}
