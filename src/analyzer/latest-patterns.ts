// The analyzer's findings as other folders read them: the patterns of an agent's latest
// analysis run (the compiler's guideline induction), patterns by id (the registry's evidence,
// guideline history) and the count of actionable ones (learning status).
import type pg from "pg";
import { PatternSchema, type Pattern } from "../domain/pattern.js";
import { patternOfRow, type PatternRow } from "./pattern-rows.js";

type Queryable = Pick<pg.Pool, "query">;

export interface AgentPatterns {
  /** The analysis run the patterns come from, if any run finished. */
  runId?: string;
  patterns: Pattern[];
}

/** Rows that no longer fit the domain schema are left out rather than failing the caller. */
function toPatterns(rows: readonly PatternRow[]): Pattern[] {
  return rows.flatMap((r) => {
    const parsed = PatternSchema.safeParse(patternOfRow(r));
    return parsed.success ? [parsed.data] : [];
  });
}

/** Patterns (vanished ones included) of the latest finished analysis run of `agent` for `tenant`, by key. */
export async function loadLatestPatterns(pool: Queryable, tenant: string, agent: string): Promise<AgentPatterns> {
  const run = await pool.query<{ id: string }>(
    `SELECT id FROM analysis_runs
      WHERE tenant_id = $1 AND agent = $2 AND finished_at IS NOT NULL AND error IS NULL AND status NOT IN ('failed', 'running')
      ORDER BY finished_at DESC, started_at DESC LIMIT 1`,
    [tenant, agent],
  );
  const runId = run.rows[0]?.id;
  if (!runId) return { patterns: [] };
  const { rows } = await pool.query<PatternRow>(`SELECT * FROM patterns WHERE tenant_id = $1 AND run_id = $2 ORDER BY key`, [tenant, runId]);
  return { runId, patterns: toPatterns(rows) };
}

/** The tenant's patterns among `ids` that exist (any run). */
export async function findPatterns(pool: Queryable, tenant: string, ids: readonly string[]): Promise<Pattern[]> {
  if (ids.length === 0) return [];
  const { rows } = await pool.query<PatternRow>(`SELECT * FROM patterns WHERE tenant_id = $1 AND id = ANY($2::text[])`, [tenant, [...ids]]);
  return toPatterns(rows);
}

/** Distinct (agent, key) findings of the tenant that were ever actionable. */
export async function countActionablePatterns(pool: Queryable, tenant: string): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(`SELECT count(DISTINCT (agent, key))::int AS n FROM patterns WHERE tenant_id = $1 AND actionable`, [tenant]);
  return rows[0]!.n;
}
