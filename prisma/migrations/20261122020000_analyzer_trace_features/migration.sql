-- CreateTable
CREATE TABLE "analyzer_trace_features" (
    "tenant_id" TEXT NOT NULL,
    "trace_id" TEXT NOT NULL,
    "agent" TEXT NOT NULL,
    "seq" BIGINT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "success" BOOLEAN,
    "calls" JSONB NOT NULL DEFAULT '{}',
    "thinking_steps" INTEGER NOT NULL DEFAULT 0,
    "thinking_chars" INTEGER NOT NULL DEFAULT 0,
    "justified_steps" INTEGER NOT NULL DEFAULT 0,
    "duration_ms" DOUBLE PRECISION,
    "tokens" INTEGER NOT NULL DEFAULT 0,
    "cost_usd" DOUBLE PRECISION,

    CONSTRAINT "analyzer_trace_features_pkey" PRIMARY KEY ("tenant_id","trace_id")
);

-- CreateIndex
CREATE INDEX "analyzer_trace_features_tenant_id_agent_started_at_idx" ON "analyzer_trace_features"("tenant_id", "agent", "started_at");

-- AddForeignKey
ALTER TABLE "analyzer_trace_features" ADD CONSTRAINT "analyzer_trace_features_tenant_id_trace_id_fkey" FOREIGN KEY ("tenant_id", "trace_id") REFERENCES "traces"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;
