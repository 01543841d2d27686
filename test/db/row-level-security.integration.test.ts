// Row-level security on the real embedded Postgres: every tenant-owned table has the policy, and
// a query that forgets its tenant filter, run through a tenant scope (the service's database
// role), sees and writes only that tenant's rows.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { TENANT_ROLE } from "../../src/db/tenant-scope.js";

describe("row-level security", () => {
  let t: TestDatabase;
  const insertTrace = (tenant: string, id: string) =>
    t.db.pool.query(`INSERT INTO traces (tenant_id, id, agent, started_at, content_hash) VALUES ($1, $2, 'support', now(), $2)`, [tenant, id]);

  beforeAll(async () => {
    t = await createTestDatabase();
    for (const tenant of ["acme", "globex"]) await t.db.pool.query(`INSERT INTO tenants (id, name) VALUES ($1, $1)`, [tenant]);
    for (const [tenant, id] of [["acme", "a-1"], ["acme", "a-2"], ["globex", "g-1"]] as const) await insertTrace(tenant, id);
    await t.db.pool.query(`INSERT INTO trace_steps (tenant_id, trace_id, idx, type, name) VALUES ('acme', 'a-1', 0, 'tool_call', 'get_pods'), ('globex', 'g-1', 0, 'tool_call', 'get_logs')`);
  });
  afterAll(async () => t?.close());

  it("covers every table that holds a tenant's rows, and gives the tenant role nothing on api_keys", async () => {
    const { rows: tables } = await t.db.pool.query<{ table_name: string; column_name: string }>(
      `SELECT c.table_name, c.column_name FROM information_schema.columns c
        WHERE c.table_schema = 'public' AND (c.column_name = 'tenant_id' OR (c.table_name = 'tenants' AND c.column_name = 'id'))`,
    );
    expect(tables.length).toBeGreaterThan(15);
    const { rows: secured } = await t.db.pool.query<{ relname: string; relrowsecurity: boolean }>(`SELECT relname, relrowsecurity FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace`);
    const { rows: policies } = await t.db.pool.query<{ tablename: string; roles: string[]; qual: string; with_check: string }>(`SELECT tablename, roles, qual, with_check FROM pg_policies WHERE schemaname = 'public'`);
    for (const { table_name, column_name } of tables) {
      expect(secured.find((s) => s.relname === table_name)?.relrowsecurity, `${table_name} has row-level security`).toBe(true);
      if (table_name === "api_keys") continue;
      const policy = policies.find((p) => p.tablename === table_name);
      expect(policy, `${table_name} has a tenant policy`).toBeDefined();
      expect(String(policy!.roles)).toContain(TENANT_ROLE);
      expect(policy!.qual).toContain(column_name);
      expect(policy!.qual).toContain("meta_agent.tenant");
      expect(policy!.with_check).toContain("meta_agent.tenant");
    }
    const { rows: role } = await t.db.pool.query(`SELECT rolsuper, rolbypassrls, rolcanlogin FROM pg_roles WHERE rolname = $1`, [TENANT_ROLE]);
    expect(role).toEqual([{ rolsuper: false, rolbypassrls: false, rolcanlogin: false }]);
    await expect(t.db.forTenant("acme").pool.query(`SELECT * FROM api_keys`)).rejects.toThrow(/permission denied/);
  });

  it("shows a tenant only its own rows when a query forgets the tenant filter", async () => {
    const acme = t.db.forTenant("acme");
    expect((await acme.pool.query(`SELECT id FROM traces ORDER BY id`)).rows.map((r) => r.id)).toEqual(["a-1", "a-2"]);
    expect((await acme.pool.query(`SELECT name FROM trace_steps`)).rows).toEqual([{ name: "get_pods" }]);
    expect((await acme.pool.query(`SELECT id FROM tenants`)).rows).toEqual([{ id: "acme" }]);
    expect((await t.db.forTenant("globex").pool.query(`SELECT id FROM traces`)).rows).toEqual([{ id: "g-1" }]);
    expect((await t.db.forTenant("initech").pool.query(`SELECT count(*)::int AS n FROM traces`)).rows).toEqual([{ n: 0 }]);
    // Updates and deletes without a filter touch only the tenant's rows.
    expect((await acme.pool.query(`UPDATE traces SET feedback = 'seen'`)).rowCount).toBe(2);
    expect((await t.db.pool.query(`SELECT count(*)::int AS n FROM traces WHERE feedback = 'seen'`)).rows[0].n).toBe(2);
    expect((await t.db.forTenant("initech").pool.query(`DELETE FROM traces`)).rowCount).toBe(0);
  });

  it("refuses to write a row of another tenant", async () => {
    const acme = t.db.forTenant("acme");
    await expect(acme.pool.query(`INSERT INTO traces (tenant_id, id, agent, started_at, content_hash) VALUES ('globex', 'sneaky', 'x', now(), 'h')`)).rejects.toThrow(/row-level security/);
    await expect(acme.pool.query(`UPDATE traces SET tenant_id = 'globex' WHERE id = 'a-1'`)).rejects.toThrow(/row-level security/);
    expect((await t.db.pool.query(`SELECT count(*)::int AS n FROM traces WHERE id = 'sneaky'`)).rows[0].n).toBe(0);
  });

  it("scopes transactions, Prisma and concurrent tenants alike", async () => {
    const acme = t.db.forTenant("acme");
    const client = await acme.pool.connect();
    try {
      await client.query("BEGIN");
      const inside = await client.query(`SELECT current_user AS role, current_setting('meta_agent.tenant', true) AS tenant, count(*)::int AS n FROM traces`);
      expect(inside.rows).toEqual([{ role: TENANT_ROLE, tenant: "acme", n: 2 }]);
      await client.query("COMMIT");
    } finally {
      client.release();
    }
    expect((await acme.prisma.trace.findMany({ select: { id: true }, orderBy: { id: "asc" } })).map((r) => r.id)).toEqual(["a-1", "a-2"]);
    expect(await t.db.forTenant("globex").prisma.trace.count()).toBe(1);
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? acme : t.db.forTenant("globex")).pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM traces`)));
    expect(results.map((r) => r.rows[0]!.n)).toEqual(Array.from({ length: 40 }, (_, i) => (i % 2 ? 2 : 1)));
  });

  it("leaves no role or tenant behind on the shared session once a tenant transaction ends", async () => {
    await t.db.forTenant("acme").pool.query(`SELECT 1`);
    const after = await t.db.pool.query(`SELECT current_user AS role, coalesce(current_setting('meta_agent.tenant', true), '') AS tenant`);
    expect(after.rows).toEqual([{ role: "postgres", tenant: "" }]);
    // A failed statement rolls its transaction back and leaves nothing behind either.
    await expect(t.db.forTenant("acme").pool.query(`SELECT * FROM no_such_table`)).rejects.toThrow();
    expect((await t.db.pool.query(`SELECT current_user AS role`)).rows).toEqual([{ role: "postgres" }]);
  });

  it("refuses a tenant id that is not a slug, and a scope that would change tenant", () => {
    expect(() => t.db.forTenant("acme'; DROP TABLE traces; --")).toThrow(/not a tenant id/);
    expect(() => t.db.forTenant("acme").forTenant("globex")).toThrow(/cannot act for tenant globex/);
  });
});
