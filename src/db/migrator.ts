// Applies prisma/migrations in-process, in Prisma's own layout and bookkeeping
// (`_prisma_migrations`, sha256 checksums), so `prisma migrate deploy` stays compatible where
// the schema engine exists. Each migration runs in its own transaction under the advisory lock
// Prisma itself uses, so concurrent starters (or a concurrent `prisma migrate deploy`) never
// apply one twice.
import { createHash, randomUUID } from "node:crypto";
import { readdirSync, readFileSync, existsSync } from "node:fs";
import path from "node:path";
import type pg from "pg";
import type { Logger } from "../log/logger.js";
import { silentLogger } from "../log/logger.js";
import { AppError } from "../errors.js";
import { MIGRATIONS_DIR } from "./migrations-dir.js";
import { inTransaction } from "./transaction.js";

/** The key `prisma migrate` locks; sharing it serializes us with Prisma's own CLI. */
const PRISMA_MIGRATE_LOCK_KEY = 72707369;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: string[];
}

const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

/** Reads `<dir>/<timestamp>_<name>/migration.sql` in name order. */
export function readMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  if (!existsSync(dir)) throw new AppError("migrations_missing", `Migrations directory not found: ${dir}`);
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(path.join(dir, e.name, "migration.sql")))
    .map((e) => e.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

/** Applies pending migrations. Idempotent; safe to call from several processes at once. */
export async function migrate(pool: pg.Pool, options: { dir?: string; logger?: Logger } = {}): Promise<MigrateResult> {
  const logger = options.logger ?? silentLogger;
  const migrations = readMigrations(options.dir);
  const result: MigrateResult = { applied: [], alreadyApplied: [] };
  const client = await pool.connect();
  try {
    await inTransaction(client, async () => {
      await client.query("SELECT pg_advisory_xact_lock($1)", [PRISMA_MIGRATE_LOCK_KEY]);
      await client.query(CREATE_MIGRATIONS_TABLE);
    });
    for (const m of migrations) {
      await inTransaction(client, async () => {
        await client.query("SELECT pg_advisory_xact_lock($1)", [PRISMA_MIGRATE_LOCK_KEY]);
        const done = await client.query<{ checksum: string }>(
          `SELECT checksum FROM "_prisma_migrations" WHERE migration_name = $1 AND finished_at IS NOT NULL AND rolled_back_at IS NULL`,
          [m.name],
        );
        if (done.rows.length > 0) {
          if (done.rows[0]!.checksum !== m.checksum) {
            logger.warn({ name: "migration-modified", migration: m.name }, "migration was modified after it was applied");
          }
          result.alreadyApplied.push(m.name);
          return;
        }
        const id = randomUUID();
        const started = Date.now();
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)`,
          [id, m.checksum, m.name],
        );
        try {
          await client.query(m.sql);
        } catch (e) {
          throw new AppError("migration_failed", `Migration ${m.name} failed and was rolled back: ${(e as Error).message}`, { cause: e });
        }
        await client.query(`UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`, [id]);
        result.applied.push(m.name);
        logger.info({ name: "migration-applied", migration: m.name, ms: Date.now() - started }, "migration applied");
      });
    }
  } finally {
    client.release();
  }
  return result;
}

/** Names of local migrations not yet applied (empty: the database is fully migrated). */
export async function pendingMigrations(pool: pg.Pool, migrations: Migration[] = readMigrations()): Promise<string[]> {
  const exists = await pool.query<{ t: string | null }>(`SELECT to_regclass('"_prisma_migrations"')::text AS t`);
  if (!exists.rows[0]?.t) return migrations.map((m) => m.name);
  const applied = await pool.query<{ migration_name: string }>(
    `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
  );
  const done = new Set(applied.rows.map((r) => r.migration_name));
  return migrations.filter((m) => !done.has(m.name)).map((m) => m.name);
}
