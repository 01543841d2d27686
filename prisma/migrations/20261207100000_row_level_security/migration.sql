-- Row-level security: the database itself keeps tenants apart. The service does all tenant work as
-- the role meta_agent_app inside transactions that set meta_agent.tenant (src/db/tenant-scope.ts);
-- on every tenant-owned table a policy for that role shows and accepts only rows of the tenant
-- set in the transaction. A query that forgets its WHERE tenant_id returns nothing of another
-- tenant; a write for another tenant is refused. The role owns nothing and cannot bypass RLS.
-- The connecting user (the tables' owner) keeps full access for migrations, authentication and
-- cross-tenant upkeep, which the service does only in the few places it names as system work.
-- Policies here are not modelled in schema.prisma (Prisma has no syntax for them).

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'meta_agent_app') THEN
    CREATE ROLE meta_agent_app NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
  END IF;
END
$$;

-- The service's own login (a superuser on the embedded database, the tables' owner on a
-- PostgreSQL server) must be able to SET ROLE to it.
DO $$
BEGIN
  IF NOT pg_has_role(current_user, 'meta_agent_app', 'MEMBER') THEN
    EXECUTE format('GRANT meta_agent_app TO %I', current_user);
  END IF;
END
$$;

GRANT USAGE ON SCHEMA public TO meta_agent_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO meta_agent_app;
-- Which vector indexes exist: not tenant data; created and dropped by system upkeep only.
GRANT SELECT ON "vector_indexes" TO meta_agent_app;

-- Later migrations that add a tenant-owned table call this for it (a test checks that every
-- table with a tenant column has the policy).
CREATE OR REPLACE FUNCTION meta_agent_enable_tenant_rls(tbl regclass, tenant_column text DEFAULT 'tenant_id') RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tbl);
  EXECUTE format('DROP POLICY IF EXISTS tenant_isolation ON %s', tbl);
  EXECUTE format(
    'CREATE POLICY tenant_isolation ON %s TO meta_agent_app USING (%I = current_setting(''meta_agent.tenant'', true)) WITH CHECK (%I = current_setting(''meta_agent.tenant'', true))',
    tbl, tenant_column, tenant_column);
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO meta_agent_app', tbl);
END
$$;

SELECT meta_agent_enable_tenant_rls('"tenants"', 'id');
SELECT meta_agent_enable_tenant_rls(t::regclass) FROM unnest(ARRAY[
  'traces', 'trace_steps', 'analysis_runs', 'patterns', 'analyzer_state', 'analyzer_trace_features',
  'prompt_versions', 'guideline_events', 'learning_cycles', 'learning_watermarks', 'tasks',
  'cache_entries', 'library_documents', 'library_chunks', 'trace_embeddings'
]) AS t;

-- API keys are read only by authentication, before any tenant is known: system work. The tenant
-- role gets no grant at all, and RLS without a policy for it would show it nothing anyway.
ALTER TABLE "api_keys" ENABLE ROW LEVEL SECURITY;
