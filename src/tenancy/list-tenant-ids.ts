// The tenants with a row in `tenants` (system work: a scheduled run learns for each of them).
import type { Database } from "../db/database.js";

/** Every tenant id with a row, in id order. */
export async function listTenantIds(db: Pick<Database, "pool">): Promise<string[]> {
  const { rows } = await db.pool.query<{ id: string }>(`SELECT id FROM tenants ORDER BY id`);
  return rows.map((r) => r.id);
}
