import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { ensureVectorIndex, indexName } from "../../src/db/vector-index.js";
import { createTestDatabase, type TestDatabase } from "../support/database.js";

const literal = (v: number[]) => `[${v.join(",")}]`;

/** Deterministic pseudo-random unit-ish vectors. */
function vectors(n: number, dim: number, seed = 7): number[][] {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
  return Array.from({ length: n }, () => Array.from({ length: dim }, rnd));
}

describe("pgvector on the embedded database", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => t.close());

  it("stores a vector in a vector column and reads it back", async () => {
    const v = [0.25, -0.5, 1, 0, ...Array.from({ length: 380 }, () => 0.125)];
    await t.db.pool.query(
      `INSERT INTO cache_entries (id, tenant_id, signature, version, input_hash, input_text, output, model, dim, embedding)
       VALUES ('v1', 'default', 's', '1.0.0', 'h', 'text', '{}', 'hash-384', 384, $1::vector)`,
      [literal(v)],
    );
    const row = await t.db.pool.query(`SELECT embedding::text AS e, vector_dims(embedding) AS d FROM cache_entries WHERE id = 'v1'`);
    expect(row.rows[0].d).toBe(384);
    expect(JSON.parse(row.rows[0].e)).toEqual(v);
  });

  it("answers an HNSW cosine query with the nearest vector first, using the index", async () => {
    const data = vectors(300, 384);
    const values = data.map((_, i) => `('default', 'tr${i}', 'agent', 'hash-384', 384, $${i + 1}::vector)`).join(",");
    await t.db.pool.query(`INSERT INTO trace_embeddings (tenant_id, trace_id, agent, model, dim, embedding) VALUES ${values}`, data.map(literal));
    await ensureVectorIndex(t.db.pool, "trace_embeddings", { model: "hash-384", dim: 384 });
    const target = data[42]!;
    const query = target.map((x, i) => x + (i % 2 ? 0.01 : -0.01)); // a slightly moved copy of #42
    const client = await t.db.pool.connect();
    try {
      await client.query("BEGIN");
      await client.query("SET LOCAL enable_seqscan = off");
      await client.query("SET LOCAL hnsw.ef_search = 100");
      const sql = `SELECT trace_id, (embedding::vector(384)) <=> $1::vector(384) AS distance FROM trace_embeddings
                   WHERE dim = 384 AND model = 'hash-384' ORDER BY (embedding::vector(384)) <=> $1::vector(384) LIMIT 5`;
      const plan = await client.query(`EXPLAIN ${sql}`, [literal(query)]);
      expect(plan.rows.map((r) => r["QUERY PLAN"]).join("\n")).toContain(indexName("trace_embeddings", 384, "hash-384"));
      const result = await client.query(sql, [literal(query)]);
      await client.query("COMMIT");
      expect(result.rows[0].trace_id).toBe("tr42");
      const distances = result.rows.map((r) => Number(r.distance));
      expect([...distances].sort((a, b) => a - b)).toEqual(distances);
      expect(distances[0]).toBeLessThan(0.01);
    } finally {
      client.release();
    }
  });
});
