// Per-dimension HNSW cosine indexes on the dimension-free `embedding` columns, and the rule that
// one index never mixes embedding models. Vector columns are plain `vector` so a table can hold
// any model; HNSW needs a fixed dimension, so each index covers one dimension through a cast and
// a partial predicate (`WHERE dim = N`). Queries must use `indexedExpression(dim)` verbatim or
// the planner cannot match the expression index.
import type pg from "pg";
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

/** Another model already owns the index for this table and dimension. */
export class EmbeddingModelMismatchError extends UnrecoverableError {
  constructor(table: VectorTable, dim: number, owner: string, requested: string) {
    super(
      "embedding_model_mismatch",
      `${table} already holds ${dim}-dimensional vectors from embedding model "${owner}"; refusing vectors from "${requested}" in the same index. ` +
        `Use the same embedding model (EMBEDDINGS_MODEL), or clear that table's vectors and re-index.`,
      { status: 409, details: { table, dim, indexedModel: owner, requestedModel: requested } },
    );
  }
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

export function indexName(table: VectorTable, dim: number): string {
  return `${table}_embedding_${dim}_hnsw`;
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

// Ensured (table, dim, model) triples per pool: the check costs a transaction, so it runs once.
const ensured = new WeakMap<object, Map<string, Promise<void>>>();

/**
 * Makes sure `table` has an HNSW cosine index for `space.dim` owned by `space.model`, creating
 * it on first use. Throws EmbeddingModelMismatchError when another model owns that index.
 * Concurrent callers (even in other processes) serialize on the registry row.
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
    // A failed claim (mismatch, lost connection) is retried by the next caller, not cached.
    pending.catch(() => perPool.delete(key));
  }
  return pending;
}

async function claimIndex(pool: Queryable, table: VectorTable, space: VectorSpace): Promise<void> {
  const name = indexName(table, space.dim);
  await withTransaction(pool, async (client) => {
    await client.query(
      `INSERT INTO "vector_indexes" ("table_name", "dim", "model", "index_name") VALUES ($1, $2, $3, $4) ON CONFLICT ("table_name", "dim") DO NOTHING`,
      [table, space.dim, space.model, name],
    );
    const owner = await client.query<{ model: string }>(`SELECT "model" FROM "vector_indexes" WHERE "table_name" = $1 AND "dim" = $2 FOR UPDATE`, [table, space.dim]);
    const ownerModel = owner.rows[0]?.model ?? space.model;
    if (ownerModel !== space.model) throw new EmbeddingModelMismatchError(table, space.dim, ownerModel, space.model);
    // Rows written before the registry existed (or by hand) must agree too.
    const stray = await client.query<{ model: string }>(`SELECT "model" FROM "${table}" WHERE "dim" = $1 AND "model" <> $2 LIMIT 1`, [space.dim, space.model]);
    if (stray.rows[0]) throw new EmbeddingModelMismatchError(table, space.dim, stray.rows[0].model, space.model);
    const ops = space.dim <= MAX_VECTOR_DIM ? "vector_cosine_ops" : "halfvec_cosine_ops";
    await client.query(`CREATE INDEX IF NOT EXISTS "${name}" ON "${table}" USING hnsw (${indexedExpression(space.dim)} ${ops}) WHERE "dim" = ${space.dim}`);
  });
}

/**
 * Forgets which model owns `table`'s indexes once it holds no vectors of that dimension, so a
 * table can move to another embedding model after its rows were cleared (e.g. a full re-index).
 */
export async function releaseEmptyVectorIndexes(pool: Queryable, table: VectorTable): Promise<void> {
  assertTable(table);
  await pool.query(`DELETE FROM "vector_indexes" v WHERE v."table_name" = $1 AND NOT EXISTS (SELECT 1 FROM "${table}" t WHERE t."dim" = v."dim")`, [table]);
  ensured.delete(pool);
}

/**
 * Refreshes the planner statistics of a vector table. The embedded database has no autovacuum
 * daemon, and without statistics the planner may prefer a sorted scan to the HNSW index.
 */
export async function analyzeVectorTable(pool: Pick<pg.Pool, "query">, table: VectorTable): Promise<void> {
  assertTable(table);
  await pool.query(`ANALYZE "${table}"`);
}
