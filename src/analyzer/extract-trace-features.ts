// Turns traces into compact per-trace feature rows (analyzer_trace_features) inside Postgres:
// one INSERT … SELECT … GROUP BY, so the million step rows never cross the wire. Only traces
// whose `seq` is above the agent's watermark (and at most the stable seq, see
// trace-write-barrier.ts) are read; ingest bumps `seq` on every update, so an outcome set later
// is re-extracted too.
import type pg from "pg";

export interface ExtractOptions {
  tenant: string;
  agent: string;
  /** Re-extract traces with `seq` above this watermark. 0 extracts everything. */
  afterSeq: bigint;
  /** ...and at most this one: the stable seq (trace-write-barrier.ts), so no late commit below the new watermark is skipped. */
  upToSeq: bigint;
}

export interface ExtractResult {
  /** Traces (new or updated) whose features were (re)written. */
  tracesRead: number;
  /** Highest `seq` seen, the next watermark (unchanged when nothing was read). */
  maxSeq: bigint;
}

const EXTRACT_SQL = `
WITH changed AS (
  SELECT tenant_id, id, agent, seq, started_at, task, success, duration_ms, prompt_tokens + completion_tokens AS tokens, cost_usd
  FROM traces WHERE tenant_id = $1 AND agent = $2 AND seq > $3 AND seq <= $4
), features AS (
  SELECT c.tenant_id, c.id AS trace_id, c.agent, c.seq, c.started_at, c.task, c.success, c.duration_ms, c.tokens, c.cost_usd,
    jsonb_build_object(
      'n', coalesce(jsonb_agg(s.name ORDER BY s.idx) FILTER (WHERE s.type = 'tool_call'), '[]'::jsonb),
      -- true for a call that succeeded; for a failed one, what it said (its error, else its
      -- response, cut short): the failure reasons ride in the same array, no extra aggregate.
      'ok', coalesce(jsonb_agg(CASE WHEN coalesce(s.success, s.error IS NULL) THEN 'true'::jsonb ELSE to_jsonb(left(coalesce(s.error, s.response, ''), 300)) END ORDER BY s.idx) FILTER (WHERE s.type = 'tool_call'), '[]'::jsonb),
      'ms', coalesce(jsonb_agg(s.duration_ms ORDER BY s.idx) FILTER (WHERE s.type = 'tool_call'), '[]'::jsonb)
    ) AS calls,
    count(*) FILTER (WHERE s.type = 'thinking')::int AS thinking_steps,
    coalesce(sum(length(s.reasoning)) FILTER (WHERE s.type = 'thinking'), 0)::int AS thinking_chars,
    count(*) FILTER (WHERE s.type = 'thinking' AND coalesce(s.justification, '') <> '')::int AS justified_steps
  FROM changed c LEFT JOIN trace_steps s ON s.tenant_id = c.tenant_id AND s.trace_id = c.id
  GROUP BY c.tenant_id, c.id, c.agent, c.seq, c.started_at, c.task, c.success, c.duration_ms, c.tokens, c.cost_usd
), upserted AS (
  INSERT INTO analyzer_trace_features AS f (tenant_id, trace_id, agent, seq, started_at, task, success, calls, thinking_steps, thinking_chars, justified_steps, duration_ms, tokens, cost_usd)
  SELECT tenant_id, trace_id, agent, seq, started_at, task, success, calls, thinking_steps, thinking_chars, justified_steps, duration_ms, tokens, cost_usd FROM features
  ON CONFLICT (tenant_id, trace_id) DO UPDATE SET
    agent = EXCLUDED.agent, seq = EXCLUDED.seq, started_at = EXCLUDED.started_at, task = EXCLUDED.task, success = EXCLUDED.success, calls = EXCLUDED.calls,
    thinking_steps = EXCLUDED.thinking_steps, thinking_chars = EXCLUDED.thinking_chars, justified_steps = EXCLUDED.justified_steps,
    duration_ms = EXCLUDED.duration_ms, tokens = EXCLUDED.tokens, cost_usd = EXCLUDED.cost_usd
  RETURNING seq
)
SELECT count(*)::int AS n, max(seq)::text AS max_seq FROM upserted`;

/**
 * Refreshes planner statistics of traces and trace_steps when many rows changed since the last
 * ANALYZE. Without them, after a bulk ingest the planner expects one row and joins 100k traces
 * to their steps with a nested loop, three times slower than the hash join it picks once it
 * knows the sizes. Autovacuum does this on a server; the embedded database has no autovacuum.
 */
export async function refreshPlannerStatistics(client: pg.ClientBase): Promise<boolean> {
  const { rows } = await client.query<{ stale: boolean }>(
    `SELECT coalesce(bool_or(n_mod_since_analyze > greatest(5000, n_live_tup / 5)), false) AS stale
     FROM pg_stat_user_tables WHERE relname IN ('traces', 'trace_steps')`,
  );
  if (!rows[0]?.stale) return false;
  await client.query(`ANALYZE traces, trace_steps`);
  return true;
}

/** Extracts features of the agent's new and updated traces; runs on the caller's client (transaction). */
export async function extractTraceFeatures(client: pg.ClientBase, options: ExtractOptions): Promise<ExtractResult> {
  await refreshPlannerStatistics(client);
  const { rows } = await client.query<{ n: number; max_seq: string | null }>(EXTRACT_SQL, [options.tenant, options.agent, options.afterSeq.toString(), options.upToSeq.toString()]);
  const row = rows[0]!;
  return { tracesRead: row.n, maxSeq: row.max_seq === null ? options.afterSeq : BigInt(row.max_seq) };
}

/** Drops every feature row of the agent (a full recompute starts from nothing). */
export async function clearTraceFeatures(client: pg.ClientBase, tenant: string, agent: string): Promise<void> {
  await client.query(`DELETE FROM analyzer_trace_features WHERE tenant_id = $1 AND agent = $2`, [tenant, agent]);
}
