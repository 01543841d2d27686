// max_llm_calls_per_cycle covers every model call a cycle makes: the heuristics library's
// reflections on failed runs come out of it too, and compilation gets what they leave.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { createTestRepo } from "../support/git-fixtures.js";
import { insertTraces, traces } from "../support/learning-fixtures.js";
import { startSimulator, type Simulator } from "../../src/simulator/index.js";
import { silentLogger } from "../../src/log/logger.js";
import { runLearningCycle } from "../../src/learning/run-learning-cycle.js";
import { createLearningDeps } from "../../src/learning/create-learning-deps.js";

describe("the learning cycle's LLM call budget", () => {
  let t: TestDatabase;
  let sim: Simulator;
  beforeAll(async () => {
    [t, sim] = await Promise.all([createTestDatabase(), startSimulator()]);
  });
  afterAll(async () => Promise.all([t?.close(), sim?.close()]));

  it("counts the reflections on failed runs against max_llm_calls_per_cycle and never asks for more than it allows", async () => {
    const repo = createTestRepo();
    try {
      const config = loadConfig({
        env: { META_AGENT_DATA_DIR: t.dataDir, LLM_BASE_URL: sim.baseURL, LLM_MODEL: "sim-chat", MIN_TRACES_FOR_ANALYSIS: "10", PROMPTS_REPO_DIR: repo.dir, MAX_LLM_CALLS_PER_CYCLE: "2", HEURISTICS_REFLECTIONS: "3" },
        cwd: repo.dir,
      });
      await insertTraces(t.db, traces(12, { agent: "diagnosis", signature: "diagnosis", success: false, input: { problemDescription: "pod api-1 crashed" }, output: { faultDetected: false } }));
      const before = sim.calls.length;
      const ctx = { db: t.db, logger: silentLogger, config, deps: createLearningDeps({ config, db: t.db, logger: silentLogger, cwd: repo.dir }) };
      const result = await runLearningCycle(ctx, { trigger: "test" });
      if (result.status === "skipped") throw new Error(result.reason);
      // Three reflections are configured; the cycle's budget of two allows two, compilation gets
      // none left, and the cycle's record counts them.
      expect(result.cycle.errors).toEqual([]);
      expect(sim.calls.length - before).toBe(2);
      expect(sim.calls.slice(before).every((c) => JSON.stringify(c.body).includes("distil lessons from failed runs"))).toBe(true);
      expect(result.cycle.llmCalls).toBe(2);
      expect(result.cycle.tokens).toBeGreaterThan(0);
    } finally {
      repo.remove();
    }
  });

  it("still charges the reflections' calls when the library's refresh fails after them", async () => {
    const fresh = await createTestDatabase();
    const repo = createTestRepo();
    try {
      const config = loadConfig({
        env: { META_AGENT_DATA_DIR: fresh.dataDir, LLM_BASE_URL: sim.baseURL, LLM_MODEL: "sim-chat", MIN_TRACES_FOR_ANALYSIS: "10", PROMPTS_REPO_DIR: repo.dir, MAX_LLM_CALLS_PER_CYCLE: "3", HEURISTICS_REFLECTIONS: "2" },
        cwd: repo.dir,
      });
      await insertTraces(fresh.db, traces(12, { agent: "diagnosis", signature: "diagnosis", success: false, input: { problemDescription: "pod api-1 crashed" }, output: { faultDetected: false } }));
      // The replay buffer is gone: the refresh fails after its two reflections were answered.
      await fresh.db.pool.query("DROP TABLE experience_replay");
      const before = sim.calls.length;
      const ctx = { db: fresh.db, logger: silentLogger, config, deps: createLearningDeps({ config, db: fresh.db, logger: silentLogger, cwd: repo.dir }) };
      const result = await runLearningCycle(ctx, { trigger: "test" });
      if (result.status === "skipped") throw new Error(result.reason);
      const made = sim.calls.slice(before);
      expect(made.filter((c) => JSON.stringify(c.body).includes("distil lessons from failed runs"))).toHaveLength(2);
      // The cycle's record counts them (it counted 0 before), and whatever compilation asked for
      // fit in the one call they left.
      expect(result.cycle.llmCalls).toBe(made.length);
      expect(made.length).toBeLessThanOrEqual(3);
    } finally {
      repo.remove();
      await fresh.close();
    }
  });
});
