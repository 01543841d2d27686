// The database as one tenant sees it. Every statement run through a tenant scope runs inside a
// transaction that first switches to the restricted role `meta_agent_app` and sets the tenant
// (`SET LOCAL ROLE`, `SET LOCAL meta_agent.tenant`); the row-level-security policies of every
// tenant-owned table (migration 20261207100000_row_level_security) then show and accept only that
// tenant's rows. A query that forgets its `WHERE tenant_id` sees nothing of another tenant, and
// the settings end with the transaction, so nothing leaks to the next user of the connection (on
// the embedded database every connection shares one Postgres session).
//
// The scope offers the pool interface the code already uses (`query`, `connect`, transactions
// through BEGIN/COMMIT on a connected client), so a use case written against a pool runs
// unchanged on a tenant scope: a client's BEGIN is sent as BEGIN plus the two settings, and a
// statement sent outside a transaction runs in a transaction of its own.
import pg from "pg";
import type { PrismaClient } from "./prisma.js";

/** The role tenant work runs as (created by the migration; NOLOGIN, no BYPASSRLS, owns nothing). */
export const TENANT_ROLE = "meta_agent_app";
/** The setting the policies read. */
export const TENANT_SETTING = "meta_agent.tenant";

/** `BEGIN` plus the tenant's role and setting, as one simple-protocol message (one round trip). */
export function tenantPrelude(tenant: string): string {
  return `BEGIN; SET LOCAL ROLE ${TENANT_ROLE}; SET LOCAL ${TENANT_SETTING} = ${pg.escapeLiteral(tenant)}`;
}

type QueryArgs = [text: string | pg.QueryConfig, values?: unknown[]];
const textOf = (q: string | pg.QueryConfig) => (typeof q === "string" ? q : q.text);

const BEGIN = /^\s*BEGIN\s*(;|$)/i;
const END = /^\s*(COMMIT|ROLLBACK|END|ABORT)\s*;?\s*$/i;

/** A pool client that runs every statement inside a transaction scoped to `tenant`. */
function scopedClient(client: pg.PoolClient, tenant: string): pg.PoolClient {
  let inTransaction = false;
  const prelude = tenantPrelude(tenant);
  const run = (...args: QueryArgs) => client.query(...(args as [string, unknown[]])) as Promise<pg.QueryResult>;

  async function query(...args: QueryArgs): Promise<unknown> {
    const text = textOf(args[0]);
    if (BEGIN.test(text)) {
      // `BEGIN` (maybe followed by more statements in the same message) becomes the prelude.
      const rest = text.replace(BEGIN, "");
      if (args[1] !== undefined && args[1].length > 0) throw new Error("a BEGIN message cannot carry parameters");
      const result = await run(rest.trim() ? `${prelude}; ${rest}` : prelude);
      inTransaction = !/\b(COMMIT|ROLLBACK)\s*;?\s*$/i.test(text);
      return result;
    }
    if (/^\s*(START\s+TRANSACTION|BEGIN\s+\w)/i.test(text)) throw new Error("a tenant scope opens transactions with a plain BEGIN only");
    if (END.test(text)) {
      inTransaction = false;
      return run(...args);
    }
    if (inTransaction) return run(...args);
    // A statement on its own: a transaction of its own.
    await run(prelude);
    try {
      const result = await run(...args);
      await run("COMMIT");
      return result;
    } catch (e) {
      await run("ROLLBACK").catch(() => undefined);
      throw e;
    }
  }

  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === "query") return query;
      if (prop === "release") {
        return (err?: Error | boolean) => {
          // A client handed back inside a transaction would keep the tenant's settings: destroy it.
          if (inTransaction && !err) return target.release(new Error("released inside a tenant transaction"));
          return target.release(err);
        };
      }
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** A pool whose every connection and query is scoped to `tenant` (see the module comment). */
export function tenantPool(pool: pg.Pool, tenant: string): pg.Pool {
  const connect = async () => scopedClient(await pool.connect(), tenant);
  const query = async (...args: QueryArgs) => {
    const client = await connect();
    try {
      return await client.query(...(args as [string, unknown[]]));
    } finally {
      client.release();
    }
  };
  return new Proxy(pool, {
    get(target, prop, receiver) {
      if (prop === "query") return query;
      if (prop === "connect") return connect;
      if (prop === "tenant") return tenant;
      if (prop === "end") return () => Promise.reject(new Error("a tenant scope does not own its pool"));
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** Prisma, scoped to `tenant`: every model operation runs in a batch transaction after the tenant's role and setting. */
export function tenantPrisma(prisma: PrismaClient, tenant: string): PrismaClient {
  const literal = pg.escapeLiteral(tenant);
  return prisma.$extends({
    query: {
      $allModels: {
        async $allOperations({ args, query }) {
          const [, , result] = await prisma.$transaction([
            prisma.$executeRawUnsafe(`SET LOCAL ROLE ${TENANT_ROLE}`),
            prisma.$executeRawUnsafe(`SET LOCAL ${TENANT_SETTING} = ${literal}`),
            query(args) as never,
          ]);
          return result;
        },
      },
    },
  }) as unknown as PrismaClient;
}
