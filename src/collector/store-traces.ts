// Writes validated traces and their steps. New traces — nearly every batch — take one statement:
// it takes the shared trace-write lock, inserts the traces that are not stored yet and the steps
// of exactly those, in its own transaction. Ids already stored (a re-sent or updated trace) go
// on to an upsert: the same content is a no-op; different content replaces the trace and its
// steps and takes a new `seq` so that incremental analysis (which reads `seq > last`) sees the
// update. Each trace is written atomically; writers hold the shared trace-write lock
// (trace-write-barrier.ts) so that such readers never skip a late commit.
//
// Why one statement: every round trip to the embedded database (a wire message through its
// socket into the WebAssembly backend) costs a fixed ~0.3-0.6 ms of CPU, and the former five
// (BEGIN, lock, traces, steps, COMMIT) dominated the cost of the small batches a lightly loaded
// orchestrator writes (bench/orchestrator-cpu.bench.ts). A production PostgreSQL saves the
// round trips too.
import type pg from "pg";
import type { TraceData } from "../domain/trace.js";
import { traceContentHash } from "./trace-content.js";
import { isConnectionError } from "../db/connection-errors.js";
import { DatabaseUnavailableError } from "../errors.js";
import { STEP_COLUMNS, TRACE_COLUMNS, stepToRow, traceToRow, type StepRowInput, type TraceRowInput } from "./trace-rows.js";
import { withTransaction } from "../db/transaction.js";
import { lockTraceWrites, TRACE_WRITE_LOCK_SQL } from "./trace-write-barrier.js";
import { mapYielding } from "../runtime/map-yielding.js";
import { withCost, type PriceTable } from "../domain/model-prices.js";
import { recordCost } from "../observability/metrics.js";

export type StoreStatus = "created" | "updated" | "unchanged";

export interface StoreResult {
  id: string;
  status: StoreStatus;
}

/** Failure to store one trace (the others of the batch are unaffected). */
export interface StoreFailure {
  id: string;
  /** What the client is told (no database text: see errorText). */
  error: string;
  /** The database's own message, for the service log only. */
  detail: string;
}

// jsonb_to_recordset takes the whole batch as one parameter: no 65535-parameter limit, one
// statement per table whatever the batch size, and far less SQL text than VALUES lists.
const recordset = (cols: ReadonlyArray<[string, string]>) => `jsonb_to_recordset($1::jsonb) AS x(${cols.map(([c, t]) => `"${c}" ${t}`).join(", ")})`;
const traceCols = TRACE_COLUMNS.map(([c]) => `"${c}"`).join(", ");
const UPSERT_TRACES = `
  INSERT INTO traces (${traceCols}) SELECT ${traceCols} FROM ${recordset(TRACE_COLUMNS)}
  ON CONFLICT (tenant_id, id) DO UPDATE SET
    ${TRACE_COLUMNS.filter(([c]) => c !== "tenant_id" && c !== "id").map(([c]) => `"${c}" = EXCLUDED."${c}"`).join(", ")},
    seq = nextval(pg_get_serial_sequence('traces', 'seq')),
    updated_at = CURRENT_TIMESTAMP
  WHERE traces.content_hash IS DISTINCT FROM EXCLUDED.content_hash
  RETURNING id, (xmax = 0) AS inserted`;
const INSERT_NEW_TRACES = `
  INSERT INTO traces (${traceCols}) SELECT ${traceCols} FROM ${recordset(TRACE_COLUMNS)}
  ON CONFLICT (tenant_id, id) DO NOTHING
  RETURNING id, true AS inserted`;
const stepCols = STEP_COLUMNS.map(([c]) => `"${c}"`).join(", ");
const INSERT_STEPS = `INSERT INTO trace_steps (${stepCols}) SELECT ${stepCols} FROM ${recordset(STEP_COLUMNS)}`;
// The lock is a volatile CTE joined to every row, so it is taken before the first `seq` is drawn;
// steps are inserted only for the traces this statement inserted (the foreign-key check runs at
// the end of the statement, when those rows exist).
const INSERT_NEW_WITH_STEPS = `
  WITH write_lock AS (SELECT ${TRACE_WRITE_LOCK_SQL} AS locked),
  new_traces AS (
    INSERT INTO traces (${traceCols}) SELECT ${TRACE_COLUMNS.map(([c]) => `x."${c}"`).join(", ")} FROM ${recordset(TRACE_COLUMNS)} CROSS JOIN write_lock
    ON CONFLICT (tenant_id, id) DO NOTHING
    RETURNING id),
  new_steps AS (
    INSERT INTO trace_steps (${stepCols}) SELECT ${stepCols} FROM ${recordset(STEP_COLUMNS).replace("$1", "$2")}
    WHERE x.trace_id IN (SELECT id FROM new_traces))
  SELECT id FROM new_traces`;

/**
 * Stores traces for `tenant` atomically per trace. Traces must already be validated and
 * normalized (see normalizeTrace). If a trace id appears twice, the last one wins.
 * A batch is written in one transaction; if that fails, each trace is retried in its own
 * transaction so one bad trace cannot take the others down. When the database cannot be reached
 * it throws DatabaseUnavailableError (503: the whole batch may be re-sent; ids make that safe).
 */
export interface StoreOptions {
  /** What an existing id does: `update` replaces changed content (default); `skip` keeps the stored trace. */
  onConflict?: "update" | "skip";
  /** Config `model_prices`: a trace with tokens and no `costUsd` gets its cost from it (domain/model-prices.ts). */
  prices?: PriceTable;
}

export async function storeTraces(pool: pg.Pool, tenant: string, traces: readonly TraceData[], options: StoreOptions = {}): Promise<{ results: Map<string, StoreStatus>; failures: StoreFailure[] }> {
  const sql = options.onConflict === "skip" ? INSERT_NEW_TRACES : UPSERT_TRACES;
  const byId = new Map<string, TraceData>();
  for (const t of traces) byId.set(t.id, withCost(options.prices, t));
  const batch = [...byId.values()];
  if (batch.length === 0) return { results: new Map(), failures: [] };
  // Hashing and row building of a large batch are sliced so the event loop keeps serving, and
  // done before any statement: the embedded database's one backend is held while one runs.
  const rows = await prepareRows(tenant, batch);
  const results = new Map<string, StoreStatus>(batch.map((t) => [t.id, "unchanged"]));
  let stored: TraceData[] = batch;
  let refused = false;
  try {
    const created = await insertNew(pool, tenant, batch, rows);
    for (const id of created) results.set(id, "created");
    stored = batch.filter((t) => !created.has(t.id));
  } catch (e) {
    if (isConnectionError(e)) throw unavailable(e);
    // One trace the database refuses fails the statement: the traces go on one by one below.
    refused = true;
  }
  if (stored.length === 0 || (!refused && options.onConflict === "skip")) return { results, failures: [] };
  const rowsOf = new Map(batch.map((t, i) => [t.id, { trace: rows.traces[i]!, steps: rows.steps[i]! }]));
  const subset = (ts: readonly TraceData[]): PreparedRows => ({ traces: ts.map((t) => rowsOf.get(t.id)!.trace), steps: ts.map((t) => rowsOf.get(t.id)!.steps) });
  if (!refused) {
    // Ids already stored: one upsert for all of them.
    try {
      for (const [id, s] of await withTransaction(pool, (client) => writeRows(client, tenant, stored, subset(stored), sql))) results.set(id, s);
      return { results, failures: [] };
    } catch (e) {
      if (isConnectionError(e)) throw unavailable(e);
    }
  }
  const failures: StoreFailure[] = [];
  for (const t of stored) {
    try {
      for (const [id, s] of await withTransaction(pool, (client) => writeRows(client, tenant, [t], subset([t]), sql))) results.set(id, s);
    } catch (err) {
      if (isConnectionError(err)) throw unavailable(err);
      failures.push({ id: t.id, error: errorText(err), detail: errorDetail(err) });
    }
  }
  return { results, failures };
}

/** Inserts the traces of `batch` that are not stored yet, with their steps, in one statement; returns their ids. */
async function insertNew(pool: pg.Pool, tenant: string, batch: readonly TraceData[], rows: PreparedRows): Promise<Set<string>> {
  const { rows: inserted } = await pool.query<{ id: string }>(INSERT_NEW_WITH_STEPS, [JSON.stringify(rows.traces), JSON.stringify(rows.steps.flat())]);
  const created = new Set(inserted.map((r) => r.id));
  for (const t of batch) if (t.costUsd !== undefined && t.costUsd > 0 && created.has(t.id)) recordCost(tenant, t.signature ?? t.agent, t.costUsd);
  return created;
}

interface PreparedRows {
  traces: TraceRowInput[];
  steps: StepRowInput[][];
}

async function prepareRows(tenant: string, batch: readonly TraceData[]): Promise<PreparedRows> {
  const traces: TraceRowInput[] = await mapYielding(batch, (t) => traceToRow(tenant, t, traceContentHash(t)));
  const steps = await mapYielding(batch, (t) => t.steps.map((s, i) => stepToRow(tenant, t.id, i, s)));
  return { traces, steps };
}

async function writeRows(client: pg.ClientBase, tenant: string, batch: readonly TraceData[], rows: PreparedRows, sql: string): Promise<Map<string, StoreStatus>> {
  await lockTraceWrites(client);
  const written = await client.query<{ id: string; inserted: boolean }>(sql, [JSON.stringify(rows.traces)]);
  const results = new Map<string, StoreStatus>(batch.map((t) => [t.id, "unchanged"]));
  const updated: string[] = [];
  for (const r of written.rows) {
    results.set(r.id, r.inserted ? "created" : "updated");
    if (!r.inserted) updated.push(r.id);
  }
  if (updated.length > 0) await client.query("DELETE FROM trace_steps WHERE tenant_id = $1 AND trace_id = ANY($2::text[])", [tenant, updated]);
  const steps = batch.flatMap((t, i) => (results.get(t.id) === "unchanged" ? [] : rows.steps[i]!));
  for (const t of batch) if (t.costUsd !== undefined && t.costUsd > 0 && results.get(t.id) === "created") recordCost(tenant, t.signature ?? t.agent, t.costUsd);
  if (steps.length > 0) await client.query(INSERT_STEPS, [JSON.stringify(steps)]);
  return results;
}

/**
 * Stores validated, normalized traces on `client`, inside the caller's transaction (which must be
 * open): for a read-modify-write that has to be atomic, such as merging OTLP spans into a stored
 * trace. Ids must be unique in `batch`. Throws on any failure; the caller's transaction is then
 * aborted.
 */
export async function storeTracesOn(client: pg.ClientBase, tenant: string, batch: readonly TraceData[]): Promise<Map<string, StoreStatus>> {
  if (batch.length === 0) return new Map();
  return writeRows(client, tenant, batch, await prepareRows(tenant, batch), UPSERT_TRACES);
}

function unavailable(e: unknown): DatabaseUnavailableError {
  return new DatabaseUnavailableError("The database is unavailable; the batch was not stored. Retry later.", e);
}

/**
 * What a client is told when the database refused a trace that passed validation: the SQLSTATE
 * code, never the database's text (which names columns and echoes values). Validation
 * (domain/input-safety.ts) is meant to refuse such input first, so this is a bug to report.
 */
export function errorText(e: unknown): string {
  const code = (e as { code?: unknown })?.code;
  return `the database refused to store this trace${typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) ? ` (SQLSTATE ${code})` : ""}; the service log has the details`;
}

/** A database error as one line, message and detail, for the service log. */
export function errorDetail(e: unknown): string {
  const err = e as { message?: string; detail?: string };
  return [err?.message ?? String(e), err?.detail].filter(Boolean).join(": ");
}
