// `meta-agent keys revoke <id>`: a revoked key is refused from the next request on, and the
// dashboard sessions signed in with it end with it.
import type { Database } from "../db/database.js";
import { NotFoundError } from "../errors.js";
import { API_KEY_COLUMNS, toApiKeySummary, type ApiKeyRow, type ApiKeySummary } from "./list-api-keys.js";

/** Revokes a key by id (or by its visible prefix); revoking twice keeps the first date. */
export async function revokeApiKey(db: Database, idOrPrefix: string): Promise<ApiKeySummary> {
  const { rows } = await db.pool.query<{ id: string }>(`SELECT id FROM api_keys WHERE id = $1 OR prefix = $1`, [idOrPrefix]);
  if (rows.length === 0) throw new NotFoundError(`No API key with id or prefix ${JSON.stringify(idOrPrefix)} (see \`meta-agent keys list\`)`);
  if (rows.length > 1) throw new NotFoundError(`Prefix ${JSON.stringify(idOrPrefix)} matches ${rows.length} keys; revoke by id`);
  const id = rows[0]!.id;
  const revoked = await db.pool.query<ApiKeyRow>(`UPDATE api_keys SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 RETURNING ${API_KEY_COLUMNS}`, [id]);
  // Session lookups check revoked_at too; deleting here only keeps dead rows out of the table.
  await db.pool.query(`DELETE FROM ui_sessions WHERE api_key_id = $1`, [id]);
  return toApiKeySummary(revoked.rows[0]!);
}
