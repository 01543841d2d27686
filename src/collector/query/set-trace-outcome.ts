// Production feedback: sets a stored trace's outcome after the fact. The trace is rewritten
// through storeTraces so its content hash and `seq` move and incremental analysis sees it.
import type pg from "pg";
import { OutcomeSchema, type Outcome } from "../../domain/trace.js";
import { AppError } from "../../errors.js";
import { parseInput } from "../../domain/input-safety.js";
import { storeTraces } from "../store-traces.js";
import { traceDataOf } from "../trace-rows.js";
import { getTrace, type StoredTrace } from "./get-trace.js";

/** Validates `body` as an outcome `{ success, score?, feedback? }` and stores it on trace `id`. */
export async function setTraceOutcome(pool: pg.Pool, tenant: string, id: string, body: unknown): Promise<StoredTrace> {
  const outcome: Outcome = parseInput(OutcomeSchema, body, "outcome");
  const trace = await getTrace(pool, tenant, id);
  const { failures } = await storeTraces(pool, tenant, [{ ...traceDataOf(trace), outcome }]);
  if (failures[0]) throw new AppError("store_failed", `Could not store the outcome of trace ${id}: ${failures[0].error}`, { status: 500, cause: failures[0].detail });
  return getTrace(pool, tenant, id);
}
