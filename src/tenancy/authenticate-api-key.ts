// Resolves a presented API key to its tenant. Looks keys up by their visible prefix, then
// compares hashes in constant time, so response timing says nothing about the secret part.
import type { Database } from "../db/database.js";
import { isWellFormedApiKey, keyMatchesHash, prefixOf } from "./api-key.js";

export interface AuthenticatedKey {
  keyId: string;
  tenant: string;
}

/** Don't write last_used_at more often than this per key: one UPDATE per request would double ingest's writes. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** The key's tenant, or undefined when the key is unknown, malformed or revoked. */
export async function authenticateApiKey(db: Database, key: string): Promise<AuthenticatedKey | undefined> {
  if (!isWellFormedApiKey(key)) return undefined;
  const { rows } = await db.pool.query<{ id: string; tenant_id: string; key_hash: string; last_used_at: Date | null }>(
    `SELECT id, tenant_id, key_hash, last_used_at FROM api_keys WHERE prefix = $1 AND revoked_at IS NULL`,
    [prefixOf(key)],
  );
  const match = rows.find((r) => keyMatchesHash(key, r.key_hash));
  if (!match) return undefined;
  if (!match.last_used_at || Date.now() - match.last_used_at.getTime() > LAST_USED_RESOLUTION_MS) {
    // Bookkeeping only: a failure here must not fail the request.
    db.pool.query(`UPDATE api_keys SET last_used_at = now() WHERE id = $1`, [match.id]).catch(() => undefined);
  }
  return { keyId: match.id, tenant: match.tenant_id };
}
