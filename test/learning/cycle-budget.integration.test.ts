// max_llm_calls_per_cycle covers every model call a cycle makes: the heuristics library's
// reflections on failed runs come out of it too, and compilation gets what they leave.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { createTestRepo, type TestRepo } from "../support/git-fixtures.js";
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

  /** Twelve failed runs of the diagnosis agent: what reflections learn from. */
  const insertFailedRuns = (db: TestDatabase["db"]) =>
    insertTraces(db, traces(12, { agent: "diagnosis", signature: "diagnosis", success: false, input: { problemDescription: "pod api-1 crashed" }, output: { faultDetected: false } }));
  /** One learning cycle on `on`'s database with the budget settings in `env`. */
  const runCycle = async (on: TestDatabase, repo: TestRepo, env: Record<string, string>) => {
    const config = loadConfig({ env: { META_AGENT_DATA_DIR: on.dataDir, LLM_BASE_URL: sim.baseURL, LLM_MODEL: "sim-chat", MIN_TRACES_FOR_ANALYSIS: "10", PROMPTS_REPO_DIR: repo.dir, ...env }, cwd: repo.dir });
    const result = await runLearningCycle({ db: on.db, logger: silentLogger, config, deps: createLearningDeps({ config, db: on.db, logger: silentLogger, cwd: repo.dir }) }, { trigger: "test" });
    if (result.status === "skipped") throw new Error(result.reason);
    return result;
  };

  it("counts the reflections on failed runs against max_llm_calls_per_cycle and never asks for more than it allows", async () => {
    const repo = createTestRepo();
    try {
      await insertFailedRuns(t.db);
      const before = sim.calls.length;
      const result = await runCycle(t, repo, { MAX_LLM_CALLS_PER_CYCLE: "2", HEURISTICS_REFLECTIONS: "3" });
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
      await insertFailedRuns(fresh.db);
      // The replay buffer is gone: the refresh fails after its two reflections were answered.
      await fresh.db.pool.query("DROP TABLE experience_replay");
      const before = sim.calls.length;
      const result = await runCycle(fresh, repo, { MAX_LLM_CALLS_PER_CYCLE: "3", HEURISTICS_REFLECTIONS: "2" });
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
