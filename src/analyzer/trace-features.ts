// Reads the per-trace feature rows of one agent's analysis window, in a stable order (start
// time, then id) so that evidence samples are the same for an incremental run and a recompute.
import type pg from "pg";
import { z } from "zod";

/** What the miners need to know about one trace. */
export interface TraceFeatures {
  traceId: string;
  /** The trace's task key, if it has one. */
  task: string | null;
  /** Stratum of the trace (strata.ts); −1 leaves it out of within-strata tests. Set by minePatterns. */
  stratum: number;
  /** Outcome; null while unknown (such traces count for tool statistics, not outcome tests). */
  success: boolean | null;
  tools: string[];
  toolOk: boolean[];
  toolMs: (number | null)[];
  /** Error text (else response) of each failed call, null for calls that succeeded. */
  toolError: (string | null)[];
  thinkingSteps: number;
  thinkingChars: number;
  justifiedSteps: number;
  durationMs: number | null;
  tokens: number;
  costUsd: number | null;
}

// Validated because the column is JSON written by SQL; a malformed row must fail loudly.
// `ok`: true for a call that succeeded, the text of a failed one (false from rows of older versions).
const CallsSchema = z.object({ n: z.array(z.string().nullable()), ok: z.array(z.union([z.boolean(), z.string()]).nullable()), ms: z.array(z.number().nullable()) });

interface Row {
  trace_id: string;
  task: string | null;
  success: boolean | null;
  calls: unknown;
  thinking_steps: number;
  thinking_chars: number;
  justified_steps: number;
  duration_ms: number | null;
  tokens: number;
  cost_usd: number | null;
}

export interface LoadFeaturesOptions {
  tenant: string;
  agent: string;
  /** Only traces started at or after this instant; undefined reads all. */
  since?: Date;
}

/** Loads the window's features on the caller's client (so it sees the same transaction). */
export async function loadTraceFeatures(client: pg.ClientBase, options: LoadFeaturesOptions): Promise<TraceFeatures[]> {
  const { rows } = await client.query<Row>(
    `SELECT trace_id, task, success, calls, thinking_steps, thinking_chars, justified_steps, duration_ms, tokens, cost_usd
     FROM analyzer_trace_features
     WHERE tenant_id = $1 AND agent = $2 AND ($3::timestamptz IS NULL OR started_at >= $3)
     ORDER BY started_at, trace_id`,
    [options.tenant, options.agent, options.since?.toISOString() ?? null],
  );
  return rows.map((r) => {
    const calls = CallsSchema.parse(r.calls);
    return {
      traceId: r.trace_id,
      task: r.task,
      stratum: 0,
      success: r.success,
      tools: calls.n.map((n) => n ?? "(unnamed)"),
      toolOk: calls.ok.map((ok) => ok === true || ok === null),
      toolMs: calls.ms,
      toolError: calls.ok.map((ok) => (typeof ok === "string" ? ok : null)),
      thinkingSteps: r.thinking_steps,
      thinkingChars: r.thinking_chars,
      justifiedSteps: r.justified_steps,
      durationMs: r.duration_ms,
      tokens: r.tokens,
      costUsd: r.cost_usd,
    };
  });
}
