import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { ensureVectorIndex, indexName, releaseEmptyVectorIndexes, vectorLiteral } from "../../src/db/vector-index.js";
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

describe("per-model vector indexes", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => t.close());

  const insert = async (rows: number[][], model: string, dim: number, prefix: string) => {
    const values = rows.map((_, i) => `('default', '${prefix}${i}', 'agent', '${model}', ${dim}, $${i + 1}::vector)`).join(",");
    await t.db.pool.query(`INSERT INTO trace_embeddings (tenant_id, trace_id, agent, model, dim, embedding) VALUES ${values}`, rows.map((r) => vectorLiteral(r, dim)));
  };

  it("creates an HNSW index for a new dimension and model on first use and answers through it", async () => {
    const space = { model: "m16", dim: 16 };
    await ensureVectorIndex(t.db.pool, "trace_embeddings", space);
    const idx = await t.db.pool.query(`SELECT indexdef FROM pg_indexes WHERE indexname = $1`, [indexName("trace_embeddings", 16, "m16")]);
    expect(idx.rows[0].indexdef).toMatch(/USING hnsw \(\(\(embedding\)::vector\(16\)\) vector_cosine_ops\) WHERE \(\(dim = 16\) AND \(model = 'm16'::text\)\)/);
    const data = unitVectors(200, 16);
    await insert(data, "m16", 16, "a");
    const q: NearestQuery = { table: "trace_embeddings", space, vector: data[7]!, k: 3, select: `v."trace_id"`, efSearch: 64, where: (p) => `v."tenant_id" = ${p("default")}` };
    expect(await explainNearest(t.db.pool, q)).toContain(`Index Scan using ${indexName("trace_embeddings", 16, "m16")}`);
    const rows = await searchNearest<{ trace_id: string }>(t.db.pool, q);
    expect(rows[0]).toMatchObject({ trace_id: "a7" });
    expect(rows[0]!.distance).toBeLessThan(1e-6);
    const exact = await searchNearest<{ trace_id: string }>(t.db.pool, { ...q, exact: true });
    expect(exact.map((r) => r.trace_id)).toEqual(rows.map((r) => r.trace_id));
    expect(await explainNearest(t.db.pool, { ...q, exact: true })).not.toMatch(/hnsw/);
  });

  it("gives two models of the same dimension separate indexes, and a search never returns the other model's vectors", async () => {
    const a = { model: "m8-a", dim: 8 };
    const b = { model: "m8-b", dim: 8 };
    await ensureVectorIndex(t.db.pool, "trace_embeddings", a);
    await ensureVectorIndex(t.db.pool, "trace_embeddings", b);
    const data = unitVectors(40, 8, 5);
    await insert(data.slice(0, 20), "m8-a", 8, "ma");
    await insert(data.slice(20), "m8-b", 8, "mb");
    // The query vector is one of model b's own vectors: model a's rows must not appear even so.
    const q: NearestQuery = { table: "trace_embeddings", space: a, vector: data[25]!, k: 40, select: `v."trace_id"`, where: (p) => `v."tenant_id" = ${p("default")}` };
    const rows = await searchNearest<{ trace_id: string }>(t.db.pool, q);
    expect(rows).toHaveLength(20);
    expect(rows.every((r) => r.trace_id.startsWith("ma"))).toBe(true);
    expect(await explainNearest(t.db.pool, { ...q, k: 3 })).toContain(indexName("trace_embeddings", 8, "m8-a"));
    const fromB = await searchNearest<{ trace_id: string }>(t.db.pool, { ...q, space: b, k: 1 });
    expect(fromB[0]).toMatchObject({ trace_id: "mb5" });
  });

  it("drops the index of a model once its vectors are gone, and keeps the others", async () => {
    await ensureVectorIndex(t.db.pool, "library_chunks", { model: "old", dim: 10 });
    await ensureVectorIndex(t.db.pool, "library_chunks", { model: "new", dim: 10 });
    await t.db.pool.query(`INSERT INTO library_documents (id, tenant_id, path, content_hash, media_type) VALUES ('d1', 'default', 'a.txt', 'h', 'text/plain')`);
    await t.db.pool.query(`INSERT INTO library_chunks (id, tenant_id, document_id, idx, text, model, dim, embedding) VALUES ('c1', 'default', 'd1', 0, 'x', 'new', 10, $1::vector)`, [vectorLiteral(unitVectors(1, 10)[0]!, 10)]);
    expect(await releaseEmptyVectorIndexes(t.db.pool, "library_chunks")).toEqual(["old"]);
    const left = await t.db.pool.query(`SELECT indexname FROM pg_indexes WHERE tablename = 'library_chunks' AND indexname LIKE '%hnsw'`);
    expect(left.rows.map((r) => r.indexname)).toEqual([indexName("library_chunks", 10, "new")]);
    await expect(ensureVectorIndex(t.db.pool, "library_chunks", { model: "old", dim: 10 })).resolves.toBeUndefined();
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
