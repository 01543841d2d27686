import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { ensureVectorIndex, EmbeddingModelMismatchError, releaseEmptyVectorIndexes, vectorLiteral } from "../../src/db/vector-index.js";
import { explainNearest, searchNearest, type NearestQuery } from "../../src/db/vector-search.js";

function unitVectors(n: number, dim: number, seed = 11): number[][] {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
  return Array.from({ length: n }, () => {
    const v = Array.from({ length: dim }, rnd);
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  });
}

describe("per-dimension vector indexes", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => t.close());

  const insert = async (rows: number[][], model: string, dim: number, prefix: string) => {
    const values = rows.map((_, i) => `('default', '${prefix}${i}', 'agent', '${model}', ${dim}, $${i + 1}::vector)`).join(",");
    await t.db.pool.query(`INSERT INTO trace_embeddings (tenant_id, trace_id, agent, model, dim, embedding) VALUES ${values}`, rows.map((r) => vectorLiteral(r, dim)));
  };

  it("creates an HNSW index for a new dimension on first use and answers through it", async () => {
    const space = { model: "m16", dim: 16 };
    await ensureVectorIndex(t.db.pool, "trace_embeddings", space);
    const idx = await t.db.pool.query(`SELECT indexdef FROM pg_indexes WHERE indexname = 'trace_embeddings_embedding_16_hnsw'`);
    expect(idx.rows[0].indexdef).toMatch(/USING hnsw \(\(\(embedding\)::vector\(16\)\) vector_cosine_ops\) WHERE \(dim = 16\)/);
    const data = unitVectors(200, 16);
    await insert(data, "m16", 16, "a");
    const q: NearestQuery = { table: "trace_embeddings", space, vector: data[7]!, k: 3, select: `v."trace_id"`, efSearch: 64, where: (p) => `v."tenant_id" = ${p("default")}` };
    expect(await explainNearest(t.db.pool, q)).toMatch(/Index Scan using trace_embeddings_embedding_16_hnsw/);
    const rows = await searchNearest<{ trace_id: string }>(t.db.pool, q);
    expect(rows[0]).toMatchObject({ trace_id: "a7" });
    expect(rows[0]!.distance).toBeLessThan(1e-6);
    const exact = await searchNearest<{ trace_id: string }>(t.db.pool, { ...q, exact: true });
    expect(exact.map((r) => r.trace_id)).toEqual(rows.map((r) => r.trace_id));
    expect(await explainNearest(t.db.pool, { ...q, exact: true })).not.toMatch(/hnsw/);
  });

  it("uses the migration's 384-dimension index for the built-in dimension", async () => {
    const space = { model: "m384", dim: 384 };
    await ensureVectorIndex(t.db.pool, "cache_entries", space);
    const plan = await explainNearest(t.db.pool, { table: "cache_entries", space, vector: unitVectors(1, 384)[0]!, k: 1, select: `v."id"` });
    expect(plan).toMatch(/cache_entries_embedding_384_hnsw/);
  });

  it("refuses a second embedding model in an index with an error naming both models", async () => {
    await ensureVectorIndex(t.db.pool, "trace_embeddings", { model: "m8-a", dim: 8 });
    const refused = ensureVectorIndex(t.db.pool, "trace_embeddings", { model: "m8-b", dim: 8 });
    await expect(refused).rejects.toBeInstanceOf(EmbeddingModelMismatchError);
    await expect(refused).rejects.toThrow(/"m8-a".*"m8-b"/);
    // Another dimension is another index: a different model may own it.
    await expect(ensureVectorIndex(t.db.pool, "trace_embeddings", { model: "m8-b", dim: 12 })).resolves.toBeUndefined();
  });

  it("lets another model take over an index once its vectors are gone", async () => {
    await ensureVectorIndex(t.db.pool, "library_chunks", { model: "old", dim: 10 });
    await expect(ensureVectorIndex(t.db.pool, "library_chunks", { model: "new", dim: 10 })).rejects.toThrow(/refusing/);
    await releaseEmptyVectorIndexes(t.db.pool, "library_chunks");
    await expect(ensureVectorIndex(t.db.pool, "library_chunks", { model: "new", dim: 10 })).resolves.toBeUndefined();
  });

  it("rejects vectors of the wrong length or with non-finite values, and bad ef_search", async () => {
    expect(() => vectorLiteral([1, 2], 3)).toThrow(/2 dimensions; expected 3/);
    expect(() => vectorLiteral([1, Number.NaN], 2)).toThrow(/embedding\[1\]/);
    await expect(searchNearest(t.db.pool, { table: "trace_embeddings", space: { model: "m16", dim: 16 }, vector: unitVectors(1, 16)[0]!, k: 1, select: `v."trace_id"`, efSearch: 0 })).rejects.toThrow(/ef_search/);
  });
});

describe("nearest-neighbour filters", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => t.close());

  it("passes quotes, backslashes, dates and lists in filters through as values, not SQL", async () => {
    const space = { model: "m4", dim: 4 };
    await ensureVectorIndex(t.db.pool, "trace_embeddings", space);
    const tricky = "it's \\ a'); DROP TABLE traces; --";
    await t.db.pool.query(
      `INSERT INTO trace_embeddings (tenant_id, trace_id, agent, model, dim, embedding) VALUES ('default', 'x1', $1, 'm4', 4, '[1,0,0,0]'), ('default', 'x2', $1, 'm4', 4, '[0,1,0,0]'), ('default', 'x3', 'other', 'm4', 4, '[1,0,0,0]')`,
      [tricky],
    );
    const rows = await searchNearest<{ trace_id: string }>(t.db.pool, {
      table: "trace_embeddings",
      space,
      vector: [1, 0, 0, 0],
      k: 5,
      select: `v."trace_id"`,
      where: (p) => `v."agent" = ${p(tricky)} AND v."created_at" < ${p(new Date(Date.now() + 60_000))} AND NOT (v."trace_id" = ANY(${p(["x2", "o'k"])}::text[]))`,
    });
    expect(rows.map((r) => r.trace_id)).toEqual(["x1"]);
    expect((await t.db.pool.query(`SELECT count(*)::int AS n FROM traces`)).rows[0].n).toBe(0);
  });

  it("finds the rows of a very selective filter that the graph walk gives up on", async () => {
    const space = { model: "m4", dim: 4 };
    await ensureVectorIndex(t.db.pool, "trace_embeddings", space);
    const bulk = unitVectors(2000, 4, 5);
    const values = bulk.map((_, i) => `('default', 'bulk${i}', 'bulk', 'm4', 4, $${i + 1}::vector)`).join(",");
    await t.db.pool.query(`INSERT INTO trace_embeddings (tenant_id, trace_id, agent, model, dim, embedding) VALUES ${values}`, bulk.map((v) => vectorLiteral(v, 4)));
    await t.db.pool.query(`INSERT INTO trace_embeddings (tenant_id, trace_id, agent, model, dim, embedding) VALUES ('default', 'lone', 'rare', 'm4', 4, '[-1,-1,-1,-1]')`);
    await t.db.pool.query(`UPDATE trace_embeddings SET trace_seq = 7 WHERE trace_id = 'lone'`);
    await t.db.pool.query(`ANALYZE trace_embeddings`);
    // trace_seq has no b-tree, so only the HNSW walk (cut short here) or the exact re-run can find it.
    const where = (p: (v: unknown) => string) => `v."trace_seq" = ${p(7)}`;
    expect(await explainNearest(t.db.pool, { table: "trace_embeddings", space, vector: [1, 1, 1, 1], k: 1, select: `v."trace_id"`, where })).toMatch(/hnsw/);
    const rows = await searchNearest<{ trace_id: string }>(t.db.pool, {
      table: "trace_embeddings",
      space,
      vector: [1, 1, 1, 1],
      k: 1,
      efSearch: 1,
      maxScanTuples: 1,
      select: `v."trace_id"`,
      where,
    });
    expect(rows.map((r) => r.trace_id)).toEqual(["lone"]);
  });
});
