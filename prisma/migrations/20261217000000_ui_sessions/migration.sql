-- Dashboard sessions: signing in to /ui with an API key gives the browser a random opaque token
-- (the cookie), never the key itself. Only the token's SHA-256 is stored, with the tenant, the
-- key it was opened with (a revoked key ends its sessions) and when it expires (ui_session_ttl).
-- Sign-out deletes the row; expired rows are purged at the next sign-in.

-- CreateTable
CREATE TABLE "ui_sessions" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "api_key_id" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ui_sessions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ui_sessions_token_hash_key" ON "ui_sessions"("token_hash");

-- CreateIndex
CREATE INDEX "ui_sessions_tenant_id_idx" ON "ui_sessions"("tenant_id");

-- CreateIndex
CREATE INDEX "ui_sessions_api_key_id_idx" ON "ui_sessions"("api_key_id");

-- CreateIndex
CREATE INDEX "ui_sessions_expires_at_idx" ON "ui_sessions"("expires_at");

-- AddForeignKey
ALTER TABLE "ui_sessions" ADD CONSTRAINT "ui_sessions_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ui_sessions" ADD CONSTRAINT "ui_sessions_api_key_id_fkey" FOREIGN KEY ("api_key_id") REFERENCES "api_keys"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Row-level security: the tenant policy like every tenant-owned table (see the row_level_security
-- migration). Sessions are found by their token before any tenant is known, so that lookup is
-- system work on the owner's connection, like API keys (src/tenancy/authenticate-ui-session.ts).
SELECT meta_agent_enable_tenant_rls('"ui_sessions"');
