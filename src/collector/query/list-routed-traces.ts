// The routing decisions the traces record, with their outcome and cost, for training the routing
// policy: sub-task calls carrying `metadata.routing` (decided by the router), and sub-task calls
// recorded before routing existed (the fixed rule decided, with probability 1). Fallback calls are
// not decisions and are left out; so are traces without an outcome (their reward is unknown).
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
    `SELECT id, started_at, signature, input, metadata, success, prompt_tokens, completion_tokens FROM traces
     WHERE tenant_id = $1 AND success IS NOT NULL
       AND (metadata ? 'routing' OR (metadata ? 'subTaskId' AND metadata->>'role' IN ('worker', 'engineer') AND NOT metadata ? 'fallbackFrom'))
     ORDER BY started_at DESC, id DESC LIMIT $2`,
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
