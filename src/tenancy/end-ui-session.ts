// Sign-out: deletes the dashboard session of a token, so the cookie opens nothing any more even
// if a copy of it survives somewhere. Found by the token's hash (system work, as at sign-in).
import type { Database } from "../db/database.js";
import { hashUiSessionToken, isWellFormedUiSessionToken } from "./ui-session-token.js";

/** Deletes the session of `token`; true when there was one. */
export async function endUiSession(db: Database, token: string): Promise<boolean> {
  if (!isWellFormedUiSessionToken(token)) return false;
  const { rowCount } = await db.pool.query(`DELETE FROM ui_sessions WHERE token_hash = $1`, [hashUiSessionToken(token)]);
  return (rowCount ?? 0) > 0;
}
