// Deletes every tenant's expired dashboard sessions. Called at each sign-in: an indexed delete of
// the few rows that expired since, so the table holds only live sessions without a scheduled job.
import type { Database } from "../db/database.js";

/** Removes sessions whose `expires_at` has passed; returns how many. */
export async function purgeExpiredUiSessions(db: Database): Promise<number> {
  const { rowCount } = await db.pool.query(`DELETE FROM ui_sessions WHERE expires_at <= now()`);
  return rowCount ?? 0;
}
