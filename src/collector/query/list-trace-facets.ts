// The values a trace filter offers for a tenant: every agent and every signature@version (skip
// scans over their indexes: one index probe per distinct value, whatever the number of traces),
// and the task keys of the most recent traces (a bounded read of the newest-first index).
import type pg from "pg";

export interface TraceFacets {
  agents: string[];
  /** `signature@version` pairs seen on traces. */
  versions: { signature: string; version: string }[];
  /** Task keys (the intent a caller declared) among the newest `recentTraces` traces, most frequent first. */
  tasks: string[];
}

type Queryable = Pick<pg.Pool, "query">;

export interface TraceFacetOptions {
  /** At most this many values of each kind. Default 100. */
  limit?: number;
  /** How many of the newest traces task keys are read from. Default 5000. */
  recentTraces?: number;
}

export async function listTraceFacets(pool: Queryable, tenant: string, options: TraceFacetOptions = {}): Promise<TraceFacets> {
  const limit = options.limit ?? 100;
  // Loose index scans: each step asks the index for the next value after the previous one.
  const agents = await pool.query<{ agent: string }>(
    `WITH RECURSIVE a(agent) AS (
       (SELECT agent FROM traces WHERE tenant_id = $1 ORDER BY agent LIMIT 1)
       UNION ALL
       SELECT (SELECT t.agent FROM traces t WHERE t.tenant_id = $1 AND t.agent > a.agent ORDER BY t.agent LIMIT 1) FROM a WHERE a.agent IS NOT NULL
     )
     SELECT agent FROM a WHERE agent IS NOT NULL LIMIT $2`,
    [tenant, limit],
  );
  const versions = await pool.query<{ signature: string | null; prompt_version: string | null }>(
    `WITH RECURSIVE v(signature, prompt_version) AS (
       (SELECT signature, prompt_version FROM traces WHERE tenant_id = $1 AND signature IS NOT NULL ORDER BY signature, prompt_version LIMIT 1)
       UNION ALL
       SELECT n.signature, n.prompt_version FROM v, LATERAL (
         SELECT t.signature, t.prompt_version FROM traces t
         WHERE t.tenant_id = $1 AND t.signature IS NOT NULL AND (t.signature, t.prompt_version) > (v.signature, v.prompt_version)
         ORDER BY t.signature, t.prompt_version LIMIT 1
       ) n
     )
     SELECT signature, prompt_version FROM v LIMIT $2`,
    [tenant, limit * 2],
  );
  const tasks = await pool.query<{ task: string }>(
    `SELECT task FROM (SELECT task FROM traces WHERE tenant_id = $1 ORDER BY started_at DESC, id DESC LIMIT $3) recent
     WHERE task IS NOT NULL GROUP BY task ORDER BY count(*) DESC, task LIMIT $2`,
    [tenant, limit, options.recentTraces ?? 5000],
  );
  return {
    agents: agents.rows.map((r) => r.agent),
    versions: versions.rows.filter((r) => r.signature !== null && r.prompt_version !== null).slice(0, limit).map((r) => ({ signature: r.signature!, version: r.prompt_version! })),
    tasks: tasks.rows.map((r) => r.task),
  };
}
