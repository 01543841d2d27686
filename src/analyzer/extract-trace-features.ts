// Turns traces into compact per-trace feature rows (analyzer_trace_features) inside Postgres:
// one INSERT … SELECT … GROUP BY over the collector's feature query (collector/
// trace-features-select.ts), so the million step rows never cross the wire. Only traces
// whose `seq` is above the agent's watermark (and at most the stable seq, see
// trace-write-barrier.ts) are read; ingest bumps `seq` on every update, so an outcome set later
// is re-extracted too.
import type pg from "pg";
import { refreshTracePlannerStatistics, TRACE_FEATURES_SELECT } from "../collector/trace-features-select.js";

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
WITH features AS (${TRACE_FEATURES_SELECT}
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

/** Extracts features of the agent's new and updated traces; runs on the caller's client (transaction). */
export async function extractTraceFeatures(client: pg.ClientBase, options: ExtractOptions): Promise<ExtractResult> {
  await refreshTracePlannerStatistics(client);
  const { rows } = await client.query<{ n: number; max_seq: string | null }>(EXTRACT_SQL, [options.tenant, options.agent, options.afterSeq.toString(), options.upToSeq.toString()]);
  const row = rows[0]!;
  return { tracesRead: row.n, maxSeq: row.max_seq === null ? options.afterSeq : BigInt(row.max_seq) };
}

/** Drops every feature row of the agent (a full recompute starts from nothing). */
export async function clearTraceFeatures(client: pg.ClientBase, tenant: string, agent: string): Promise<void> {
  await client.query(`DELETE FROM analyzer_trace_features WHERE tenant_id = $1 AND agent = $2`, [tenant, agent]);
}
