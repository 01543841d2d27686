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
  const rows = await db.prisma.apiKey.findMany({
    where: options.tenant ? { tenantId: options.tenant } : {},
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  return rows.map(toApiKeySummary);
}

/** True when at least one key is not revoked: the server then requires keys. */
export async function hasActiveApiKeys(db: Database): Promise<boolean> {
  const { rows } = await db.pool.query<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM api_keys WHERE revoked_at IS NULL) AS any`);
  return rows[0]?.any === true;
}

/** An `api_keys` row as shown to users (never the key or its hash). */
export function toApiKeySummary(r: { id: string; tenantId: string; name: string; prefix: string; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null }): ApiKeySummary {
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
