// The routing decisions the traces record, with their outcome and cost, for training the routing
// policy: sub-task calls carrying `metadata.routing` (decided by the router), and sub-task calls
// recorded before routing existed (the fixed rule decided, with probability 1). Fallback calls are
// not decisions and are left out. A call without an outcome of its own takes its task's (the
// outcome reported on the task's root trace: every sub-task shares the credit); with neither, the
// reward is unknown and the trace is left out.
import type pg from "pg";

export interface RoutedTrace {
  id: string;
  startedAt: string;
  signature: string | null;
  input: Record<string, unknown>;
  metadata: Record<string, unknown>;
  success: boolean;
  totalTokens: number;
}

/** The tenant's most recent `limit` routed sub-task traces with a known outcome, newest first. */
export async function listRoutedTraces(pool: pg.Pool, tenant: string, options: { limit: number }): Promise<RoutedTrace[]> {
  const { rows } = await pool.query<{ id: string; started_at: Date; signature: string | null; input: unknown; metadata: unknown; success: boolean; prompt_tokens: number; completion_tokens: number }>(
    `SELECT t.id, t.started_at, t.signature, t.input, t.metadata, COALESCE(t.success, p.success) AS success, t.prompt_tokens, t.completion_tokens
     FROM traces t LEFT JOIN traces p ON p.tenant_id = t.tenant_id AND p.id = t.parent_trace_id
     WHERE t.tenant_id = $1 AND COALESCE(t.success, p.success) IS NOT NULL
       AND (t.metadata ? 'routing' OR (t.metadata ? 'subTaskId' AND t.metadata->>'role' IN ('worker', 'engineer') AND NOT t.metadata ? 'fallbackFrom'))
     ORDER BY t.started_at DESC, t.id DESC LIMIT $2`,
    [tenant, options.limit],
  );
  const record = (v: unknown) => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
  return rows.map((r) => ({
    id: r.id,
    startedAt: r.started_at.toISOString(),
    signature: r.signature,
    input: record(r.input),
    metadata: record(r.metadata),
    success: r.success,
    totalTokens: Number(r.prompt_tokens) + Number(r.completion_tokens),
  }));
}

/** How many routed sub-task traces with an outcome started after `since` (ISO 8601; null: all). */
export async function countRoutedTracesSince(pool: pg.Pool, tenant: string, since: string | null): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(
    `SELECT count(*) AS n FROM traces t LEFT JOIN traces p ON p.tenant_id = t.tenant_id AND p.id = t.parent_trace_id
     WHERE t.tenant_id = $1 AND COALESCE(t.success, p.success) IS NOT NULL AND ($2::timestamptz IS NULL OR t.started_at > $2::timestamptz)
       AND (t.metadata ? 'routing' OR (t.metadata ? 'subTaskId' AND t.metadata->>'role' IN ('worker', 'engineer') AND NOT t.metadata ? 'fallbackFrom'))`,
    [tenant, since],
  );
  return Number(rows[0]?.n ?? 0);
}
