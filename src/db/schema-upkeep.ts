// Schema upkeep that is not tenant data: the vector indexes a table needs for a model, planner
// statistics, dropping indexes no model uses any more. It runs on the owner's connection (DDL is
// the owner's), so a tenant scope can ask for it without holding that connection itself.
import type pg from "pg";
import { analyzeVectorTable, ensureVectorIndex, releaseEmptyVectorIndexes, type VectorSpace, type VectorTable } from "./vector-index.js";

export interface SchemaUpkeep {
  /** Makes sure `table` has the HNSW index for `space` (created on first use). */
  ensureVectorIndex(table: VectorTable, space: VectorSpace): Promise<void>;
  /** Refreshes the planner statistics of a vector table. */
  analyzeVectorTable(table: VectorTable): Promise<void>;
  /** Drops the indexes of models that no longer have vectors in `table`; returns the models released. */
  releaseEmptyVectorIndexes(table: VectorTable): Promise<string[]>;
}

/** Upkeep on the owner's pool. */
export function createSchemaUpkeep(systemPool: pg.Pool): SchemaUpkeep {
  return {
    ensureVectorIndex: (table, space) => ensureVectorIndex(systemPool, table, space),
    analyzeVectorTable: (table) => analyzeVectorTable(systemPool, table),
    releaseEmptyVectorIndexes: (table) => releaseEmptyVectorIndexes(systemPool, table),
  };
}
