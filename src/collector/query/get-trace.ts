// Reads one stored trace with its ordered steps.
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

/** Like findTrace but throws NotFoundError (404). */
export async function getTrace(pool: pg.Pool, tenant: string, id: string): Promise<StoredTrace> {
  const trace = await findTrace(pool, tenant, id);
  if (!trace) throw new NotFoundError(`No trace with id "${id}"`);
  return trace;
}
