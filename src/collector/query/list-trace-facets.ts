// The values a trace filter can take for a tenant (agents, prompt versions, task keys), read with
// grouped index scans so the filter form stays cheap on large tables.
import type pg from "pg";

export interface TraceFacets {
  agents: string[];
  /** `signature@version` pairs seen on traces. */
  versions: { signature: string; version: string }[];
  /** Task keys (the intent a caller declared), most frequent first. */
  tasks: string[];
}

type Queryable = Pick<pg.Pool, "query">;

/** Distinct filter values of the tenant's traces, at most `limit` of each (default 100). */
export async function listTraceFacets(pool: Queryable, tenant: string, limit = 100): Promise<TraceFacets> {
  const agents = await pool.query<{ agent: string }>("SELECT DISTINCT agent FROM traces WHERE tenant_id = $1 ORDER BY agent LIMIT $2", [tenant, limit]);
  const versions = await pool.query<{ signature: string; prompt_version: string }>(
    "SELECT DISTINCT signature, prompt_version FROM traces WHERE tenant_id = $1 AND signature IS NOT NULL AND prompt_version IS NOT NULL ORDER BY signature, prompt_version LIMIT $2",
    [tenant, limit],
  );
  const tasks = await pool.query<{ task: string }>("SELECT task FROM traces WHERE tenant_id = $1 AND task IS NOT NULL GROUP BY task ORDER BY count(*) DESC, task LIMIT $2", [tenant, limit]);
  return {
    agents: agents.rows.map((r) => r.agent),
    versions: versions.rows.map((r) => ({ signature: r.signature, version: r.prompt_version })),
    tasks: tasks.rows.map((r) => r.task),
  };
}
