// Per-model HNSW cosine indexes on the dimension-free `embedding` columns. Vector columns are
// plain `vector` so a table can hold any model; HNSW needs a fixed dimension, so each index covers
// one (dimension, model) pair through a cast and a partial predicate (`WHERE dim = N AND model =
// 'm'`). Two embedders of the same dimension thus get separate indexes, and a table can hold the
// old model's vectors beside the new one's while `meta-agent embeddings reembed` converts them.
// Queries must use `indexedExpression(dim)` verbatim and filter the same dim and model, or the
// planner cannot match the index.
import { createHash } from "node:crypto";
import pg from "pg";
import { AppError, UnrecoverableError, ValidationError } from "../errors.js";
import { withTransaction } from "./transaction.js";

/** The tables that carry `model`, `dim` and `embedding` columns. */
export const VECTOR_TABLES = ["cache_entries", "library_chunks", "trace_embeddings"] as const;
export type VectorTable = (typeof VECTOR_TABLES)[number];

/** pgvector's HNSW limits: `vector` indexes up to 2,000 dimensions, `halfvec` up to 4,000. */
const MAX_VECTOR_DIM = 2000;
const MAX_HALFVEC_DIM = 4000;

/** An embedding model and its dimension, as recorded with every stored vector. */
export interface VectorSpace {
  model: string;
  dim: number;
}

/** The expression the index is built on and every query must order by. */
export function indexedExpression(dim: number): string {
  assertDimension(dim);
  return dim <= MAX_VECTOR_DIM ? `("embedding"::vector(${dim}))` : `("embedding"::halfvec(${dim}))`;
}

/** The query-side cast matching `indexedExpression` for parameter `$n`. */
export function queryVectorCast(param: string, dim: number): string {
  return dim <= MAX_VECTOR_DIM ? `${param}::vector(${dim})` : `${param}::halfvec(${dim})`;
}

/** The index of one (dimension, model) pair: the model id enters as a short hash (names are at most 63 bytes). */
export function indexName(table: VectorTable, dim: number, model: string): string {
  return `${table}_embedding_${dim}_${createHash("sha256").update(model).digest("hex").slice(0, 10)}_hnsw`;
}

/** Serializes a vector for pgvector, refusing NaN/Infinity and wrong lengths with a clear error. */
export function vectorLiteral(vector: readonly number[], dim: number): string {
  if (vector.length !== dim) throw new ValidationError(`embedding has ${vector.length} dimensions; expected ${dim}`);
  for (let i = 0; i < vector.length; i++) {
    if (!Number.isFinite(vector[i])) throw new ValidationError(`embedding[${i}] is not a finite number`);
  }
  return `[${vector.join(",")}]`;
}

function assertDimension(dim: number): void {
  if (!Number.isInteger(dim) || dim < 1 || dim > MAX_HALFVEC_DIM) {
    throw new UnrecoverableError("unsupported_embedding_dimension", `embedding dimension ${dim} is not supported: HNSW indexes take 1 to ${MAX_HALFVEC_DIM} dimensions`);
  }
}

function assertTable(table: string): asserts table is VectorTable {
  // Table names are interpolated into SQL, so only the known tables are accepted.
  if (!(VECTOR_TABLES as readonly string[]).includes(table)) throw new AppError("unknown_vector_table", `not a vector table: ${table}`);
}

type Queryable = Pick<pg.Pool, "query" | "connect">;
const { escapeLiteral } = pg;

// Ensured (table, dim, model) triples per pool: the check costs a transaction, so it runs once.
const ensured = new WeakMap<object, Map<string, Promise<void>>>();

/**
 * Makes sure `table` has an HNSW cosine index for `space` (its dimension and model), creating it
 * on first use. Concurrent callers (even in other processes) serialize on the registry row.
 */
export function ensureVectorIndex(pool: Queryable, table: VectorTable, space: VectorSpace): Promise<void> {
  assertTable(table);
  assertDimension(space.dim);
  let perPool = ensured.get(pool);
  if (!perPool) ensured.set(pool, (perPool = new Map()));
  const key = `${table}\u0000${space.dim}\u0000${space.model}`;
  let pending = perPool.get(key);
  if (!pending) {
    pending = claimIndex(pool, table, space);
    perPool.set(key, pending);
    // A failed claim (lost connection) is retried by the next caller, not cached.
    pending.catch(() => perPool.delete(key));
  }
  return pending;
}

async function claimIndex(pool: Queryable, table: VectorTable, space: VectorSpace): Promise<void> {
  if (space.model.length === 0) throw new ValidationError("an embedding model id must not be empty");
  const name = indexName(table, space.dim, space.model);
  await withTransaction(pool, async (client) => {
    await client.query(
      `INSERT INTO "vector_indexes" ("table_name", "dim", "model", "index_name") VALUES ($1, $2, $3, $4) ON CONFLICT ("table_name", "dim", "model") DO NOTHING`,
      [table, space.dim, space.model, name],
    );
    // The row lock serializes concurrent creators of the same index.
    await client.query(`SELECT 1 FROM "vector_indexes" WHERE "table_name" = $1 AND "dim" = $2 AND "model" = $3 FOR UPDATE`, [table, space.dim, space.model]);
    const ops = space.dim <= MAX_VECTOR_DIM ? "vector_cosine_ops" : "halfvec_cosine_ops";
    // The model id is a literal in the predicate (DDL takes no parameters): escaped by pg.
    await client.query(`CREATE INDEX IF NOT EXISTS "${name}" ON "${table}" USING hnsw (${indexedExpression(space.dim)} ${ops}) WHERE "dim" = ${space.dim} AND "model" = ${escapeLiteral(space.model)}`);
  });
}

/**
 * Drops the indexes of models that no longer have vectors in `table` (after a re-embed or a
 * rebuild moved them to another model), and forgets them. Returns the models released.
 */
export async function releaseEmptyVectorIndexes(pool: Queryable, table: VectorTable): Promise<string[]> {
  assertTable(table);
  const empty = await pool.query<{ dim: number; model: string; index_name: string }>(
    `SELECT v."dim", v."model", v."index_name" FROM "vector_indexes" v WHERE v."table_name" = $1 AND NOT EXISTS (SELECT 1 FROM "${table}" t WHERE t."dim" = v."dim" AND t."model" = v."model")`,
    [table],
  );
  for (const row of empty.rows) {
    await withTransaction(pool, async (client) => {
      // Re-checked under the row lock: a writer may have claimed the index since.
      const gone = await client.query(`DELETE FROM "vector_indexes" v WHERE v."table_name" = $1 AND v."dim" = $2 AND v."model" = $3 AND NOT EXISTS (SELECT 1 FROM "${table}" t WHERE t."dim" = v."dim" AND t."model" = v."model")`, [table, row.dim, row.model]);
      if (gone.rowCount) await client.query(`DROP INDEX IF EXISTS "${row.index_name.replace(/"/g, "")}"`);
    });
  }
  ensured.delete(pool);
  return empty.rows.map((r) => r.model);
}

/**
 * Refreshes the planner statistics of a vector table. The embedded database has no autovacuum
 * daemon, and without statistics the planner may prefer a sorted scan to the HNSW index.
 */
export async function analyzeVectorTable(pool: Pick<pg.Pool, "query">, table: VectorTable): Promise<void> {
  assertTable(table);
  await pool.query(`ANALYZE "${table}"`);
}
