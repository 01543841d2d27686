// The `canaries` table (owned by registry/canary/), always in the tenant's scope. Claiming is one
// conditional UPDATE, so of several replicas checking the same canary exactly one decides; a claim
// left by a process that died is taken over after `staleAfterMs`.
import { randomUUID } from "node:crypto";
import type { Database } from "../../db/database.js";
import { CanaryDecisionSchema, CanarySettingsSchema, CANARY_STATUSES, type Canary, type CanaryDecision, type CanarySettings, type CanaryStatus } from "../../domain/canary.js";

type Scoper = Pick<Database, "forTenant">;

interface CanaryRow {
  id: string;
  tenant_id: string;
  signature: string;
  incumbent_version: string;
  candidate_version: string;
  status: string;
  settings: unknown;
  decision: unknown;
  commit_sha: string | null;
  started_at: Date;
  decided_at: Date | null;
}

const COLUMNS = "id, tenant_id, signature, incumbent_version, candidate_version, status, settings, decision, commit_sha, started_at, decided_at";

function toCanary(r: CanaryRow): Canary {
  const decision = r.decision === null ? null : CanaryDecisionSchema.safeParse(r.decision);
  return {
    id: r.id,
    tenant: r.tenant_id,
    signature: r.signature,
    incumbentVersion: r.incumbent_version,
    candidateVersion: r.candidate_version,
    status: (CANARY_STATUSES as readonly string[]).includes(r.status) ? (r.status as CanaryStatus) : "stopped",
    settings: CanarySettingsSchema.parse(r.settings),
    decision: decision?.success ? decision.data : null,
    commitSha: r.commit_sha,
    startedAt: r.started_at.toISOString(),
    decidedAt: r.decided_at?.toISOString() ?? null,
  };
}

export async function insertCanary(db: Scoper, input: { tenant: string; signature: string; incumbentVersion: string; candidateVersion: string; settings: CanarySettings }): Promise<Canary> {
  const { rows } = await db.forTenant(input.tenant).pool.query<CanaryRow>(
    `INSERT INTO canaries (id, tenant_id, signature, incumbent_version, candidate_version, status, settings) VALUES ($1, $2, $3, $4, $5, 'running', $6) RETURNING ${COLUMNS}`,
    [randomUUID(), input.tenant, input.signature, input.incumbentVersion, input.candidateVersion, JSON.stringify(input.settings)],
  );
  return toCanary(rows[0]!);
}

/** The tenant's canaries, newest first; `active` keeps those still running or being decided. */
export async function listCanaries(db: Scoper, tenant: string, options: { signature?: string; active?: boolean; limit?: number } = {}): Promise<Canary[]> {
  const { rows } = await db.forTenant(tenant).pool.query<CanaryRow>(
    `SELECT ${COLUMNS} FROM canaries WHERE tenant_id = $1 AND ($2::text IS NULL OR signature = $2) AND (NOT $3::boolean OR status IN ('running', 'deciding'))
      ORDER BY started_at DESC, id LIMIT $4`,
    [tenant, options.signature ?? null, Boolean(options.active), options.limit ?? 100],
  );
  return rows.map(toCanary);
}

export async function getCanary(db: Scoper, tenant: string, id: string): Promise<Canary | undefined> {
  const { rows } = await db.forTenant(tenant).pool.query<CanaryRow>(`SELECT ${COLUMNS} FROM canaries WHERE tenant_id = $1 AND id = $2`, [tenant, id]);
  return rows[0] && toCanary(rows[0]);
}

/** Takes the canary for deciding; true for exactly one caller (or one taking over a stale claim). */
export async function claimCanary(db: Scoper, tenant: string, id: string, owner: string, staleAfterMs = 5 * 60_000): Promise<boolean> {
  const { rowCount } = await db.forTenant(tenant).pool.query(
    `UPDATE canaries SET status = 'deciding', claimed_by = $3, claimed_at = now()
      WHERE tenant_id = $1 AND id = $2 AND (status = 'running' OR (status = 'deciding' AND claimed_at < now() - make_interval(secs => $4::float8 / 1000)))`,
    [tenant, id, owner, staleAfterMs],
  );
  return (rowCount ?? 0) === 1;
}

/** Gives a claim back without deciding (the decision failed half-way; the next check retries). */
export async function releaseCanary(db: Scoper, tenant: string, id: string, owner: string): Promise<void> {
  await db.forTenant(tenant).pool.query(`UPDATE canaries SET status = 'running', claimed_by = NULL, claimed_at = NULL WHERE tenant_id = $1 AND id = $2 AND claimed_by = $3 AND status = 'deciding'`, [tenant, id, owner]);
}

/** Records the decision of a claimed canary. */
export async function finishCanary(db: Scoper, tenant: string, id: string, decision: CanaryDecision, commitSha: string | null): Promise<Canary> {
  const { rows } = await db.forTenant(tenant).pool.query<CanaryRow>(
    `UPDATE canaries SET status = $3, decision = $4, commit_sha = $5, decided_at = now() WHERE tenant_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
    [tenant, id, decision.outcome, JSON.stringify(decision), commitSha],
  );
  return toCanary(rows[0]!);
}
