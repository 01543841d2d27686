// The traces whose inputs are clustered into intents: labelled traces of the window without a
// task key, the first `limit` by a hash of their id. A hash order is a fixed random sample: the
// same traces give the same sample (an incremental run equals a full one), a trace keeps its
// place as others arrive, and no part of the window (old or new) is favoured. The analyzer's
// intent grouping (analyzer/group-intents.ts) calls these; the collector owns `traces`.
import type pg from "pg";

export interface IntentSample {
  /** Sampled trace ids, in hash order. */
  traceIds: string[];
  /** Traces eligible for the sample (labelled, no task key, in the window). */
  eligible: number;
}

export async function selectIntentSample(pool: Pick<pg.Pool, "query">, input: { tenant: string; agent: string; since?: Date; limit: number }): Promise<IntentSample> {
  const { rows } = await pool.query<{ id: string; eligible: string }>(
    `SELECT id, count(*) OVER () AS eligible FROM traces
     WHERE tenant_id = $1 AND agent = $2 AND task IS NULL AND success IS NOT NULL AND ($3::timestamptz IS NULL OR started_at >= $3)
     ORDER BY md5(id), id LIMIT $4`,
    [input.tenant, input.agent, input.since?.toISOString() ?? null, input.limit],
  );
  return { traceIds: rows.map((r) => r.id), eligible: rows.length === 0 ? 0 : Number(rows[0]!.eligible) };
}

/** Input (else problem) of the given traces, for labelling intents by their most central inputs. */
export async function readTraceInputs(pool: Pick<pg.Pool, "query">, tenant: string, traceIds: readonly string[]): Promise<Map<string, { input: unknown; problem: unknown }>> {
  const { rows } = await pool.query<{ id: string; input: unknown; problem: unknown }>(`SELECT id, input, problem FROM traces WHERE tenant_id = $1 AND id = ANY($2::text[])`, [tenant, [...traceIds]]);
  return new Map(rows.map((r) => [r.id, { input: r.input, problem: r.problem }]));
}
