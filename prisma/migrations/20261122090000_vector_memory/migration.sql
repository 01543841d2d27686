-- AlterTable
ALTER TABLE "trace_embeddings" ADD COLUMN     "signature" TEXT,
ADD COLUMN     "trace_seq" BIGINT NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "vector_indexes" (
    "table_name" TEXT NOT NULL,
    "dim" INTEGER NOT NULL,
    "model" TEXT NOT NULL,
    "index_name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "vector_indexes_pkey" PRIMARY KEY ("table_name","dim")
);

-- CreateIndex
CREATE INDEX "trace_embeddings_tenant_id_signature_idx" ON "trace_embeddings"("tenant_id", "signature");
