// Makes sure a tenant row exists (traces and keys reference it).
import type { Database } from "../db/database.js";

/** Inserts the tenant if it is missing; safe under concurrency. */
export async function ensureTenant(db: Database, tenant: string, name = tenant): Promise<void> {
  await db.pool.query(`INSERT INTO tenants (id, name) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING`, [tenant, name]);
}
