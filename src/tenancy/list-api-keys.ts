// `meta-agent keys list`: every key with its tenant, prefix and state; never the key itself.
import type { Database } from "../db/database.js";

export interface ApiKeySummary {
  id: string;
  tenant: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** Lists keys, oldest first, optionally for one tenant. */
export async function listApiKeys(db: Database, options: { tenant?: string } = {}): Promise<ApiKeySummary[]> {
  const { rows } = await db.pool.query<ApiKeyRow>(`SELECT ${API_KEY_COLUMNS} FROM api_keys WHERE ($1::text IS NULL OR tenant_id = $1) ORDER BY created_at, id`, [options.tenant ?? null]);
  return rows.map(toApiKeySummary);
}

/** True when at least one key is not revoked: the server then requires keys. */
export async function hasActiveApiKeys(db: Database): Promise<boolean> {
  const { rows } = await db.pool.query<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM api_keys WHERE revoked_at IS NULL) AS any`);
  return rows[0]?.any === true;
}

/** An `api_keys` row as API_KEY_COLUMNS selects it (without the hash). */
export interface ApiKeyRow {
  id: string;
  tenantId: string;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** The select list that reads an `api_keys` row as an ApiKeyRow. */
export const API_KEY_COLUMNS = `id, tenant_id AS "tenantId", name, prefix, created_at AS "createdAt", last_used_at AS "lastUsedAt", revoked_at AS "revokedAt"`;

/** An `api_keys` row as shown to users (never the key or its hash). */
export function toApiKeySummary(r: ApiKeyRow): ApiKeySummary {
  return {
    id: r.id,
    tenant: r.tenantId,
    name: r.name,
    prefix: r.prefix,
    createdAt: r.createdAt.toISOString(),
    lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
    revokedAt: r.revokedAt?.toISOString() ?? null,
  };
}
