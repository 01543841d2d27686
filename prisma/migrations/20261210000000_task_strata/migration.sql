-- Findings that compare like with like (issue 21). A trace can carry a task key: the stratum its
-- run is compared within. Patterns keep the kind of their evidence (direct: a tool's own errors;
-- association: runs that do X succeed more or less), the adjusted (within-strata) effect beside
-- the crude one, and the stronger finding an implied one is attached to. Each run stores the
-- groups it compared within (task keys, or intents found by clustering inputs).

-- AlterTable
ALTER TABLE "traces" ADD COLUMN "task" TEXT;

-- AlterTable
ALTER TABLE "analyzer_trace_features" ADD COLUMN "task" TEXT;

-- AlterTable
ALTER TABLE "patterns" ADD COLUMN "evidence_kind" TEXT NOT NULL DEFAULT 'association',
ADD COLUMN "adjusted_effect" DOUBLE PRECISION,
ADD COLUMN "adjusted_p_value" DOUBLE PRECISION,
ADD COLUMN "implied_by" TEXT;

-- CreateTable
CREATE TABLE "analysis_strata" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "run_id" TEXT NOT NULL,
    "agent" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "labelled" INTEGER NOT NULL DEFAULT 0,
    "successes" INTEGER NOT NULL DEFAULT 0,
    "examples" JSONB NOT NULL DEFAULT '[]',

    CONSTRAINT "analysis_strata_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "analysis_strata_run_id_key_key" ON "analysis_strata"("run_id", "key");

-- CreateIndex
CREATE INDEX "analysis_strata_tenant_id_agent_idx" ON "analysis_strata"("tenant_id", "agent");

-- AddForeignKey
ALTER TABLE "analysis_strata" ADD CONSTRAINT "analysis_strata_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "analysis_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Feature rows gained the task key and the texts of failed calls: every agent's next run is a
-- full one that extracts them.
DELETE FROM "analyzer_trace_features";
DELETE FROM "analyzer_state";

-- Row-level security: the new tenant-owned table gets the tenant policy (see the
-- row_level_security migration).
SELECT meta_agent_enable_tenant_rls('"analysis_strata"');
