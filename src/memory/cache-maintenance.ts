// Upkeep of the semantic cache's table: what it holds, and removing what can no longer be served
// (expired entries), entries of versions no longer wanted, or everything of a signature. Lookups
// already skip expired entries; deleting them keeps the table and its vector index from growing
// for ever. Used by `meta-agent cache …` and the service's hourly sweep.
import type { Database } from "../db/database.js";

export interface CacheVersionStats {
  signature: string;
  version: string;
  /** Entries still served (not expired). */
  live: number;
  /** Entries past their TTL, waiting to be pruned. */
  expired: number;
  /** Hits counted on the entries of this version. */
  hits: number;
  oldest: string;
  newest: string;
}

/** Entries per signature and version of a tenant, live and expired. */
export async function cacheStats(db: Pick<Database, "forTenant">, input: { tenant: string; now?: Date }): Promise<CacheVersionStats[]> {
  const r = await db.forTenant(input.tenant).pool.query<{ signature: string; version: string; live: string; expired: string; hits: string; oldest: Date; newest: Date }>(
    `SELECT "signature", "version",
            count(*) FILTER (WHERE "expires_at" IS NULL OR "expires_at" > $2) AS live,
            count(*) FILTER (WHERE "expires_at" IS NOT NULL AND "expires_at" <= $2) AS expired,
            coalesce(sum("hits"), 0) AS hits, min("created_at") AS oldest, max("created_at") AS newest
       FROM "cache_entries" WHERE "tenant_id" = $1
      GROUP BY "signature", "version" ORDER BY "signature", "version"`,
    [input.tenant, input.now ?? new Date()],
  );
  return r.rows.map((row) => ({
    signature: row.signature,
    version: row.version,
    live: Number(row.live),
    expired: Number(row.expired),
    hits: Number(row.hits),
    oldest: row.oldest.toISOString(),
    newest: row.newest.toISOString(),
  }));
}

export interface PruneCacheInput {
  /** Only this tenant's entries. Default: every tenant (the service's sweep). */
  tenant?: string;
  /** With `keepVersion`: also delete this signature's entries of every other version. */
  signature?: string;
  keepVersion?: string;
  now?: Date;
}

export interface PruneCacheResult {
  /** Expired entries deleted. */
  expired: number;
  /** Live entries of other versions deleted (`keepVersion`). */
  otherVersions: number;
}

/**
 * Deletes expired entries and, when asked, a signature's entries of versions other than one. With
 * a tenant it works in the tenant's scope; without one it is the hourly sweep over every tenant's
 * expired entries — system work, on the owner's connection.
 */
export async function pruneCache(db: Pick<Database, "pool" | "forTenant">, input: PruneCacheInput = {}): Promise<PruneCacheResult> {
  if ((input.signature === undefined) !== (input.keepVersion === undefined)) throw new TypeError("pruneCache: signature and keepVersion go together");
  const pool = input.tenant === undefined ? db.pool : db.forTenant(input.tenant).pool;
  const tenantFilter = input.tenant === undefined ? "" : ` AND "tenant_id" = $2`;
  const params: unknown[] = [input.now ?? new Date(), ...(input.tenant === undefined ? [] : [input.tenant])];
  const expired = await pool.query(`DELETE FROM "cache_entries" WHERE "expires_at" IS NOT NULL AND "expires_at" <= $1${tenantFilter}`, params);
  let otherVersions = 0;
  if (input.signature !== undefined) {
    const r = await pool.query(
      `DELETE FROM "cache_entries" WHERE "signature" = $1 AND "version" <> $2${input.tenant === undefined ? "" : ` AND "tenant_id" = $3`}`,
      [input.signature, input.keepVersion, ...(input.tenant === undefined ? [] : [input.tenant])],
    );
    otherVersions = r.rowCount ?? 0;
  }
  return { expired: expired.rowCount ?? 0, otherVersions };
}

/** Deletes every entry of a tenant, or of one of its signatures; returns how many. */
export async function clearCache(db: Pick<Database, "forTenant">, input: { tenant: string; signature?: string }): Promise<number> {
  const { pool } = db.forTenant(input.tenant);
  const r =
    input.signature === undefined
      ? await pool.query(`DELETE FROM "cache_entries" WHERE "tenant_id" = $1`, [input.tenant])
      : await pool.query(`DELETE FROM "cache_entries" WHERE "tenant_id" = $1 AND "signature" = $2`, [input.tenant, input.signature]);
  return r.rowCount ?? 0;
}
