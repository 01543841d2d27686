// Opens the database the configuration names: an external PostgreSQL (DATABASE_URL), the
// embedded one started by this process, or the embedded one already served by another live
// process (the CLI next to a running service). Migrations are applied on open.
import pg from "pg";
import type { Config } from "../config/index.js";
import type { Logger } from "../log/logger.js";
import { createPrismaClient, type PrismaClient } from "./prisma.js";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "./embedded-postgres.js";
import { readLiveLock } from "./data-dir-lock.js";
import { startEmbeddedAutovacuum, type EmbeddedAutovacuum } from "./embedded-autovacuum.js";
import { migrate, pendingMigrations, readMigrations, type MigrateResult } from "./migrator.js";

export type DatabaseMode = "external" | "embedded" | "attached";

export interface Database {
  readonly prisma: PrismaClient;
  readonly pool: pg.Pool;
  readonly url: string;
  /** external: DATABASE_URL; embedded: started here; attached: served by another process. */
  readonly mode: DatabaseMode;
  readonly migrations: MigrateResult;
  /** The embedded database's maintenance (VACUUM/ANALYZE); only when this process owns it. */
  readonly autovacuum?: EmbeddedAutovacuum;
  /** True when the database answers and every local migration is applied. */
  isReady(): Promise<boolean>;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** Attach to a live process that owns the embedded data dir instead of failing (CLI). Default false. */
  attach?: boolean;
  /** Pool size; the embedded socket queues queries beyond it. Default 10. */
  poolSize?: number;
  /** A short-lived process: start the embedded database fast (see EmbeddedPostgresOptions.fastStart). Default false. */
  fastStart?: boolean;
}

/** The configuration the database reads: where it is (external URL or embedded data dir) and the embedded server's settings. */
export type DatabaseConfig = Pick<Config, "databaseUrl" | "dataDir" | "embeddedDbPort" | "embeddedSharedBuffers" | "embeddedAutovacuumNaptimeMs">;

export async function openDatabase(config: DatabaseConfig, logger: Logger, options: OpenDatabaseOptions = {}): Promise<Database> {
  let embedded: EmbeddedPostgres | undefined;
  let url: string;
  let mode: DatabaseMode;
  const owner = config.databaseUrl ? undefined : readLiveLock(config.dataDir);
  if (config.databaseUrl) {
    url = config.databaseUrl;
    mode = "external";
  } else if (options.attach && owner?.databaseUrl && owner.pid !== process.pid) {
    url = owner.databaseUrl;
    mode = "attached";
    logger.debug({ name: "embedded-db-attached", pid: owner.pid }, "using the embedded database served by a running process");
  } else {
    embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedDbPort, sharedBuffers: config.embeddedSharedBuffers, fastStart: options.fastStart === true, logger });
    url = embedded.url;
    mode = "embedded";
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 10_000,
    application_name: "meta-agent",
  });
  pool.on("error", (e) => logger.warn({ name: "db-pool-error", err: e }, "idle database connection failed"));
  try {
    const local = readMigrations();
    const migrations = await migrate(pool, { logger });
    const prisma = createPrismaClient(pool);
    const autovacuum = embedded ? startEmbeddedAutovacuum(pool, { naptimeMs: config.embeddedAutovacuumNaptimeMs, logger }) : undefined;
    let closing: Promise<void> | undefined;
    return {
      prisma,
      pool,
      url,
      mode,
      migrations,
      ...(autovacuum ? { autovacuum } : {}),
      async isReady() {
        try {
          return (await pendingMigrations(pool, local)).length === 0;
        } catch {
          return false;
        }
      },
      close() {
        closing ??= (async () => {
          await autovacuum?.stop();
          await prisma.$disconnect().catch(() => undefined);
          await pool.end().catch(() => undefined);
          await embedded?.close();
        })();
        return closing;
      },
    };
  } catch (e) {
    await pool.end().catch(() => undefined);
    await embedded?.close();
    throw e;
  }
}
