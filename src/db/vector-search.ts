// Nearest-neighbour queries that the per-dimension HNSW indexes can answer: they order by the
// exact expression the index was built on, restrict to the same `dim` and to one model, and run
// in a short transaction so `hnsw.ef_search` applies to this query only.
import pg from "pg";
import { indexedExpression, queryVectorCast, vectorLiteral, type VectorSpace, type VectorTable } from "./vector-index.js";
import { ValidationError } from "../errors.js";

/** pgvector's default candidate list size. */
export const DEFAULT_EF_SEARCH = 40;
export const DEFAULT_MAX_SCAN_TUPLES = 5000;

const { escapeLiteral } = pg;

export interface NearestQuery {
  table: VectorTable;
  /** Model and dimension of `vector`; only rows of the same model and dimension are searched. */
  space: VectorSpace;
  vector: readonly number[];
  /** Rows to return (1–1000). */
  k: number;
  /** Columns to return, qualified with the alias `v` (e.g. `v."id", v."output"`). */
  select: string;
  /** Extra joins after `FROM table v` (e.g. `JOIN "traces" t ON ...`). */
  join?: string;
  /** Extra conditions; `p(value)` registers a parameter and returns its placeholder. */
  where?: (p: (value: unknown) => string) => string;
  /** HNSW candidate list size for this query (higher: better recall, slower). Default 40. */
  efSearch?: number;
  /** Exact scan instead of the index (ground truth for recall, tiny tables). Default false. */
  exact?: boolean;
  /**
   * Index tuples one HNSW query may visit while filters reject candidates (`hnsw.max_scan_tuples`).
   * When the index yields fewer than `k` rows within it, the query is re-run exactly: a filter
   * that selective leaves few rows, which the b-tree indexes find fast. Default 5000.
   */
  maxScanTuples?: number;
}

export type NearestRow<T> = T & { distance: number };

/** Builds the SQL and parameters of a nearest-neighbour query (exported for EXPLAIN in tests). */
export function buildNearestQuery(q: NearestQuery): { text: string; values: unknown[] } {
  if (!Number.isInteger(q.k) || q.k < 1 || q.k > 1000) throw new ValidationError(`k must be an integer from 1 to 1000 (got ${q.k})`);
  const values: unknown[] = [vectorLiteral(q.vector, q.space.dim), q.space.model];
  const p = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  const extra = q.where ? ` AND (${q.where(p)})` : "";
  const expr = indexedExpression(q.space.dim).replace(`"embedding"`, `v."embedding"`);
  const distance = `${expr} <=> ${queryVectorCast("$1", q.space.dim)}`;
  // `+ 0` hides the indexed expression from the planner: an exact query sorts the filtered rows.
  const order = q.exact ? `(${distance}) + 0` : distance;
  const text =
    `SELECT ${q.select}, ${distance} AS "distance" FROM "${q.table}" v ${q.join ?? ""} ` +
    `WHERE v."dim" = ${q.space.dim} AND v."model" = $2${extra} ORDER BY ${order} LIMIT ${q.k}`;
  return { text, values };
}

function searchSettings(q: Pick<NearestQuery, "efSearch" | "exact" | "maxScanTuples">): string {
  const ef = q.efSearch ?? DEFAULT_EF_SEARCH;
  if (!Number.isInteger(ef) || ef < 1 || ef > 1000) throw new ValidationError(`ef_search must be an integer from 1 to 1000 (got ${ef})`);
  if (q.exact) return "SET LOCAL enable_sort = on";
  const maxScan = q.maxScanTuples ?? DEFAULT_MAX_SCAN_TUPLES;
  if (!Number.isInteger(maxScan) || maxScan < 1) throw new ValidationError(`maxScanTuples must be a positive integer (got ${maxScan})`);
  // strict_order: when filters reject candidates, keep walking the graph (pgvector ≥ 0.8) up to
  // max_scan_tuples. enable_sort = off: the HNSW scan is the only plan that needs no sort;
  // without it the planner may filter on a b-tree and sort every matching row by distance,
  // which grows linearly with the table. Settings are literals, validated above.
  return `SET LOCAL hnsw.ef_search = ${ef}; SET LOCAL hnsw.iterative_scan = strict_order; SET LOCAL hnsw.max_scan_tuples = ${maxScan}; SET LOCAL enable_sort = off`;
}

/** A SQL literal for a bound value (strings through pg's escaping, numbers checked finite). */
function sqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new ValidationError(`not a finite number: ${value}`);
    return String(value);
  }
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (value instanceof Date) return escapeLiteral(value.toISOString());
  if (Array.isArray(value)) return value.length === 0 ? "'{}'" : `ARRAY[${value.map(sqlLiteral).join(",")}]`;
  return escapeLiteral(String(value));
}

/**
 * Runs the search as ONE simple-protocol message: BEGIN, the SET LOCALs, the query with its
 * values inlined as escaped literals, COMMIT. With parameters it would take four round trips
 * (SET LOCAL needs a transaction and cannot share a parameterized message), and on the embedded
 * database every round trip is a turn of the same event loop — the difference shows in p99.
 */
async function runOnce(pool: Pick<pg.Pool, "connect">, q: NearestQuery, sql: { text: string; values: unknown[] }): Promise<Record<string, unknown>[]> {
  const text = sql.text.replace(/\$(\d+)/g, (_, n: string) => sqlLiteral(sql.values[Number(n) - 1]));
  const client = await pool.connect();
  try {
    const results = (await client.query(`BEGIN; ${searchSettings(q)}; ${text}; COMMIT`)) as unknown as pg.QueryResult[];
    return results.find((r) => r.command === "SELECT" || r.command === "EXPLAIN")?.rows ?? [];
  } catch (e) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}

/** Runs a nearest-neighbour query; rows come back nearest first with their cosine distance. */
export async function searchNearest<T extends Record<string, unknown>>(pool: Pick<pg.Pool, "connect">, q: NearestQuery): Promise<NearestRow<T>[]> {
  let rows = (await runOnce(pool, q, buildNearestQuery(q))) as (T & { distance: unknown })[];
  if (!q.exact && rows.length < q.k) rows = (await runOnce(pool, { ...q, exact: true }, buildNearestQuery({ ...q, exact: true }))) as (T & { distance: unknown })[];
  return rows.map((r) => ({ ...r, distance: Number(r.distance) }));
}

/** The query plan of `searchNearest(q)` under the same settings (to verify index use). */
export async function explainNearest(pool: Pick<pg.Pool, "connect">, q: NearestQuery): Promise<string> {
  const { text, values } = buildNearestQuery(q);
  return (await runOnce(pool, q, { text: `EXPLAIN ${text}`, values })).map((r) => r["QUERY PLAN"]).join("\n");
}
