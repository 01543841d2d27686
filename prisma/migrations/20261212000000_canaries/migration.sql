-- Canary releases (issue 27): a promoted candidate first serves a share of a signature's traffic
-- while a sequential test watches it. One row per canary: the two arms, the settings it was
-- started with (so a restart or a config change does not alter a test in flight), its status
-- (running → deciding → promoted | rolled_back | stopped) and the decision with its evidence and
-- commit. The runs of each arm are the traces that carry the canary's id in their metadata.

-- CreateTable
CREATE TABLE "canaries" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "signature" TEXT NOT NULL,
    "incumbent_version" TEXT NOT NULL,
    "candidate_version" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "settings" JSONB NOT NULL DEFAULT '{}',
    "decision" JSONB,
    "commit_sha" TEXT,
    "claimed_by" TEXT,
    "claimed_at" TIMESTAMPTZ(3),
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decided_at" TIMESTAMPTZ(3),

    CONSTRAINT "canaries_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "canaries_tenant_id_signature_status_idx" ON "canaries"("tenant_id", "signature", "status");

SELECT meta_agent_enable_tenant_rls('"canaries"');
