// The semantic cache, the Librarian and trace embeddings on the real local sentence encoder, and
// moving stored vectors from one embedder to another (`embeddings reembed`).
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { makeTempDir } from "../support/temp-dir.js";
import { createEmbedder, type EmbedderService } from "../../src/llm/create-embedder.js";
import { createSemanticCache } from "../../src/memory/semantic-cache.js";
import { CALIBRATED_MATCH_MODELS } from "../../src/memory/cache-match-calibration.js";
import { indexLibrary } from "../../src/librarian/index-library.js";
import { searchLibrary } from "../../src/librarian/search-library.js";
import { indexTraceEmbeddings } from "../../src/memory/index-trace-embeddings.js";
import { traceText } from "../../src/memory/trace-text.js";
import { traceInputVectors } from "../../src/memory/trace-input-vectors.js";
import { countStaleVectors, reembedVectors } from "../../src/memory/reembed-vectors.js";
import type { ReembedProgress } from "../../src/memory/reembed-table.js";
import { createTraceSource } from "../../src/collector/query/create-trace-source.js";

describe("stored vectors on the local sentence encoder", () => {
  let t: TestDatabase;
  let local: EmbedderService;
  let hashing: EmbedderService;
  const docs = makeTempDir();
  const base = { tenant: "default", signature: "support", version: "1.0.0" };
  const question = "How do I reset my password?";
  const paraphrase = "I forgot my login password and need to change it.";
  const unrelated = "Which regions do we deploy the payments service to?";

  beforeAll(async () => {
    t = await createTestDatabase();
    local = createEmbedder({ ...t.config, embedder: "local" });
    hashing = createEmbedder({ ...t.config, embedder: "hash" });
    await t.db.pool.query(`INSERT INTO tenants (id, name) VALUES ('acme', 'Acme') ON CONFLICT DO NOTHING`);
  });
  afterAll(async () => {
    await t.close();
    docs.remove();
  });

  it("serves a reworded question from the cache and misses an unrelated one", async () => {
    const cache = createSemanticCache(t.db, local, { threshold: 0.75 });
    await cache.store({ ...base, inputs: { question }, output: { answer: "Use the reset link on the sign-in page." } });
    const hit = await cache.lookup({ ...base, inputs: { question: paraphrase } });
    expect(hit).toMatchObject({ hit: true, exact: false, output: { answer: "Use the reset link on the sign-in page." } });
    const miss = await cache.lookup({ ...base, inputs: { question: unrelated } });
    expect(miss).toMatchObject({ hit: false, reason: "below_threshold" });
    if (!miss.hit) expect(miss.nearestSimilarity).toBeLessThan(0.4);
    // The hashing embedder sees few shared words in the paraphrase: far below any useful threshold.
    const lexical = createSemanticCache(t.db, hashing, { threshold: 0.75 });
    await lexical.store({ ...base, signature: "lexical", inputs: { question }, output: "x" });
    expect(await lexical.lookup({ ...base, signature: "lexical", inputs: { question: paraphrase } })).toMatchObject({ hit: false, reason: "below_threshold" });
  });

  it("at the default threshold, the second check serves a reworded question and refuses one that differs by a decisive word", async () => {
    const cache = createSemanticCache(t.db, local);
    const lowerBound = CALIBRATED_MATCH_MODELS["use-lite-512"]!.lowerBound;
    expect(cache.thresholdFor("defaults")).toBe(lowerBound);
    const key = { ...base, signature: "defaults" };
    await cache.store({ ...key, inputs: { question }, output: "reset link" });
    await cache.store({ ...key, inputs: { question: "How do I enable two-factor authentication?" }, output: "enable 2FA" });
    await cache.store({ ...key, inputs: { question: "Write a polite reply declining the customer's refund request." }, output: "declined" });

    expect(await cache.lookup({ ...key, inputs: { question: paraphrase } })).toMatchObject({ hit: true, exact: false, output: "reset link" });
    // The encoder scores these 0.95 and 0.97 alike; the check refuses them on the differing word.
    const disable = await cache.lookup({ ...key, inputs: { question: "How do I disable two-factor authentication?" } });
    expect(disable).toMatchObject({ hit: false, reason: "rejected", verdict: { basis: "minimal", differing: "disable | enable" } });
    if (!disable.hit) expect(disable.nearestSimilarity).toBeGreaterThan(0.9);
    const approve = await cache.lookup({ ...key, inputs: { question: "Write a polite reply approving the customer's refund request." } });
    expect(approve).toMatchObject({ hit: false, reason: "rejected", verdict: { basis: "minimal", differing: "approving | declining" } });
    // A question on the same subject that asks for another kind of answer.
    expect(await cache.lookup({ ...key, inputs: { question: "When does my password expire?" } })).toMatchObject({ hit: false });
    // A reworded question on the same subject that asks something else: refused too.
    expect(await cache.lookup({ ...key, inputs: { question: "How do I change my username?" } })).toMatchObject({ hit: false });
    expect(await cache.lookup({ ...key, inputs: { question: unrelated } })).toMatchObject({ hit: false, reason: "below_threshold" });
    // With the check off, the same threshold serves the question that differs by one decisive word.
    const unchecked = createSemanticCache(t.db, local, { matchCheck: false, threshold: lowerBound });
    expect(await unchecked.lookup({ ...key, inputs: { question: "How do I disable two-factor authentication?" } })).toMatchObject({ hit: true, output: "enable 2FA" });
    expect(createSemanticCache(t.db, local, { matchCheck: false }).thresholdFor("defaults")).toBe(0.97);
  });

  it("never matches vectors of another embedder: switching leaves old entries unmatched until they are re-embedded", async () => {
    const key = { ...base, signature: "switch" };
    const byHash = createSemanticCache(t.db, hashing, { threshold: 0.5 });
    await byHash.store({ ...key, inputs: { question }, output: "stored by hash-384" });
    const byLocal = createSemanticCache(t.db, local, { threshold: 0.5 });
    // A paraphrase (no exact-hash hit) finds nothing: the only entry is in another model's space.
    expect(await byLocal.lookup({ ...key, inputs: { question: paraphrase } })).toMatchObject({ hit: false, reason: "no_entry" });
    // Both directions: local entries are invisible to the hashing embedder.
    await byLocal.store({ ...key, signature: "switch-back", inputs: { question }, output: "stored by local" });
    expect(await byHash.lookup({ ...key, signature: "switch-back", inputs: { question: paraphrase } })).toMatchObject({ hit: false, reason: "no_entry" });
    const stale = await countStaleVectors(t.db, "default", local.model);
    expect(stale.cache_entries).toBeGreaterThanOrEqual(2);
  });

  it("re-embeds cache entries, library chunks and trace embeddings of every tenant with progress, then drops the old model's index", async () => {
    // Library and traces indexed with the hashing embedder, for two tenants.
    writeFileSync(path.join(docs.dir, "passwords.md"), "# Passwords\n\nTo reset a forgotten password, open the sign-in page and follow the reset link sent by email.");
    writeFileSync(path.join(docs.dir, "deploys.md"), "# Deploys\n\nThe payments service is deployed to three regions: eu-west, us-east and ap-south.");
    await indexLibrary({ db: t.db, embedder: hashing }, { tenant: "default", dir: docs.dir, baseDir: docs.dir });
    await indexLibrary({ db: t.db, embedder: hashing }, { tenant: "acme", dir: docs.dir, baseDir: docs.dir });
    for (const [id, q] of [["t1", question], ["t2", unrelated]] as const) {
      await t.db.pool.query(
        `INSERT INTO traces (tenant_id, id, agent, signature, prompt_version, input, output, success, started_at, content_hash) VALUES ('default', $1, 'helpdesk', 'support', '1.0.0', $2, '{}', true, now(), 'h')`,
        [id, JSON.stringify({ question: q })],
      );
    }
    await indexTraceEmbeddings({ db: t.db, traces: createTraceSource(t.db), embedder: hashing }, { tenant: "default", agent: "helpdesk" });
    // Before the re-embed the library answers nothing with the local encoder: old vectors are not matched.
    expect(await searchLibrary({ db: t.db, embedder: local }, { tenant: "default", query: paraphrase })).toEqual([]);

    const progress: ReembedProgress[] = [];
    const report = await reembedVectors({ db: t.db, traces: createTraceSource(t.db), embedder: local }, { batchSize: 2, onProgress: (p) => progress.push(p) });
    expect(report.model).toBe("use-lite-512");
    const converted = (table: string, tenant: string) => report.tables.find((r) => r.table === table && r.tenant === tenant)?.converted;
    expect(converted("library_chunks", "default")).toBe(2);
    expect(converted("library_chunks", "acme")).toBe(2);
    expect(converted("trace_embeddings", "default")).toBe(2);
    expect(converted("cache_entries", "default")).toBeGreaterThanOrEqual(2);
    // Progress: a first 0/N, then one line per batch of 2, ending at N/N.
    const lib = progress.filter((p) => p.table === "library_chunks" && p.tenant === "default").map((p) => `${p.done}/${p.total}`);
    expect(lib).toEqual(["0/2", "2/2"]);
    expect(await countStaleVectors(t.db, "default", local.model)).toEqual({ cache_entries: 0, library_chunks: 0, trace_embeddings: 0 });
    expect(report.released.map((r) => r.table).sort()).toEqual(["cache_entries", "library_chunks", "trace_embeddings"]);

    // Now the meaning matches: the reworded question finds the password passage, and the cache entry stored by hash-384 is served.
    const [best] = await searchLibrary({ db: t.db, embedder: local }, { tenant: "default", query: paraphrase, k: 1 });
    expect(best).toMatchObject({ path: "passwords.md" });
    const cache = createSemanticCache(t.db, local, { threshold: 0.75 });
    expect(await cache.lookup({ ...base, signature: "switch", inputs: { question: paraphrase } })).toMatchObject({ hit: true, output: "stored by hash-384" });
    // A second run has nothing left to do.
    const again = await reembedVectors({ db: t.db, traces: createTraceSource(t.db), embedder: local });
    expect(again.tables.reduce((n, r) => n + r.converted, 0)).toBe(0);
  });

  it("hands trace input vectors to intent grouping with the model that made them", async () => {
    const vectors = await traceInputVectors({ db: t.db, traces: createTraceSource(t.db), embedder: local }, { tenant: "default", agent: "helpdesk" });
    expect(vectors.model).toBe("use-lite-512");
    expect(vectors.dim).toBe(512);
    expect(vectors.traces.map((v) => v.traceId).sort()).toEqual(["t1", "t2"]);
    const [direct] = await local.embed([traceText({ question })!]);
    const t1 = vectors.traces.find((v) => v.traceId === "t1")!.vector;
    // Stored as pgvector floats: the same vector as embedding the trace's text now, to float precision.
    expect(Math.max(...t1.map((x, i) => Math.abs(x - direct![i]!)))).toBeLessThan(1e-5);
    // Another tenant sees none of them.
    expect((await traceInputVectors({ db: t.db, traces: createTraceSource(t.db), embedder: local }, { tenant: "acme", agent: "helpdesk" })).traces).toEqual([]);
  });
});
