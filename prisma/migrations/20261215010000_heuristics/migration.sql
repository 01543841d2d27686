-- Shared heuristics library (issue 29, seed 004): lessons distilled from the analyzer's findings
-- and from a model's reflections on failed runs, stored once per tenant with the scope they
-- apply to (agents, task keys, tools) and a Q-value learnt by credit assignment from the
-- outcomes of runs whose prompt carried them. The experience-replay buffer holds the recent runs
-- (bounded by heuristics_replay_capacity) the Q-values are replayed from.

-- CreateTable
CREATE TABLE "heuristics" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "source_kind" TEXT NOT NULL,
    "source" JSONB NOT NULL DEFAULT '{}',
    "scope" JSONB NOT NULL DEFAULT '{}',
    "q_value" DOUBLE PRECISION NOT NULL,
    "uses" INTEGER NOT NULL DEFAULT 0,
    "reward_sum" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "status" TEXT NOT NULL DEFAULT 'active',
    "evidence" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "retired_at" TIMESTAMPTZ(3),

    CONSTRAINT "heuristics_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "experience_replay" (
    "tenant_id" TEXT NOT NULL,
    "trace_id" TEXT NOT NULL,
    "seq" BIGINT NOT NULL,
    "agent" TEXT NOT NULL,
    "signature" TEXT NOT NULL,
    "version" TEXT,
    "task" TEXT,
    "heuristic_ids" JSONB NOT NULL DEFAULT '[]',
    "reward" DOUBLE PRECISION NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "experience_replay_pkey" PRIMARY KEY ("tenant_id","trace_id")
);

-- CreateTable
CREATE TABLE "heuristic_watermarks" (
    "tenant_id" TEXT NOT NULL,
    "last_seq" BIGINT NOT NULL DEFAULT 0,
    "reflected" JSONB NOT NULL DEFAULT '[]',

    CONSTRAINT "heuristic_watermarks_pkey" PRIMARY KEY ("tenant_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "heuristics_tenant_id_key_key" ON "heuristics"("tenant_id", "key");

-- CreateIndex
CREATE INDEX "experience_replay_tenant_id_seq_idx" ON "experience_replay"("tenant_id", "seq");

-- Row-level security: the new tenant-owned tables get the tenant policy (see the
-- row_level_security migration).
SELECT meta_agent_enable_tenant_rls('"heuristics"');
SELECT meta_agent_enable_tenant_rls('"experience_replay"');
SELECT meta_agent_enable_tenant_rls('"heuristic_watermarks"');
