// Reads stored traces with their ordered steps: one, or many at once (two queries whatever their number).
import type pg from "pg";
import type { Trace } from "../../domain/trace.js";
import { NotFoundError } from "../../errors.js";
import { rowToStep, rowToTrace, type StepRow, type TraceRow } from "../trace-rows.js";

export type StoredTrace = Trace & { seq: string };

/** The trace `id` of `tenant`, or undefined. */
export async function findTrace(pool: Pick<pg.Pool, "query"> | pg.ClientBase, tenant: string, id: string): Promise<StoredTrace | undefined> {
  const t = await pool.query<TraceRow>("SELECT * FROM traces WHERE tenant_id = $1 AND id = $2", [tenant, id]);
  const row = t.rows[0];
  if (!row) return undefined;
  const steps = await pool.query<StepRow>("SELECT * FROM trace_steps WHERE tenant_id = $1 AND trace_id = $2 ORDER BY idx", [tenant, id]);
  return rowToTrace(row, steps.rows.map(rowToStep));
}

/** The traces of `tenant` among `ids` that exist, by id. */
export async function findTraces(pool: Pick<pg.Pool, "query"> | pg.ClientBase, tenant: string, ids: readonly string[]): Promise<Map<string, StoredTrace>> {
  const found = new Map<string, StoredTrace>();
  if (ids.length === 0) return found;
  const t = await pool.query<TraceRow>("SELECT * FROM traces WHERE tenant_id = $1 AND id = ANY($2::text[])", [tenant, ids]);
  if (t.rows.length === 0) return found;
  const steps = await pool.query<StepRow>("SELECT * FROM trace_steps WHERE tenant_id = $1 AND trace_id = ANY($2::text[]) ORDER BY trace_id, idx", [tenant, t.rows.map((r) => r.id)]);
  const byTrace = new Map<string, StepRow[]>();
  for (const s of steps.rows) {
    const list = byTrace.get(s.trace_id);
    if (list) list.push(s);
    else byTrace.set(s.trace_id, [s]);
  }
  for (const row of t.rows) found.set(row.id, rowToTrace(row, (byTrace.get(row.id) ?? []).map(rowToStep)));
  return found;
}

/** Like findTrace but throws NotFoundError (404). */
export async function getTrace(pool: pg.Pool, tenant: string, id: string): Promise<StoredTrace> {
  const trace = await findTrace(pool, tenant, id);
  if (!trace) throw new NotFoundError(`No trace with id "${id}"`);
  return trace;
}
