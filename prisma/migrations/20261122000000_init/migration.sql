-- CreateExtension
CREATE EXTENSION IF NOT EXISTS "vector";

-- CreateTable
CREATE TABLE "tenants" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tenants_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_keys" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "key_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "traces" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "schema_version" INTEGER NOT NULL DEFAULT 1,
    "agent" TEXT NOT NULL,
    "signature" TEXT,
    "prompt_version" TEXT,
    "problem_id" TEXT,
    "problem" JSONB,
    "input" JSONB,
    "output" JSONB,
    "success" BOOLEAN,
    "score" DOUBLE PRECISION,
    "feedback" TEXT,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "ended_at" TIMESTAMPTZ(3),
    "duration_ms" DOUBLE PRECISION,
    "prompt_tokens" INTEGER NOT NULL DEFAULT 0,
    "completion_tokens" INTEGER NOT NULL DEFAULT 0,
    "cost_usd" DOUBLE PRECISION,
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "parent_trace_id" TEXT,
    "step_count" INTEGER NOT NULL DEFAULT 0,
    "content_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "traces_pkey" PRIMARY KEY ("tenant_id","id")
);

-- CreateTable
CREATE TABLE "trace_steps" (
    "tenant_id" TEXT NOT NULL,
    "trace_id" TEXT NOT NULL,
    "idx" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "name" TEXT,
    "arguments" JSONB,
    "success" BOOLEAN,
    "response" TEXT,
    "error" TEXT,
    "duration_ms" DOUBLE PRECISION,
    "reasoning" TEXT,
    "tool_choice" TEXT,
    "justification" TEXT,
    "model" TEXT,
    "prompt_tokens" INTEGER,
    "completion_tokens" INTEGER,
    "messages" JSONB,
    "started_at" TIMESTAMPTZ(3),

    CONSTRAINT "trace_steps_pkey" PRIMARY KEY ("tenant_id","trace_id","idx")
);

-- CreateTable
CREATE TABLE "analysis_runs" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "agent" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "mode" TEXT NOT NULL,
    "window_start" TIMESTAMPTZ(3),
    "window_end" TIMESTAMPTZ(3),
    "from_seq" BIGINT NOT NULL DEFAULT 0,
    "to_seq" BIGINT NOT NULL DEFAULT 0,
    "traces_read" INTEGER NOT NULL DEFAULT 0,
    "total_traces" INTEGER NOT NULL DEFAULT 0,
    "stats" JSONB NOT NULL DEFAULT '{}',
    "error" TEXT,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "analysis_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "patterns" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "run_id" TEXT NOT NULL,
    "agent" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "recommendations" JSONB NOT NULL DEFAULT '[]',
    "support" INTEGER NOT NULL,
    "frequency" DOUBLE PRECISION NOT NULL,
    "effect" DOUBLE PRECISION NOT NULL,
    "baseline" DOUBLE PRECISION NOT NULL,
    "confidence" DOUBLE PRECISION NOT NULL,
    "p_value" DOUBLE PRECISION,
    "actionable" BOOLEAN NOT NULL DEFAULT false,
    "change" TEXT NOT NULL DEFAULT 'new',
    "evidence" JSONB NOT NULL DEFAULT '{}',
    "stats" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "patterns_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "analyzer_state" (
    "tenant_id" TEXT NOT NULL,
    "agent" TEXT NOT NULL,
    "last_seq" BIGINT NOT NULL DEFAULT 0,
    "aggregates" JSONB NOT NULL DEFAULT '{}',
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "analyzer_state_pkey" PRIMARY KEY ("tenant_id","agent")
);

-- CreateTable
CREATE TABLE "prompt_versions" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "parent" TEXT,
    "commit_sha" TEXT,
    "branch" TEXT,
    "content_hash" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "score" DOUBLE PRECISION,
    "parent_score" DOUBLE PRECISION,
    "summary" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "promoted_at" TIMESTAMPTZ(3),

    CONSTRAINT "prompt_versions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "guideline_events" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "signature" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "guideline" TEXT NOT NULL,
    "pattern_id" TEXT,
    "confidence" DOUBLE PRECISION,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "guideline_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "learning_cycles" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "traces_read" INTEGER NOT NULL DEFAULT 0,
    "patterns_found" INTEGER NOT NULL DEFAULT 0,
    "candidates_tried" INTEGER NOT NULL DEFAULT 0,
    "llm_calls" INTEGER NOT NULL DEFAULT 0,
    "tokens" INTEGER NOT NULL DEFAULT 0,
    "versions_produced" JSONB NOT NULL DEFAULT '[]',
    "verdicts" JSONB NOT NULL DEFAULT '[]',
    "timings" JSONB NOT NULL DEFAULT '{}',
    "errors" JSONB NOT NULL DEFAULT '[]',
    "reason" TEXT,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "learning_cycles_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tasks" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "budget_tokens" INTEGER NOT NULL,
    "used_tokens" INTEGER NOT NULL DEFAULT 0,
    "status" TEXT NOT NULL,
    "answer" TEXT,
    "root_trace_id" TEXT,
    "result" JSONB NOT NULL DEFAULT '{}',
    "latency_ms" DOUBLE PRECISION,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "tasks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "cache_entries" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "signature" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "input_hash" TEXT NOT NULL,
    "input_text" TEXT NOT NULL,
    "output" JSONB NOT NULL,
    "model" TEXT NOT NULL,
    "dim" INTEGER NOT NULL,
    "embedding" vector,
    "hits" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3),

    CONSTRAINT "cache_entries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "library_documents" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "content_hash" TEXT NOT NULL,
    "media_type" TEXT NOT NULL,
    "chunk_count" INTEGER NOT NULL DEFAULT 0,
    "indexed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "library_documents_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "library_chunks" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "document_id" TEXT NOT NULL,
    "idx" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "page" INTEGER,
    "model" TEXT NOT NULL,
    "dim" INTEGER NOT NULL,
    "embedding" vector,

    CONSTRAINT "library_chunks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "trace_embeddings" (
    "tenant_id" TEXT NOT NULL,
    "trace_id" TEXT NOT NULL,
    "agent" TEXT NOT NULL,
    "success" BOOLEAN,
    "model" TEXT NOT NULL,
    "dim" INTEGER NOT NULL,
    "embedding" vector,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "trace_embeddings_pkey" PRIMARY KEY ("tenant_id","trace_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_key_hash_key" ON "api_keys"("key_hash");

-- CreateIndex
CREATE INDEX "api_keys_tenant_id_idx" ON "api_keys"("tenant_id");

-- CreateIndex
CREATE UNIQUE INDEX "traces_seq_key" ON "traces"("seq");

-- CreateIndex
CREATE INDEX "traces_tenant_id_agent_started_at_idx" ON "traces"("tenant_id", "agent", "started_at");

-- CreateIndex
CREATE INDEX "traces_tenant_id_signature_prompt_version_idx" ON "traces"("tenant_id", "signature", "prompt_version");

-- CreateIndex
CREATE INDEX "traces_tenant_id_parent_trace_id_idx" ON "traces"("tenant_id", "parent_trace_id");

-- CreateIndex
CREATE INDEX "trace_steps_tenant_id_type_name_idx" ON "trace_steps"("tenant_id", "type", "name");

-- CreateIndex
CREATE INDEX "analysis_runs_tenant_id_agent_started_at_idx" ON "analysis_runs"("tenant_id", "agent", "started_at");

-- CreateIndex
CREATE UNIQUE INDEX "patterns_run_id_key_key" ON "patterns"("run_id", "key");

-- CreateIndex
CREATE INDEX "patterns_tenant_id_agent_type_idx" ON "patterns"("tenant_id", "agent", "type");

-- CreateIndex
CREATE UNIQUE INDEX "prompt_versions_tenant_id_name_version_key" ON "prompt_versions"("tenant_id", "name", "version");

-- CreateIndex
CREATE INDEX "prompt_versions_tenant_id_name_created_at_idx" ON "prompt_versions"("tenant_id", "name", "created_at");

-- CreateIndex
CREATE INDEX "guideline_events_tenant_id_signature_created_at_idx" ON "guideline_events"("tenant_id", "signature", "created_at");

-- CreateIndex
CREATE INDEX "learning_cycles_tenant_id_started_at_idx" ON "learning_cycles"("tenant_id", "started_at");

-- CreateIndex
CREATE INDEX "tasks_tenant_id_created_at_idx" ON "tasks"("tenant_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "cache_entries_tenant_id_signature_version_input_hash_key" ON "cache_entries"("tenant_id", "signature", "version", "input_hash");

-- CreateIndex
CREATE UNIQUE INDEX "library_documents_tenant_id_path_key" ON "library_documents"("tenant_id", "path");

-- CreateIndex
CREATE INDEX "library_chunks_tenant_id_document_id_idx" ON "library_chunks"("tenant_id", "document_id");

-- CreateIndex
CREATE INDEX "trace_embeddings_tenant_id_agent_idx" ON "trace_embeddings"("tenant_id", "agent");

-- AddForeignKey
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "traces" ADD CONSTRAINT "traces_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "trace_steps" ADD CONSTRAINT "trace_steps_tenant_id_trace_id_fkey" FOREIGN KEY ("tenant_id", "trace_id") REFERENCES "traces"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "patterns" ADD CONSTRAINT "patterns_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "analysis_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "library_chunks" ADD CONSTRAINT "library_chunks_document_id_fkey" FOREIGN KEY ("document_id") REFERENCES "library_documents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Vector indexes (not expressible in schema.prisma). Vector columns are dimension-free so one
-- table can hold any embedding model; HNSW needs a fixed dimension, so each index covers one
-- dimension through a cast and a partial predicate. 384 is the built-in embedder's dimension;
-- src/db/vector-index.ts creates the same shape for other dimensions on first use.
CREATE INDEX "cache_entries_embedding_384_hnsw" ON "cache_entries" USING hnsw (("embedding"::vector(384)) vector_cosine_ops) WHERE "dim" = 384;
CREATE INDEX "library_chunks_embedding_384_hnsw" ON "library_chunks" USING hnsw (("embedding"::vector(384)) vector_cosine_ops) WHERE "dim" = 384;
CREATE INDEX "trace_embeddings_embedding_384_hnsw" ON "trace_embeddings" USING hnsw (("embedding"::vector(384)) vector_cosine_ops) WHERE "dim" = 384;

-- Seed: the tenant used when no API keys are configured.
INSERT INTO "tenants" ("id", "name") VALUES ('default', 'Default tenant') ON CONFLICT DO NOTHING;
