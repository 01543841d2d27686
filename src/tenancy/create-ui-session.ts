// Opens a dashboard session for an authenticated API key: a random token for the browser's
// cookie, and a row holding only the token's hash, the tenant, the key and the expiry.
import { randomUUID } from "node:crypto";
import type { Database } from "../db/database.js";
import type { AuthenticatedKey } from "./authenticate-api-key.js";
import { purgeExpiredUiSessions } from "./purge-expired-ui-sessions.js";
import { generateUiSessionToken, hashUiSessionToken } from "./ui-session-token.js";

export interface CreatedUiSession {
  id: string;
  /** The plain token, for the cookie only: it is not stored and cannot be read back. */
  token: string;
  expiresAt: Date;
}

/**
 * Stores a session for `key` that lasts `ttlSeconds` (`ui_session_ttl`), after purging expired
 * sessions of every tenant.
 */
export async function createUiSession(db: Database, key: AuthenticatedKey, ttlSeconds: number): Promise<CreatedUiSession> {
  await purgeExpiredUiSessions(db);
  const id = randomUUID();
  const token = generateUiSessionToken();
  // The database's clock decides both the expiry and the check against it.
  const { rows } = await db.pool.query<{ expires_at: Date }>(
    `INSERT INTO ui_sessions (id, tenant_id, api_key_id, token_hash, expires_at)
     VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5)) RETURNING expires_at`,
    [id, key.tenant, key.keyId, hashUiSessionToken(token), ttlSeconds],
  );
  return { id, token, expiresAt: rows[0]!.expires_at };
}
