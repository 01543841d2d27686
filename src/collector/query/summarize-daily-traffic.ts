// Daily traffic of a tenant's agents, aggregated in the database (runs, labelled runs,
// successes, cost and tokens per agent, signature and UTC day), so a dashboard over 100k traces
// reads a few hundred rows, never the traces themselves.
import type pg from "pg";

export interface DailyTraffic {
  agent: string;
  /** null for traces recorded without a signature. */
  signature: string | null;
  /** UTC day, `YYYY-MM-DD`. */
  day: string;
  runs: number;
  /** Runs with an outcome (success true or false). */
  labelled: number;
  successes: number;
  /** Sum of the cost of the runs that report one, USD. */
  costUsd: number;
  tokens: number;
}

export interface SummarizeDailyTrafficOptions {
  /** Days back from now, 1..366. Default 30. */
  days?: number;
  /** The most agent/signature groups returned, busiest first. Default 20. */
  maxGroups?: number;
}

type Queryable = Pick<pg.Pool, "query">;

/** Per-day aggregates of the `days` last days for the busiest `maxGroups` agent/signature pairs, oldest day first. */
export async function summarizeDailyTraffic(pool: Queryable, tenant: string, options: SummarizeDailyTrafficOptions = {}): Promise<DailyTraffic[]> {
  const days = Math.min(Math.max(Math.trunc(options.days ?? 30), 1), 366);
  const maxGroups = Math.min(Math.max(Math.trunc(options.maxGroups ?? 20), 1), 200);
  // Days as whole days since the epoch (UTC): integer arithmetic per row, formatted once per group.
  const { rows } = await pool.query<{ agent: string; signature: string | null; day: number; runs: string; labelled: string; successes: string; cost: number | null; tokens: string }>(
    `WITH daily AS (
       SELECT agent, signature, floor(extract(epoch FROM started_at) / 86400)::int AS day,
              count(*) AS runs, count(success) AS labelled, count(*) FILTER (WHERE success) AS successes,
              sum(cost_usd) AS cost, sum(prompt_tokens + completion_tokens) AS tokens
       FROM traces
       WHERE tenant_id = $1 AND started_at >= now() - make_interval(days => $2::int)
       GROUP BY 1, 2, 3
     ), busiest AS (
       SELECT agent, signature FROM daily GROUP BY 1, 2 ORDER BY sum(runs) DESC, agent, signature NULLS FIRST LIMIT $3
     )
     SELECT d.* FROM daily d JOIN busiest b ON d.agent = b.agent AND d.signature IS NOT DISTINCT FROM b.signature
     ORDER BY d.agent, d.signature NULLS FIRST, d.day`,
    [tenant, days, maxGroups],
  );
  return rows.map((r) => ({
    agent: r.agent,
    signature: r.signature,
    day: new Date(r.day * 86_400_000).toISOString().slice(0, 10),
    runs: Number(r.runs),
    labelled: Number(r.labelled),
    successes: Number(r.successes),
    costUsd: r.cost ?? 0,
    tokens: Number(r.tokens),
  }));
}
