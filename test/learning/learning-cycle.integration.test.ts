import { describe, it, expect, beforeAll, afterAll } from "vitest";
import pg from "pg";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { insertTraces, traces } from "../support/learning-fixtures.js";
import { silentLogger } from "../../src/log/logger.js";
import type { Database } from "../../src/db/database.js";
import { runLearningCycle } from "../../src/learning/run-learning-cycle.js";
import { claimCycle } from "../../src/learning/claim-cycle.js";
import { createLearningDeps } from "../../src/learning/create-learning-deps.js";
import { listLearningCycles } from "../../src/learning/list-learning-cycles.js";
import { getLearningStatus } from "../../src/learning/get-learning-status.js";

describe("learning cycle", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase({ MIN_TRACES_FOR_ANALYSIS: "10" });
  });
  afterAll(async () => t.close());

  const ctx = () => ({ db: t.db, logger: silentLogger, deps: createLearningDeps({ config: t.config, db: t.db, logger: silentLogger, cwd: t.dataDir }), config: t.config });

  it("does nothing with too few new traces and records why", async () => {
    await insertTraces(t.db, traces(3, { tenant: "few", agent: "diagnosis", success: true }));
    const result = await runLearningCycle(ctx(), { tenant: "few", trigger: "test" });
    expect(result.status).toBe("idle");
    if (result.status === "skipped") throw new Error("unexpected");
    expect(result.cycle.reason).toContain("min_traces_for_analysis (10)");
    expect(result.cycle.reason).toContain("diagnosis: 3");
    expect(result.cycle.verdicts).toEqual([expect.objectContaining({ signature: "diagnosis", verdict: "skipped", newTraces: 3 })]);
    expect(result.cycle.llmCalls).toBe(0);
    const { cycles } = await listLearningCycles(t.db, { tenant: "few" });
    expect(cycles.map((c) => [c.id, c.status])).toEqual([[result.cycle.id, "idle"]]);
    const status = await getLearningStatus(t.db, { tenant: "few", minTracesForAnalysis: 10, targets: await ctx().deps.listTargets("few") });
    expect(status).toMatchObject({ learning_cycles: 1, ready_for_learning: false, signatures: [{ name: "diagnosis", new_traces: 3, ready: false }] });
  });

  it("says so when a tenant has no traces at all", async () => {
    const result = await runLearningCycle(ctx(), { tenant: "empty", trigger: "test" });
    expect(result.status === "idle" && result.cycle.reason).toBe("nothing to learn: no traces yet");
  });

  it("keeps a failed signature's traces for the next cycle and reports the failure", async () => {
    await insertTraces(t.db, traces(12, { tenant: "broken", agent: "triage", success: true }));
    const first = await runLearningCycle(ctx(), { tenant: "broken", trigger: "test" });
    expect(first.status).toBe("failed");
    if (first.status !== "failed") throw new Error("unexpected");
    expect(first.retryable).toBe(false);
    expect(first.cycle.errors[0]).toMatchObject({ phase: "cycle" });
    const status = await getLearningStatus(t.db, { tenant: "broken", minTracesForAnalysis: 10, targets: [{ signature: "triage", agent: "triage" }] });
    expect(status.signatures[0]).toMatchObject({ new_traces: 12, ready: true });
    expect(status.ready_for_learning).toBe(true);
  });

  it("lets exactly one of two racing claimants run, even over separate connection pools", async () => {
    // A second pool is what another process would have; on the embedded database both share
    // one Postgres session, so the advisory lock alone would let both in.
    const otherPool = new pg.Pool({ connectionString: t.db.url, max: 3 });
    const other: Database = { ...t.db, pool: otherPool };
    try {
      for (let round = 0; round < 5; round++) {
        const [a, b] = await Promise.all([
          claimCycle(t.db, { tenant: "race", trigger: "a", logger: silentLogger }),
          claimCycle(other, { tenant: "race", trigger: "b", logger: silentLogger }),
        ]);
        expect([a.claimed, b.claimed].filter(Boolean)).toHaveLength(1);
        const winner = a.claimed ? a : b;
        const loser = a.claimed ? b : a;
        if (!winner.claimed || loser.claimed) throw new Error("unexpected");
        expect(loser.reason).toMatch(/another learning cycle is running/);
        // While the winner holds it, a whole cycle is skipped with the reason.
        const skipped = await runLearningCycle({ ...ctx(), db: other }, { tenant: "race", trigger: "test" });
        expect(skipped).toMatchObject({ status: "skipped", runningCycleId: winner.claim.cycleId });
        await t.db.pool.query(`UPDATE learning_cycles SET status = 'completed', finished_at = now() WHERE id = $1`, [winner.claim.cycleId]);
        await winner.claim.release();
      }
    } finally {
      await otherPool.end();
    }
  });

  it("takes over a running cycle whose process stopped sending heartbeats", async () => {
    await t.db.pool.query(
      `INSERT INTO learning_cycles (id, tenant_id, trigger, status, heartbeat_at, started_at) VALUES ('dead-cycle', 'stale', 'cli', 'running', now() - interval '10 minutes', now() - interval '10 minutes')`,
    );
    const result = await runLearningCycle(ctx(), { tenant: "stale", trigger: "test" });
    expect(result.status).toBe("idle");
    const { rows } = await t.db.pool.query(`SELECT status, reason FROM learning_cycles WHERE id = 'dead-cycle'`);
    expect(rows[0]).toMatchObject({ status: "abandoned" });
  });
});
