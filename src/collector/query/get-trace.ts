// Reads stored traces with their ordered steps: one, or many at once (two queries whatever their number).
import type pg from "pg";
import type { Trace } from "../../domain/trace.js";
import { NotFoundError } from "../../errors.js";
import { rowToStep, rowToTrace, type StepRow, type TraceRow } from "../trace-rows.js";

export type StoredTrace = Trace & { seq: string };

type Queryable = Pick<pg.Pool, "query"> | pg.ClientBase;

/** The trace `id` of `tenant`, or undefined. */
export async function findTrace(pool: Queryable, tenant: string, id: string): Promise<StoredTrace | undefined> {
  return (await findTraces(pool, tenant, [id])).get(id);
}

/** The traces of `tenant` among `ids` that exist, by id. */
export async function findTraces(pool: Queryable, tenant: string, ids: readonly string[]): Promise<Map<string, StoredTrace>> {
  if (ids.length === 0) return new Map();
  const t = await pool.query<TraceRow>("SELECT * FROM traces WHERE tenant_id = $1 AND id = ANY($2::text[])", [tenant, ids]);
  return new Map((await withSteps(pool, tenant, t.rows)).map((trace) => [trace.id, trace]));
}

/** `traces` rows of `tenant` as traces, their steps read in one query; in the rows' order. */
export async function withSteps(pool: Queryable, tenant: string, rows: readonly TraceRow[]): Promise<StoredTrace[]> {
  if (rows.length === 0) return [];
  const steps = await pool.query<StepRow>("SELECT * FROM trace_steps WHERE tenant_id = $1 AND trace_id = ANY($2::text[]) ORDER BY trace_id, idx", [tenant, rows.map((r) => r.id)]);
  const byTrace = new Map<string, StepRow[]>();
  for (const s of steps.rows) {
    const list = byTrace.get(s.trace_id);
    if (list) list.push(s);
    else byTrace.set(s.trace_id, [s]);
  }
  return rows.map((row) => rowToTrace(row, (byTrace.get(row.id) ?? []).map(rowToStep)));
}

/** Like findTrace but throws NotFoundError (404). */
export async function getTrace(pool: pg.Pool, tenant: string, id: string): Promise<StoredTrace> {
  const trace = await findTrace(pool, tenant, id);
  if (!trace) throw new NotFoundError(`No trace with id "${id}"`);
  return trace;
}
