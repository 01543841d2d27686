import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { testEmbedder } from "../support/embedder.js";
import { createSemanticCache } from "../../src/memory/semantic-cache.js";

describe("semantic cache", () => {
  let t: TestDatabase;
  const embedder = testEmbedder();
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => t.close());

  const question = "Why is the checkout pod in the payments namespace crash looping after the deploy?";
  const paraphrase = "After the deploy, why does the checkout pod in the payments namespace keep crash looping?";
  const unrelated = "Summarize the quarterly revenue report for the board meeting.";
  const base = { tenant: "default", signature: "diagnose", version: "1.0.0" };

  it("serves a stored output for the same inputs through the exact-match path and counts hits", async () => {
    const cache = createSemanticCache(t.db, embedder);
    await cache.store({ ...base, signature: "exact", inputs: { question, service: "checkout" }, output: { answer: "OOMKilled" } });
    const calls = embedder.calls;
    const first = await cache.lookup({ ...base, signature: "exact", inputs: { service: "checkout", question: `  ${question}  ` } });
    const second = await cache.lookup({ ...base, signature: "exact", inputs: { service: "checkout", question } });
    expect(first).toMatchObject({ hit: true, exact: true, similarity: 1, output: { answer: "OOMKilled" }, hits: 1 });
    expect(second).toMatchObject({ hit: true, hits: 2 });
    expect(embedder.calls).toBe(calls); // the fast path does not embed
  });

  it("serves a paraphrase above the threshold and misses an unrelated input", async () => {
    const cache = createSemanticCache(t.db, embedder, { thresholds: { diagnose: 0.8 } });
    await cache.store({ ...base, inputs: { question }, output: { answer: "memory limit too low" } });
    const hit = await cache.lookup({ ...base, inputs: { question: paraphrase } });
    expect(hit).toMatchObject({ hit: true, exact: false, output: { answer: "memory limit too low" } });
    if (hit.hit) expect(hit.similarity).toBeGreaterThanOrEqual(0.8);
    const miss = await cache.lookup({ ...base, inputs: { question: unrelated } });
    expect(miss).toMatchObject({ hit: false, reason: "below_threshold" });
    if (!miss.hit) expect(miss.nearestSimilarity).toBeLessThan(0.5);
  });

  it("does not serve the same paraphrase under the conservative default threshold", async () => {
    const cache = createSemanticCache(t.db, embedder);
    expect(cache.thresholdFor("diagnose")).toBe(0.95);
    expect(await cache.lookup({ ...base, inputs: { question: paraphrase } })).toMatchObject({ hit: false, reason: "below_threshold" });
  });

  it("serves the nearest candidate the second check accepts, and with the check off the nearest one", async () => {
    const s = { ...base, signature: "candidates" };
    const cache = createSemanticCache(t.db, embedder, { threshold: 0.85 });
    // Nearest (hashing cosine 0.94) but one word added: refused. Farther (0.90) with the same words: served.
    await cache.store({ ...s, inputs: { question: "Restart the billing worker in the staging cluster now" }, output: "restart now" });
    await cache.store({ ...s, inputs: { question: "Please, in the staging cluster, restart the billing worker" }, output: "restart" });
    const query = { ...s, inputs: { question: "Restart the billing worker in the staging cluster" } };
    const hit = await cache.lookup(query);
    expect(hit).toMatchObject({ hit: true, output: "restart" });
    if (hit.hit) expect(hit.similarity).toBeLessThan(0.93);
    expect(await createSemanticCache(t.db, embedder, { threshold: 0.85, matchCheck: false }).lookup(query)).toMatchObject({ hit: true, output: "restart now" });
    // One candidate only: the refused one, and the lookup says why.
    expect(await createSemanticCache(t.db, embedder, { threshold: 0.85, candidates: 1 }).lookup(query)).toMatchObject({
      hit: false,
      reason: "rejected",
      verdict: { accept: false, basis: "minimal", differing: " | now" },
    });
  });

  it("never serves entries of an older signature version", async () => {
    const cache = createSemanticCache(t.db, embedder, { threshold: 0.8 });
    const v1 = { ...base, signature: "versioned" };
    await cache.store({ ...v1, inputs: { question }, output: "from 1.0.0" });
    expect(await cache.lookup({ ...v1, inputs: { question } })).toMatchObject({ hit: true, output: "from 1.0.0" });
    expect(await cache.lookup({ ...v1, version: "1.1.0", inputs: { question } })).toMatchObject({ hit: false, reason: "no_entry" });
    expect(await cache.lookup({ ...v1, version: "1.1.0", inputs: { question: paraphrase } })).toMatchObject({ hit: false, reason: "no_entry" });
    expect(await cache.prune({ tenant: "default", signature: "versioned", keepVersion: "1.1.0" })).toBe(1);
  });

  it("never serves one tenant's entries to another", async () => {
    await t.db.pool.query(`INSERT INTO tenants (id, name) VALUES ('acme', 'Acme') ON CONFLICT DO NOTHING`);
    const cache = createSemanticCache(t.db, embedder, { threshold: 0.8 });
    const own = { ...base, signature: "isolated" };
    await cache.store({ ...own, inputs: { question }, output: "default's answer" });
    expect(await cache.lookup({ ...own, tenant: "acme", inputs: { question } })).toMatchObject({ hit: false, reason: "no_entry" });
    expect(await cache.lookup({ ...own, tenant: "acme", inputs: { question: paraphrase } })).toMatchObject({ hit: false });
    expect(await cache.lookup({ ...own, inputs: { question: paraphrase } })).toMatchObject({ hit: true, output: "default's answer" });
  });

  it("stops serving an entry once its time to live has passed", async () => {
    let clock = new Date("2026-01-01T00:00:00Z");
    const cache = createSemanticCache(t.db, embedder, { ttlSeconds: 60, threshold: 0.8, now: () => clock });
    const s = { ...base, signature: "ttl" };
    await cache.store({ ...s, inputs: { question }, output: "fresh" });
    clock = new Date("2026-01-01T00:00:59Z");
    expect(await cache.lookup({ ...s, inputs: { question: paraphrase } })).toMatchObject({ hit: true });
    clock = new Date("2026-01-01T00:01:01Z");
    expect(await cache.lookup({ ...s, inputs: { question } })).toMatchObject({ hit: false });
    expect(await cache.prune()).toBeGreaterThanOrEqual(1);
  });

  it("reuses the embedding of a missed lookup when storing the answer", async () => {
    const cache = createSemanticCache(t.db, embedder);
    const s = { ...base, signature: "reuse" };
    const miss = await cache.lookup({ ...s, inputs: { question } });
    expect(miss.hit).toBe(false);
    const calls = embedder.calls;
    if (!miss.hit) expect(await cache.store({ ...s, inputs: { question }, output: 1, key: miss.key })).toEqual(expect.any(String));
    expect(embedder.calls).toBe(calls);
  });

  it("never matches entries of another embedding model of the same dimension, and stores beside them", async () => {
    const other = testEmbedder({ model: "another-384" });
    const cache = createSemanticCache(t.db, other, { threshold: 0.5 });
    expect(await cache.lookup({ ...base, inputs: { question: paraphrase } })).toMatchObject({ hit: false, reason: "no_entry" });
    expect(await cache.store({ ...base, inputs: { question: "new" }, output: 1 })).toEqual(expect.any(String));
    expect(await cache.lookup({ ...base, inputs: { question: "new!" } })).toMatchObject({ hit: true, output: 1 });
  });
});
