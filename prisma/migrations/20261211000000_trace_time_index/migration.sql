-- The newest traces of a tenant, by index (issue 28): the trace list pages by (started_at, id)
-- keyset cursors, newest first, and the dashboard's daily aggregation reads a time window. Without
-- it every page sorted all of the tenant's traces.

-- CreateIndex
CREATE INDEX "traces_tenant_id_started_at_id_idx" ON "traces"("tenant_id", "started_at", "id");
