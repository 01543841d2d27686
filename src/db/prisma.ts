// Prisma Client over the pg driver adapter, sharing one pg.Pool with raw SQL (bulk inserts,
// vector search) so both see the same connections and limits.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../generated/prisma/client.js";
import type pg from "pg";

export type { PrismaClient };
export { Prisma } from "../generated/prisma/client.js";

export function createPrismaClient(pool: pg.Pool): PrismaClient {
  // The embedded database runs one transaction at a time (one Postgres session), so waits are
  // longer than on a server: allow for queueing instead of failing after Prisma's 2 s default.
  return new PrismaClient({ adapter: new PrismaPg(pool), transactionOptions: { maxWait: 30_000, timeout: 60_000 } });
}
