-- Tamper-evident provenance (issue 29): every compiled version records the Merkle root over the
-- content hashes of the traces, patterns, heuristics and demos it was built from. The root sits
-- beside the version's own hash (content_hash) in prompt_versions; the leaves, in canonical
-- order, in version_sources, so verification can say which item changed or is gone.

-- AlterTable
ALTER TABLE "prompt_versions" ADD COLUMN "merkle_root" TEXT;

-- CreateTable
CREATE TABLE "version_sources" (
    "tenant_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "item_id" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "version_sources_pkey" PRIMARY KEY ("tenant_id","name","version","position")
);

-- CreateIndex
CREATE INDEX "version_sources_tenant_id_kind_item_id_idx" ON "version_sources"("tenant_id", "kind", "item_id");

-- Row-level security: the new tenant-owned table gets the tenant policy (see the
-- row_level_security migration).
SELECT meta_agent_enable_tenant_rls('"version_sources"');
