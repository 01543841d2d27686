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
import { createSchemaUpkeep, type SchemaUpkeep } from "./schema-upkeep.js";
import { tenantPool, tenantPrisma } from "./tenant-scope.js";
import { TenantIdSchema } from "../domain/tenant-id.js";
import { ValidationError } from "../errors.js";

export type DatabaseMode = "external" | "embedded" | "attached";

export interface Database {
  /**
   * Set on a tenant scope (`forTenant`): every statement of `pool` and `prisma` then runs as the
   * restricted role with the tenant set, and row-level security shows only that tenant's rows.
   * Unset on the database itself, whose `pool` and `prisma` are the owner's connection: for system
   * work only (migrations, authentication, cross-tenant upkeep).
   */
  readonly tenant?: string;
  readonly prisma: PrismaClient;
  readonly pool: pg.Pool;
  /** The database as `tenant` sees it (src/db/tenant-scope.ts). A tenant scope cannot become another tenant's. */
  forTenant(tenant: string): TenantDatabase;
  /** Vector indexes and planner statistics, on the owner's connection. */
  readonly upkeep: SchemaUpkeep;
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

/** A database scoped to one tenant. */
export type TenantDatabase = Database & { readonly tenant: string };

/** Scopes `db`'s connections to `tenant`, validating the id (it becomes a SQL literal and a setting). */
export function scopeToTenant(db: Omit<Database, "forTenant" | "tenant">, systemPrisma: PrismaClient, tenant: string): TenantDatabase {
  const parsed = TenantIdSchema.safeParse(tenant);
  if (!parsed.success || parsed.data !== tenant) throw new ValidationError(`tenant: "${tenant}" is not a tenant id`);
  const scoped: TenantDatabase = {
    ...db,
    tenant,
    pool: tenantPool(db.pool, tenant),
    prisma: tenantPrisma(systemPrisma, tenant),
    forTenant(other) {
      if (other !== tenant) throw new Error(`a scope of tenant ${tenant} cannot act for tenant ${other}`);
      return scoped;
    },
  };
  return scoped;
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
    const scopes = new Map<string, TenantDatabase>();
    const db: Database = {
      prisma,
      pool,
      upkeep: createSchemaUpkeep(pool),
      forTenant(tenant) {
        let scoped = scopes.get(tenant);
        if (!scoped) scopes.set(tenant, (scoped = scopeToTenant(db, prisma, tenant)));
        return scoped;
      },
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
    return db;
  } catch (e) {
    await pool.end().catch(() => undefined);
    await embedded?.close();
    throw e;
  }
}
