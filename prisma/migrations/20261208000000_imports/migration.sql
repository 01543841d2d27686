-- One row per upload to POST /v1/import: written when the upload starts and updated after every
-- database write, so an upload that is cut off still says what was stored (GET /v1/imports/:id).

-- CreateTable
CREATE TABLE "imports" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "total" INTEGER NOT NULL DEFAULT 0,
    "imported" INTEGER NOT NULL DEFAULT 0,
    "updated" INTEGER NOT NULL DEFAULT 0,
    "skipped" INTEGER NOT NULL DEFAULT 0,
    "invalid" INTEGER NOT NULL DEFAULT 0,
    "errors" JSONB NOT NULL DEFAULT '[]',
    "error" TEXT,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "imports_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "imports_tenant_id_started_at_idx" ON "imports"("tenant_id", "started_at");

-- Tenant-owned: the row-level security policy of every such table (20261207100000_row_level_security).
SELECT meta_agent_enable_tenant_rls('"imports"');
