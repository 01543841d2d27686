// The tool calls recorded in runs, in the order each run made them: what an offline evaluation
// replays to a model when the tools themselves live in the agent (compiler/replay-tools.ts).
import type pg from "pg";

export interface RecordedToolCall {
  name: string;
  arguments: Record<string, unknown>;
  success: boolean;
  /** The tool's answer (success) or error text (failure), as recorded; null when none was. */
  result: string | null;
}

/** Tool calls of each of `traceIds` (tenant-scoped), by trace id, in step order; traces without any are absent. */
export async function loadRecordedToolCalls(pool: Pick<pg.Pool, "query">, tenant: string, traceIds: readonly string[]): Promise<Map<string, RecordedToolCall[]>> {
  const out = new Map<string, RecordedToolCall[]>();
  if (traceIds.length === 0) return out;
  const { rows } = await pool.query<{ trace_id: string; name: string | null; arguments: unknown; success: boolean | null; response: string | null; error: string | null }>(
    `SELECT trace_id, name, arguments, success, response, error FROM trace_steps
      WHERE tenant_id = $1 AND trace_id = ANY($2::text[]) AND type = 'tool_call'
      ORDER BY trace_id, idx`,
    [tenant, [...traceIds]],
  );
  for (const r of rows) {
    if (!r.name) continue;
    const args = r.arguments && typeof r.arguments === "object" && !Array.isArray(r.arguments) ? (r.arguments as Record<string, unknown>) : {};
    const success = r.success !== false;
    const calls = out.get(r.trace_id) ?? [];
    calls.push({ name: r.name, arguments: args, success, result: success ? r.response : (r.error ?? r.response) });
    out.set(r.trace_id, calls);
  }
  return out;
}
