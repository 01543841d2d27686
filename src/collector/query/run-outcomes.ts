// Runs as the heuristics library learns from them: signature runs with an outcome, newest
// changes after a `seq` watermark, and the kinds of task and tools a signature's runs involve.
import type pg from "pg";

export interface RunOutcome {
  id: string;
  seq: bigint;
  agent: string;
  signature: string;
  promptVersion: string | null;
  task: string | null;
  /** The outcome's score when given, else 1 for success and 0 for failure. */
  reward: number;
  startedAt: Date;
}

/** Runs of `tenant` with a signature and an outcome whose seq is above `afterSeq`, oldest change first. */
export async function listRunOutcomes(pool: Pick<pg.Pool, "query">, tenant: string, afterSeq: bigint, limit: number): Promise<RunOutcome[]> {
  const { rows } = await pool.query<{ id: string; seq: string; agent: string; signature: string; prompt_version: string | null; task: string | null; success: boolean; score: number | null; started_at: Date }>(
    `SELECT id, seq, agent, signature, prompt_version, task, success, score, started_at FROM traces
      WHERE tenant_id = $1 AND seq > $2 AND signature IS NOT NULL AND success IS NOT NULL
      ORDER BY seq LIMIT $3`,
    [tenant, afterSeq.toString(), limit],
  );
  return rows.map((r) => ({
    id: r.id,
    seq: BigInt(r.seq),
    agent: r.agent,
    signature: r.signature,
    promptVersion: r.prompt_version,
    task: r.task,
    reward: r.score ?? (r.success ? 1 : 0),
    startedAt: r.started_at,
  }));
}

export interface RunProfile {
  /** Task keys of the runs. */
  tasks: string[];
  /** Tools called in the runs. */
  tools: string[];
}

/** The task keys and tools of the runs of `agent` or of `signature` (at most the latest 5000). */
export async function profileRuns(pool: Pick<pg.Pool, "query">, tenant: string, who: { agent: string; signature: string }): Promise<RunProfile> {
  const { rows } = await pool.query<{ tasks: string[] | null; tools: string[] | null }>(
    `WITH recent AS (
       SELECT id, task FROM traces WHERE tenant_id = $1 AND (agent = $2 OR signature = $3) ORDER BY started_at DESC LIMIT 5000)
     SELECT (SELECT array_agg(DISTINCT task) FROM recent WHERE task IS NOT NULL) AS tasks,
            (SELECT array_agg(DISTINCT s.name) FROM trace_steps s JOIN recent r ON s.trace_id = r.id
              WHERE s.tenant_id = $1 AND s.type = 'tool_call' AND s.name IS NOT NULL) AS tools`,
    [tenant, who.agent, who.signature],
  );
  return { tasks: (rows[0]?.tasks ?? []).sort(), tools: (rows[0]?.tools ?? []).sort() };
}

/** Task keys and tools of the given traces (for the scope of a lesson learnt from them). */
export async function profileTraces(pool: Pick<pg.Pool, "query">, tenant: string, ids: readonly string[]): Promise<RunProfile> {
  if (ids.length === 0) return { tasks: [], tools: [] };
  const { rows } = await pool.query<{ tasks: string[] | null; tools: string[] | null }>(
    `SELECT (SELECT array_agg(DISTINCT task) FROM traces WHERE tenant_id = $1 AND id = ANY($2::text[]) AND task IS NOT NULL) AS tasks,
            (SELECT array_agg(DISTINCT name) FROM trace_steps WHERE tenant_id = $1 AND trace_id = ANY($2::text[]) AND type = 'tool_call' AND name IS NOT NULL) AS tools`,
    [tenant, ids],
  );
  return { tasks: (rows[0]?.tasks ?? []).sort(), tools: (rows[0]?.tools ?? []).sort() };
}

/** Failed runs of `agent` (newest first), with what the reflection prompt shows. */
export async function listFailedRuns(pool: Pick<pg.Pool, "query">, tenant: string, agent: string, limit: number): Promise<{ id: string; input: unknown; output: unknown; feedback: string | null }[]> {
  const { rows } = await pool.query<{ id: string; input: unknown; output: unknown; feedback: string | null }>(
    `SELECT id, input, output, feedback FROM traces WHERE tenant_id = $1 AND agent = $2 AND success = false ORDER BY started_at DESC, id LIMIT $3`,
    [tenant, agent, limit],
  );
  return rows;
}
