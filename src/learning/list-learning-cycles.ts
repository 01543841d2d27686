// History of learning cycles, newest first, with cursor pagination.
import type { Database } from "../db/database.js";
import { toCycleView, type CycleView } from "./cycle-record.js";
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
    const c = await db.prisma.learningCycle.findFirst({ where: { id: options.cursor, tenantId: options.tenant }, select: { startedAt: true, id: true } });
    // An unknown cursor is a client error, as on GET /v1/traces (not an empty, "last" page).
    if (!c) throw new ValidationError("Invalid query: cursor: not a cursor returned by this endpoint", [{ path: "cursor", message: "not a cursor returned by this endpoint" }]);
    before = c;
  }
  const rows = await db.prisma.learningCycle.findMany({
    where: {
      tenantId: options.tenant,
      ...(before ? { OR: [{ startedAt: { lt: before.startedAt } }, { startedAt: before.startedAt, id: { lt: before.id } }] } : {}),
    },
    orderBy: [{ startedAt: "desc" }, { id: "desc" }],
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  return { cycles: page.map(toCycleView), nextCursor: rows.length > limit ? page.at(-1)!.id : null };
}

/** One cycle of the tenant, or undefined. */
export async function getLearningCycle(db: Database, tenant: string, id: string): Promise<CycleView | undefined> {
  db = db.forTenant(tenant);
  const row = await db.prisma.learningCycle.findFirst({ where: { id, tenantId: tenant } });
  return row ? toCycleView(row) : undefined;
}
