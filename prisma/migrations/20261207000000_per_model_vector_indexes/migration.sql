-- One HNSW index per (table, dimension, embedding model) instead of per (table, dimension): two
-- embedders of the same dimension no longer refuse each other, and a table can hold an old
-- model's vectors beside the new one's while `meta-agent embeddings reembed` converts them
-- (lookups filter on "model", so old vectors are never compared with new ones).
-- The per-dimension indexes are dropped; src/db/vector-index.ts recreates a per-model index on
-- first use of each (table, dimension, model).
DO $$
DECLARE r RECORD;
BEGIN
  FOR r IN SELECT "index_name" FROM "vector_indexes" LOOP
    EXECUTE format('DROP INDEX IF EXISTS %I', r."index_name");
  END LOOP;
END $$;
DROP INDEX IF EXISTS "cache_entries_embedding_384_hnsw";
DROP INDEX IF EXISTS "library_chunks_embedding_384_hnsw";
DROP INDEX IF EXISTS "trace_embeddings_embedding_384_hnsw";
DELETE FROM "vector_indexes";

-- AlterTable
ALTER TABLE "vector_indexes" DROP CONSTRAINT "vector_indexes_pkey",
ADD CONSTRAINT "vector_indexes_pkey" PRIMARY KEY ("table_name", "dim", "model");

-- Re-embedding and status count a table's vectors by model.
CREATE INDEX "cache_entries_model_dim_idx" ON "cache_entries"("model", "dim");
CREATE INDEX "library_chunks_model_dim_idx" ON "library_chunks"("model", "dim");
CREATE INDEX "trace_embeddings_model_dim_idx" ON "trace_embeddings"("model", "dim");
