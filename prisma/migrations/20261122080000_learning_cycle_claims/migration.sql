-- AlterTable
ALTER TABLE "learning_cycles" ADD COLUMN     "agent" TEXT,
ADD COLUMN     "heartbeat_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "learning_watermarks" (
    "tenant_id" TEXT NOT NULL,
    "signature" TEXT NOT NULL,
    "last_seq" BIGINT NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "learning_watermarks_pkey" PRIMARY KEY ("tenant_id","signature")
);

-- At most one running cycle per tenant, across processes. A partial index cannot be written in
-- schema.prisma, so it lives only here (the schema-drift check ignores partial indexes). It is
-- what makes the claim exclusive on the embedded database, whose single session makes advisory
-- locks re-entrant.
CREATE UNIQUE INDEX "learning_cycles_one_running_per_tenant" ON "learning_cycles"("tenant_id") WHERE "status" = 'running';
