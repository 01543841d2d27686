// Lists trace summaries (no steps) newest first, with filters and keyset cursor pagination:
// the cursor encodes the last (started_at, id) seen, so pages stay stable while traces arrive.
import { z } from "zod";
import type pg from "pg";
import type { Trace } from "../../domain/trace.js";
import { ValidationError } from "../../errors.js";
import { findUnsafeValues, parseInput, pgTimestamp } from "../../domain/input-safety.js";
import { rowToTrace, type TraceRow } from "../trace-rows.js";

const isoDate = pgTimestamp;

export const ListTracesQuerySchema = z.object({
  agent: z.string().min(1).max(200).optional(),
  success: z.enum(["true", "false"], { message: "expected true or false" }).transform((v) => v === "true").optional(),
  since: isoDate.optional(),
  until: isoDate.optional(),
  signature: z.string().min(1).max(200).optional(),
  promptVersion: z.string().min(1).max(100).optional(),
  task: z.string().min(1).max(200).optional(),
  /** Page size, 1..500. Default 50. */
  limit: z.coerce.number({ message: "expected an integer between 1 and 500" }).int().min(1).max(500).default(50),
  cursor: z.string().min(1).max(2000).optional(),
});
export type ListTracesQuery = z.input<typeof ListTracesQuerySchema>;

export type TraceSummary = Omit<Trace, "steps"> & { seq: string; stepCount: number };

export interface TracePage {
  traces: TraceSummary[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

const CursorSchema = z.object({ s: isoDate, i: z.string() });
const encodeCursor = (startedAt: string, id: string) => Buffer.from(JSON.stringify({ s: startedAt, i: id })).toString("base64url");
function decodeCursor(cursor: string): { s: string; i: string } {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    // A forged cursor is untrusted input like any parameter: its id goes into a query.
    if (findUnsafeValues(decoded).length > 0) throw new Error("unsafe cursor");
    return CursorSchema.parse(decoded);
  } catch {
    throw new ValidationError("cursor: not a cursor returned by this endpoint", [{ path: "cursor", message: "invalid cursor" }]);
  }
}

/** Options callers inside the service pass (never from a query string). */
export interface ListTracesScope {
  /** Only these traces (e.g. the members of an intent the analyzer found); an empty list matches none. */
  ids?: readonly string[];
}

/** Lists the tenant's traces matching `query` (validated here; bad values → ValidationError naming the field). */
export async function listTraces(pool: pg.Pool, tenant: string, query: ListTracesQuery, scope: ListTracesScope = {}): Promise<TracePage> {
  const q = parseInput(ListTracesQuerySchema, query, "query");
  const params: unknown[] = [tenant];
  const where = ["tenant_id = $1"];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replace("?", `$${params.length}`));
  };
  if (q.agent !== undefined) add("agent = ?", q.agent);
  if (q.success !== undefined) add("success = ?", q.success);
  if (q.since !== undefined) add("started_at >= ?", q.since);
  if (q.until !== undefined) add("started_at < ?", q.until);
  if (q.signature !== undefined) add("signature = ?", q.signature);
  if (q.promptVersion !== undefined) add("prompt_version = ?", q.promptVersion);
  if (q.task !== undefined) add("task = ?", q.task);
  if (scope.ids !== undefined) add("id = ANY(?::text[])", [...scope.ids]);
  if (q.cursor !== undefined) {
    const c = decodeCursor(q.cursor);
    params.push(c.s, c.i);
    where.push(`(started_at, id) < ($${params.length - 1}::timestamptz, $${params.length})`);
  }
  params.push(q.limit + 1);
  const rows = await pool.query<TraceRow>(`SELECT * FROM traces WHERE ${where.join(" AND ")} ORDER BY started_at DESC, id DESC LIMIT $${params.length}`, params);
  const page = rows.rows.slice(0, q.limit);
  const traces = page.map((r) => {
    const { steps: _steps, ...summary } = rowToTrace(r, []);
    return { ...summary, stepCount: r.step_count };
  });
  const last = page[page.length - 1];
  return { traces, nextCursor: rows.rows.length > q.limit && last ? encodeCursor(last.started_at.toISOString(), last.id) : null };
}
