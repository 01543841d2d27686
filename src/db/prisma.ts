// Prisma Client over the pg driver adapter, sharing one pg.Pool with raw SQL (bulk inserts,
// vector search) so both see the same connections and limits.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../generated/prisma/client.js";
import type pg from "pg";

export type { PrismaClient };
export { Prisma } from "../generated/prisma/client.js";

export function createPrismaClient(pool: pg.Pool): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg(pool) });
}
