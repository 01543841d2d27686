import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/database.js";

// PGlite has one Postgres session; pglite-socket multiplexes client connections over it.
// These tests pin down that transactions stay isolated and concurrent work is queued, not failed.
describe("embedded database through the loopback socket", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => t.close());

  it("keeps concurrent Prisma transactions atomic: committed ones persist, failed ones leave nothing", async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, (_, i) =>
        t.db.prisma.$transaction(async (tx) => {
          await tx.analysisRun.create({ data: { id: `run-${i}`, tenantId: "default", agent: "tx-test", status: "done", mode: "full" } });
          await tx.pattern.create({
            data: { id: `pat-${i}`, tenantId: "default", runId: `run-${i}`, agent: "tx-test", type: "success_pattern", key: "k", description: "d", support: 1, frequency: 1, effect: 0, baseline: 0, confidence: 0 },
          });
          if (i % 4 === 0) throw new Error(`abort ${i}`);
        }),
      ),
    );
    expect(results.filter((r) => r.status === "rejected")).toHaveLength(10);
    expect(await t.db.prisma.analysisRun.count({ where: { agent: "tx-test" } })).toBe(30);
    expect(await t.db.prisma.pattern.count({ where: { agent: "tx-test" } })).toBe(30);
    expect(await t.db.prisma.analysisRun.findUnique({ where: { id: "run-4" } })).toBeNull();
  });

  it("serves many concurrent parameterized queries of different shapes with correct answers", async () => {
    const answers = await Promise.all(
      Array.from({ length: 300 }, async (_, i) => {
        if (i % 3 === 0) return (await t.db.pool.query("SELECT $1::int + 1 AS v", [i])).rows[0].v === i + 1;
        if (i % 3 === 1) return (await t.db.pool.query("SELECT $1::text || $2::text AS v", ["a", String(i)])).rows[0].v === `a${i}`;
        return (await t.db.prisma.tenant.findUnique({ where: { id: "default" } }))?.id === "default";
      }),
    );
    expect(answers.every(Boolean)).toBe(true);
  });
});
