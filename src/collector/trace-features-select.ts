// The per-trace features of an agent's traces, as one SELECT over `traces` and `trace_steps`
// that runs inside Postgres: the analyzer composes it into its INSERT into
// analyzer_trace_features, so the million step rows never cross the wire. The collector owns
// both tables, so the query over them is written here; the analyzer sees only its columns.
import type pg from "pg";

/**
 * One row per trace of tenant `$1` and agent `$2` whose `seq` is in (`$3`, `$4`]: `tenant_id,
 * trace_id, agent, seq, started_at, task, success, calls, thinking_steps, thinking_chars,
 * justified_steps, duration_ms, tokens, cost_usd`. `calls` is `{ n: tool names, ok: true or what
 * a failed call said (cut to 300 characters), ms: durations }` in step order.
 */
export const TRACE_FEATURES_SELECT = `
  WITH changed AS (
    SELECT tenant_id, id, agent, seq, started_at, task, success, duration_ms, prompt_tokens + completion_tokens AS tokens, cost_usd
    FROM traces WHERE tenant_id = $1 AND agent = $2 AND seq > $3 AND seq <= $4
  )
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
  GROUP BY c.tenant_id, c.id, c.agent, c.seq, c.started_at, c.task, c.success, c.duration_ms, c.tokens, c.cost_usd`;

/**
 * Refreshes planner statistics of traces and trace_steps when many rows changed since the last
 * ANALYZE. Without them, after a bulk ingest the planner expects one row and joins 100k traces
 * to their steps with a nested loop, three times slower than the hash join it picks once it
 * knows the sizes. Autovacuum does this on a server; the embedded database has no autovacuum.
 */
export async function refreshTracePlannerStatistics(client: pg.ClientBase): Promise<boolean> {
  const { rows } = await client.query<{ stale: boolean }>(
    `SELECT coalesce(bool_or(n_mod_since_analyze > greatest(5000, n_live_tup / 5)), false) AS stale
     FROM pg_stat_user_tables WHERE relname IN ('traces', 'trace_steps')`,
  );
  if (!rows[0]?.stale) return false;
  await client.query(`ANALYZE traces, trace_steps`);
  return true;
}
