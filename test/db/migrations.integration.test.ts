import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { createHash } from "node:crypto";
import { readFileSync, mkdirSync, writeFileSync, cpSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { migrate, readMigrations, pendingMigrations } from "../../src/db/migrator.js";
import { MIGRATIONS_DIR } from "../../src/db/migrations-dir.js";
import { makeTempDir } from "../support/temp-dir.js";

describe("in-process migrations", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase({}, { empty: true });
  });
  afterAll(async () => t.close());

  it("apply every migration to an empty database and record them in Prisma's format", async () => {
    const local = readMigrations();
    expect(t.db.migrations.applied).toEqual(local.map((m) => m.name));
    const rows = await t.db.pool.query(
      `SELECT id, checksum, migration_name, finished_at, rolled_back_at, applied_steps_count, logs FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    expect(rows.rows).toHaveLength(local.length);
    for (const [i, row] of rows.rows.entries()) {
      const sql = readFileSync(path.join(MIGRATIONS_DIR, row.migration_name, "migration.sql"));
      expect(row.migration_name).toBe(local[i]!.name);
      expect(row.checksum).toBe(createHash("sha256").update(sql).digest("hex"));
      expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.rolled_back_at).toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
    expect(await pendingMigrations(t.db.pool)).toEqual([]);
  });

  it("is a no-op the second time", async () => {
    const again = await migrate(t.db.pool);
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied).toEqual(readMigrations().map((m) => m.name));
    const count = await t.db.pool.query(`SELECT count(*)::int AS n FROM "_prisma_migrations"`);
    expect(count.rows[0].n).toBe(readMigrations().length);
  });

  it("seeds the default tenant", async () => {
    const tenant = await t.db.prisma.tenant.findUnique({ where: { id: "default" } });
    expect(tenant?.name).toBe("Default tenant");
  });

  it("applies a new migration exactly once when several clients migrate at the same moment", async () => {
    const tmp = makeTempDir();
    cpSync(MIGRATIONS_DIR, tmp.dir, { recursive: true });
    mkdirSync(path.join(tmp.dir, "29990101000000_race"));
    writeFileSync(path.join(tmp.dir, "29990101000000_race", "migration.sql"), `CREATE TABLE "race_probe" ("id" INTEGER NOT NULL);\nINSERT INTO "race_probe" VALUES (1);\n`);
    const pools = Array.from({ length: 4 }, () => new pg.Pool({ connectionString: t.db.url, max: 2 }));
    try {
      const results = await Promise.all(pools.map((p) => migrate(p, { dir: tmp.dir })));
      expect(results.filter((r) => r.applied.includes("29990101000000_race"))).toHaveLength(1);
      const probe = await t.db.pool.query(`SELECT count(*)::int AS n FROM "race_probe"`);
      expect(probe.rows[0].n).toBe(1);
      const recorded = await t.db.pool.query(`SELECT count(*)::int AS n FROM "_prisma_migrations" WHERE migration_name = '29990101000000_race'`);
      expect(recorded.rows[0].n).toBe(1);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
      await t.db.pool.query(`DROP TABLE IF EXISTS "race_probe"; DELETE FROM "_prisma_migrations" WHERE migration_name = '29990101000000_race'`);
      tmp.remove();
    }
  });

  it("rolls a failing migration back completely and records nothing", async () => {
    const tmp = makeTempDir();
    cpSync(MIGRATIONS_DIR, tmp.dir, { recursive: true });
    mkdirSync(path.join(tmp.dir, "29990101000001_broken"));
    writeFileSync(path.join(tmp.dir, "29990101000001_broken", "migration.sql"), `CREATE TABLE "half_done" ("id" INTEGER);\nSELECT no_such_function();\n`);
    try {
      await expect(migrate(t.db.pool, { dir: tmp.dir })).rejects.toThrow(/29990101000001_broken failed and was rolled back/);
      const table = await t.db.pool.query(`SELECT to_regclass('"half_done"')::text AS t`);
      expect(table.rows[0].t).toBeNull();
      const recorded = await t.db.pool.query(`SELECT count(*)::int AS n FROM "_prisma_migrations" WHERE migration_name = '29990101000001_broken'`);
      expect(recorded.rows[0].n).toBe(0);
    } finally {
      tmp.remove();
    }
  });
});
