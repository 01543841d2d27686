// The most recent traces that name a signature and carry an input, oldest first: what the
// compiler turns into training examples. Only the fields an example needs are read.
import type pg from "pg";
import type { Trace } from "../../domain/trace.js";

/** A trace as an example source: its id, input, output, outcome and start. */
export type SignatureTrace = Pick<Trace, "id" | "input" | "output" | "outcome" | "startedAt">;

export interface ListSignatureTracesOptions {
  /** Only traces that started at or after this instant. Default: no lower bound. */
  since?: Date;
  /** Most recent traces read at most. Default 5000. */
  limit?: number;
}

/** The `limit` most recent traces of `signature` for `tenant` that have an input, oldest first. */
export async function listSignatureTraces(pool: Pick<pg.Pool, "query">, tenant: string, signature: string, options: ListSignatureTracesOptions = {}): Promise<SignatureTrace[]> {
  const { rows } = await pool.query<{ id: string; input: unknown; output: unknown; success: boolean | null; score: number | null; feedback: string | null; expected_output: Record<string, unknown> | null; started_at: Date }>(
    `SELECT id, input, output, success, score, feedback, expected_output, started_at FROM (
       SELECT id, input, output, success, score, feedback, expected_output, started_at FROM traces
        WHERE tenant_id = $1 AND signature = $2 AND input IS NOT NULL AND ($3::timestamptz IS NULL OR started_at >= $3)
        ORDER BY started_at DESC, id DESC LIMIT $4) recent
     ORDER BY started_at, id`,
    [tenant, signature, options.since ?? null, options.limit ?? 5000],
  );
  return rows.map((r) => ({
    id: r.id,
    input: r.input as SignatureTrace["input"],
    ...(r.output === null ? {} : { output: r.output as SignatureTrace["output"] }),
    // An outcome exists only with a success flag (score, feedback and correction come with it), as rowToTrace reads it.
    ...(r.success === null
      ? {}
      : { outcome: { success: r.success, ...(r.score === null ? {} : { score: r.score }), ...(r.feedback === null ? {} : { feedback: r.feedback }), ...(r.expected_output === null ? {} : { expected: r.expected_output }) } }),
    startedAt: r.started_at.toISOString(),
  }));
}
