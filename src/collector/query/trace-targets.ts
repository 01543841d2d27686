// What the tenant's traces are about, for the loop above the collector: the agents the analyzer
// mines, the signatures learning targets, and how many traces arrived after a sequence number.
import type pg from "pg";

type Queryable = Pick<pg.Pool, "query">;

/** Agents with at least one trace, by name. */
export async function listTraceAgents(pool: Queryable, tenant: string): Promise<string[]> {
  const { rows } = await pool.query<{ agent: string }>(`SELECT DISTINCT agent FROM traces WHERE tenant_id = $1 ORDER BY agent`, [tenant]);
  return rows.map((r) => r.agent);
}

/** Signatures seen in the traces (a signature name, else the agent name), with their agent, by name. */
export async function listTraceSignatures(pool: Queryable, tenant: string): Promise<{ signature: string; agent: string }[]> {
  const { rows } = await pool.query<{ signature: string; agent: string }>(
    `SELECT COALESCE(signature, agent) AS signature, min(agent) AS agent FROM traces WHERE tenant_id = $1 GROUP BY 1 ORDER BY 1`,
    [tenant],
  );
  return rows;
}

export interface TracesAfter {
  count: number;
  /** Highest sequence counted, or null when none was. */
  maxSeq: bigint | null;
}

/**
 * Counts a signature's traces with `seq` above `afterSeq` (and at most `upToSeq` when given):
 * those naming the signature, or, naming none, those of its agent. Ingest bumps `seq` on every
 * update, so an updated trace counts again.
 */
export async function countTracesAfter(pool: Queryable, tenant: string, target: { signature: string; agent: string; afterSeq: bigint; upToSeq?: bigint }): Promise<TracesAfter> {
  const { rows } = await pool.query<{ count: number; max_seq: string | null }>(
    `SELECT count(t.seq)::int AS count, max(t.seq)::text AS max_seq
       FROM traces t
      WHERE t.tenant_id = $1 AND t.seq > $4::bigint AND ($5::bigint IS NULL OR t.seq <= $5)
        AND (t.signature = $2 OR (t.signature IS NULL AND t.agent = $3))`,
    [tenant, target.signature, target.agent, target.afterSeq.toString(), target.upToSeq?.toString() ?? null],
  );
  const r = rows[0]!;
  return { count: r.count, maxSeq: r.max_seq === null ? null : BigInt(r.max_seq) };
}
