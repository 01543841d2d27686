// Upkeep of the semantic cache on a real database: stats, pruning expired entries and other
// versions, clearing, and the service's sweep (including a sweep that cannot reach the database).
import { describe, it, expect, beforeEach, beforeAll, afterAll } from "vitest";
import pg from "pg";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { testEmbedder } from "../support/embedder.js";
import { createSemanticCache } from "../../src/memory/semantic-cache.js";
import { cacheStats, clearCache, pruneCache } from "../../src/memory/cache-maintenance.js";
import { startCacheSweeper } from "../../src/memory/cache-sweeper.js";
import { captureLogger } from "../support/log-capture.js";

const T0 = new Date("2026-12-01T00:00:00.000Z");
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

describe("semantic cache maintenance", () => {
  let t: TestDatabase;
  const embedder = testEmbedder();
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => t.close());
  beforeEach(async () => {
    await t.db.pool.query(`DELETE FROM cache_entries`);
    // At T0: acme's triage 1.0.0 (one entry kept for ever, one with a 60 s TTL), triage 1.1.0,
    // summarize 1.0.0; and one entry of another tenant with a 60 s TTL.
    const cache = createSemanticCache(t.db, embedder, { now: () => T0, ttlSeconds: 60 });
    const put = (tenant: string, signature: string, version: string, question: string, ttlSeconds?: number) =>
      cache.store({ tenant, signature, version, inputs: { question }, output: { answer: question.toUpperCase() }, ...(ttlSeconds !== undefined ? { ttlSeconds } : {}) });
    await put("acme", "triage", "1.0.0", "refund please", 0);
    await put("acme", "triage", "1.0.0", "where is my parcel");
    await put("acme", "triage", "1.1.0", "refund please");
    await put("acme", "summarize", "1.0.0", "long text");
    await put("other", "triage", "1.0.0", "refund please");
    expect((await createSemanticCache(t.db, embedder, { now: () => T0 }).lookup({ tenant: "acme", signature: "triage", version: "1.0.0", inputs: { question: "refund please" } })).hit).toBe(true);
  });

  it("counts live and expired entries and hits per signature and version, for one tenant", async () => {
    expect(await cacheStats(t.db, { tenant: "acme", now: at(30) })).toEqual([
      { signature: "summarize", version: "1.0.0", live: 1, expired: 0, hits: 0, oldest: T0.toISOString(), newest: T0.toISOString() },
      { signature: "triage", version: "1.0.0", live: 2, expired: 0, hits: 1, oldest: T0.toISOString(), newest: T0.toISOString() },
      { signature: "triage", version: "1.1.0", live: 1, expired: 0, hits: 0, oldest: T0.toISOString(), newest: T0.toISOString() },
    ]);
    const later = await cacheStats(t.db, { tenant: "acme", now: at(61) });
    expect(later.map((r) => [r.signature, r.version, r.live, r.expired])).toEqual([
      ["summarize", "1.0.0", 0, 1],
      ["triage", "1.0.0", 1, 1],
      ["triage", "1.1.0", 0, 1],
    ]);
    expect(await cacheStats(t.db, { tenant: "nobody" })).toEqual([]);
  });

  it("prunes only expired entries of the tenant, and other versions of a signature when asked", async () => {
    expect(await pruneCache(t.db, { tenant: "acme", now: at(30) })).toEqual({ expired: 0, otherVersions: 0 });
    expect(await pruneCache(t.db, { tenant: "acme", now: at(61) })).toEqual({ expired: 3, otherVersions: 0 });
    const left = await t.db.pool.query<{ tenant_id: string; signature: string; version: string }>(`SELECT tenant_id, signature, version FROM cache_entries ORDER BY tenant_id`);
    expect(left.rows).toEqual([
      { tenant_id: "acme", signature: "triage", version: "1.0.0" },
      { tenant_id: "other", signature: "triage", version: "1.0.0" },
    ]);
    expect(await pruneCache(t.db, { tenant: "acme", signature: "triage", keepVersion: "1.1.0", now: at(61) })).toEqual({ expired: 0, otherVersions: 1 });
    expect((await t.db.pool.query(`SELECT 1 FROM cache_entries WHERE tenant_id = 'other'`)).rowCount).toBe(1);
    await expect(pruneCache(t.db, { signature: "triage" })).rejects.toThrow(/go together/);
  });

  it("clears a signature, then the whole tenant, and nothing of other tenants", async () => {
    expect(await clearCache(t.db, { tenant: "acme", signature: "triage" })).toBe(3);
    expect(await clearCache(t.db, { tenant: "acme" })).toBe(1);
    expect(await cacheStats(t.db, { tenant: "acme" })).toEqual([]);
    expect((await cacheStats(t.db, { tenant: "other" })).map((r) => r.live + r.expired)).toEqual([1]);
  });

  it("the service's sweep deletes expired entries of every tenant and logs a failed sweep without throwing", async () => {
    // Everything stored at T0 with a TTL has expired by now (real clock).
    const logs = captureLogger();
    const sweeper = startCacheSweeper({ db: t.db, logger: logs.logger, intervalMs: 60_000 });
    expect(await sweeper.sweep()).toBe(4);
    await sweeper.stop();
    expect(logs.events("cache-swept")).toMatchObject([{ expired: 4 }]);
    expect((await t.db.pool.query(`SELECT 1 FROM cache_entries`)).rowCount).toBe(1);

    const unreachable = new pg.Pool({ connectionString: "postgres://nobody@127.0.0.1:9/none", connectionTimeoutMillis: 2000 });
    const failing = startCacheSweeper({ db: { pool: unreachable, forTenant: () => { throw new Error("the sweep is system work"); } }, logger: logs.logger, intervalMs: 60_000 });
    expect(await failing.sweep()).toBe(0);
    await failing.stop();
    await unreachable.end();
    expect(logs.events("cache-sweep-failed")).toHaveLength(1);
  });
});
