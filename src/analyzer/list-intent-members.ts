// The intents of each agent's latest analysis run, and the traces one of them holds: what the
// dashboard's traces list filters by (issue 28). Intents are clustered from a capped sample
// (group-intents.ts), so members are the sampled traces of that intent, not every trace like it.
import type { Database } from "../db/database.js";

export interface IntentOption {
  /** The stratum row's id: names one intent of one run exactly (intent numbers change between runs). */
  id: string;
  agent: string;
  /** `intent:<n>`. */
  key: string;
  label: string;
  /** Traces in the intent (of the clustered sample). */
  size: number;
}

/** Intents of the latest successful run of each agent of the tenant, per agent largest first. */
export async function listLatestIntents(db: Pick<Database, "forTenant">, tenant: string): Promise<IntentOption[]> {
  const { pool } = db.forTenant(tenant);
  const { rows } = await pool.query<IntentOption>(
    `WITH latest AS (
       SELECT DISTINCT ON (agent) id FROM analysis_runs
       WHERE tenant_id = $1 AND status = 'succeeded'
       ORDER BY agent, finished_at DESC, started_at DESC
     )
     SELECT s.id, s.agent, s.key, s.label, s.size FROM analysis_strata s JOIN latest l ON s.run_id = l.id
     WHERE s.tenant_id = $1 AND s.kind = 'intent'
     ORDER BY s.agent, s.size DESC, s.key`,
    [tenant],
  );
  return rows;
}

/** The trace ids of one intent (by its stratum id, see `listLatestIntents`); undefined when the tenant has no such intent. */
export async function listIntentMembers(db: Pick<Database, "forTenant">, tenant: string, intentId: string): Promise<{ agent: string; label: string; traceIds: string[] } | undefined> {
  const { pool } = db.forTenant(tenant);
  const { rows } = await pool.query<{ agent: string; label: string; members: unknown }>(
    `SELECT agent, label, members FROM analysis_strata WHERE tenant_id = $1 AND id = $2 AND kind = 'intent'`,
    [tenant, intentId],
  );
  const row = rows[0];
  if (!row) return undefined;
  const traceIds = Array.isArray(row.members) ? row.members.filter((m): m is string => typeof m === "string") : [];
  return { agent: row.agent, label: row.label, traceIds };
}
