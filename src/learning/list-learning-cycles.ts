// History of learning cycles, newest first, with cursor pagination.
import type { Database } from "../db/database.js";
import { CYCLE_COLUMNS, toCycleView, type CycleRow, type CycleView } from "./cycle-record.js";
import { ValidationError } from "../errors.js";

export interface ListCyclesOptions {
  tenant: string;
  /** Page size, 1..200. Default 20. */
  limit?: number;
  /** Return cycles started before this cycle (the `nextCursor` of the previous page). */
  cursor?: string;
}

export async function listLearningCycles(db: Database, options: ListCyclesOptions): Promise<{ cycles: CycleView[]; nextCursor: string | null }> {
  db = db.forTenant(options.tenant);
  const limit = Math.min(Math.max(options.limit ?? 20, 1), 200);
  let before: { startedAt: Date; id: string } | undefined;
  if (options.cursor) {
    const c = (await db.pool.query<{ startedAt: Date; id: string }>(`SELECT started_at AS "startedAt", id FROM learning_cycles WHERE id = $1 AND tenant_id = $2`, [options.cursor, options.tenant])).rows[0];
    // An unknown cursor is a client error, as on GET /v1/traces (not an empty, "last" page).
    if (!c) throw new ValidationError("Invalid query: cursor: not a cursor returned by this endpoint", [{ path: "cursor", message: "not a cursor returned by this endpoint" }]);
    before = c;
  }
  const { rows } = await db.pool.query<CycleRow>(
    `SELECT ${CYCLE_COLUMNS} FROM learning_cycles
      WHERE tenant_id = $1 AND ($2::timestamptz IS NULL OR started_at < $2 OR (started_at = $2 AND id < $3))
      ORDER BY started_at DESC, id DESC LIMIT $4`,
    [options.tenant, before?.startedAt ?? null, before?.id ?? null, limit + 1],
  );
  const page = rows.slice(0, limit);
  return { cycles: page.map(toCycleView), nextCursor: rows.length > limit ? page.at(-1)!.id : null };
}

/** One cycle of the tenant, or undefined. */
export async function getLearningCycle(db: Database, tenant: string, id: string): Promise<CycleView | undefined> {
  db = db.forTenant(tenant);
  const row = (await db.pool.query<CycleRow>(`SELECT ${CYCLE_COLUMNS} FROM learning_cycles WHERE id = $1 AND tenant_id = $2`, [id, tenant])).rows[0];
  return row ? toCycleView(row) : undefined;
}
