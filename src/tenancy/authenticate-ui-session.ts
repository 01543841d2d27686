// Resolves a dashboard session token (the cookie) to its tenant. The token is looked up by its
// hash before any tenant is known, so this is system work on the owner's connection, like
// authenticateApiKey. A session counts only while it has not expired and its key is not revoked.
import type { Database } from "../db/database.js";
import { hashUiSessionToken, isWellFormedUiSessionToken } from "./ui-session-token.js";

export interface AuthenticatedUiSession {
  sessionId: string;
  tenant: string;
  keyId: string;
  expiresAt: Date;
}

/** Don't write last_seen_at more often than this per session: one UPDATE per page view is waste. */
const LAST_SEEN_RESOLUTION_MS = 60_000;

/** The session's tenant, or undefined when the token is malformed, unknown, expired or its key revoked. */
export async function authenticateUiSession(db: Database, token: string): Promise<AuthenticatedUiSession | undefined> {
  if (!isWellFormedUiSessionToken(token)) return undefined;
  const { rows } = await db.pool.query<{ id: string; tenant_id: string; api_key_id: string; expires_at: Date; last_seen_at: Date }>(
    `SELECT s.id, s.tenant_id, s.api_key_id, s.expires_at, s.last_seen_at
       FROM ui_sessions s JOIN api_keys k ON k.id = s.api_key_id
      WHERE s.token_hash = $1 AND s.expires_at > now() AND k.revoked_at IS NULL AND k.tenant_id = s.tenant_id`,
    [hashUiSessionToken(token)],
  );
  const session = rows[0];
  if (!session) return undefined;
  if (Date.now() - session.last_seen_at.getTime() > LAST_SEEN_RESOLUTION_MS) {
    // Bookkeeping only: a failure here must not fail the request.
    db.pool.query(`UPDATE ui_sessions SET last_seen_at = now() WHERE id = $1`, [session.id]).catch(() => undefined);
  }
  return { sessionId: session.id, tenant: session.tenant_id, keyId: session.api_key_id, expiresAt: session.expires_at };
}
