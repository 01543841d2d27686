import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import type { AutovacuumPass } from "../../src/db/embedded-autovacuum.js";

// The embedded database (PGlite) has no autovacuum workers; the service runs Postgres's
// autovacuum rules itself. Naptime 0 here: the test drives the passes.
describe("embedded database autovacuum", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase({ META_AGENT_EMBEDDED_AUTOVACUUM_NAPTIME_MS: "0" });
  });
  afterAll(async () => t?.close());

  /** Table statistics reach pg_stat_user_tables within about a second; pass until the table shows up. */
  async function passUntil(table: string, want: "vacuum" | "analyze"): Promise<AutovacuumPass> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const pass = await t.db.autovacuum!.runOnce();
      if (pass.actions.some((a) => a.table === table && a[want])) return pass;
      if (Date.now() > deadline) throw new Error(`no ${want} of ${table} within 10 s: ${JSON.stringify(pass.actions)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  const planOf = async (client: { query: (sql: string) => Promise<{ rows: Record<string, string>[] }> }) =>
    (await client.query("EXPLAIN EXECUTE trace_by_id('default', 't-1')")).rows.map((r) => r["QUERY PLAN"]).join("\n");

  it("replaces a plan cached while a table was empty once the table has grown (ANALYZE)", async () => {
    expect(t.db.autovacuum).toBeDefined();
    const client = await t.db.pool.connect();
    try {
      // The shape of a foreign-key check: a parameterised lookup planned once, reused forever.
      await client.query("SET plan_cache_mode = force_generic_plan");
      await client.query("PREPARE trace_by_id(text, text) AS SELECT 1 FROM traces WHERE tenant_id = $1 AND id = $2");
      const before = await planOf(client);
      await client.query(`INSERT INTO traces (tenant_id, id, agent, started_at, content_hash)
                          SELECT 'default', 't-' || g, 'agent', now(), 'h' FROM generate_series(1, 5000) g`);
      const stale = await planOf(client);
      const pass = await passUntil("traces", "analyze");
      expect(pass.actions.find((a) => a.table === "traces")?.reasons.join()).toMatch(/changes since analyze/);
      const fresh = await planOf(client);
      // Planned on an empty table, the lookup walks every row of the tenant and filters by id
      // (seen: an index on tenant_id alone, or the (tenant_id, started_at, id) index checking id on
      // every entry); after ANALYZE it is a primary-key probe.
      expect(before).toBe(stale);
      expect(stale).not.toMatch(/traces_pkey/);
      expect(stale).toMatch(/Filter: \(id = \$2\)|Seq Scan on traces|Index Cond: \(\(tenant_id = \$1\) AND \(id = \$2\)\)/);
      expect(fresh).toMatch(/Index (Only )?Scan using traces_pkey/);
      const { rows } = await client.query("SELECT reltuples FROM pg_class WHERE oid = 'traces'::regclass");
      expect(Number(rows[0].reltuples)).toBe(5000);
      // Payload columns carry no statistics (migration payload_column_statistics): ANALYZE skips them.
      const stats = await client.query("SELECT attname FROM pg_stats WHERE tablename = 'traces' ORDER BY attname");
      const columns = stats.rows.map((r) => r.attname);
      expect(columns).toEqual(expect.arrayContaining(["agent", "id", "started_at", "tenant_id"]));
      expect(columns).not.toEqual(expect.arrayContaining(["input"]));
      expect(columns.filter((c) => ["problem", "input", "output", "feedback", "metadata"].includes(c))).toEqual([]);
    } finally {
      await client.query("DEALLOCATE trace_by_id").catch(() => undefined);
      await client.query("RESET plan_cache_mode").catch(() => undefined);
      client.release();
    }
  });

  it("vacuums a table whose dead tuples pass the threshold, outside any transaction", async () => {
    await t.db.pool.query("DELETE FROM traces WHERE id LIKE 't-%' AND right(id, 1) IN ('1', '3', '5', '7', '9')");
    const pass = await passUntil("traces", "vacuum");
    expect(pass.actions.find((a) => a.table === "traces")?.reasons.join()).toMatch(/dead tuples 2500/);
    const { rows } = await t.db.pool.query("SELECT last_vacuum, n_dead_tup FROM pg_stat_user_tables WHERE relname = 'traces'");
    expect(rows[0].last_vacuum).not.toBeNull();
  });

  it("waits for a client's open transaction instead of running inside it", async () => {
    const client = await t.db.pool.connect();
    try {
      await client.query("BEGIN");
      await client.query("INSERT INTO traces (tenant_id, id, agent, started_at, content_hash) SELECT 'default', 'u-' || g, 'agent', now(), 'h' FROM generate_series(1, 3000) g");
      const pass = t.db.autovacuum!.runOnce();
      await new Promise((r) => setTimeout(r, 300));
      await client.query("ROLLBACK");
      await expect(pass).resolves.toBeDefined();
    } finally {
      client.release();
    }
    const { rows } = await t.db.pool.query("SELECT count(*)::int AS n FROM traces WHERE id LIKE 'u-%'");
    expect(rows[0].n).toBe(0);
  });

  it("runs passes on its own every naptime, as the service does by default", async () => {
    const own = await createTestDatabase({ META_AGENT_EMBEDDED_AUTOVACUUM_NAPTIME_MS: "200" });
    try {
      await own.db.pool.query(`INSERT INTO traces (tenant_id, id, agent, started_at, content_hash)
                               SELECT 'default', 'v-' || g, 'agent', now(), 'h' FROM generate_series(1, 2000) g`);
      const deadline = Date.now() + 15_000;
      let analyzed: unknown = null;
      while (!analyzed && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
        analyzed = (await own.db.pool.query("SELECT last_analyze FROM pg_stat_user_tables WHERE relname = 'traces'")).rows[0]?.last_analyze;
      }
      expect(analyzed).toBeInstanceOf(Date);
    } finally {
      await own.close();
    }
  });
});
