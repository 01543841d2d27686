// Aborting a learning cycle in-process (what serve's shutdown and `learn`'s signal handler do):
// the cycle stops at once, is recorded as `aborted` with the reason, commits nothing, consumes no
// traces and releases its claim, so the next cycle learns from the same traces.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { silentLogger } from "../../src/log/logger.js";
import { startSimulator, type Simulator } from "../../src/simulator/index.js";
import { runLearningCycle } from "../../src/learning/run-learning-cycle.js";
import { createLearningDeps } from "../../src/learning/create-learning-deps.js";
import { getLearningStatus } from "../../src/learning/get-learning-status.js";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { createTestRepo, git, type TestRepo } from "../support/git-fixtures.js";
import { insertTraces, diskIncidentBank, diskIncidents } from "../support/learning-fixtures.js";
import { waitFor } from "../support/wait-for.js";

const BANK = diskIncidentBank({ latencyMs: 150 });

const incidents = (tenant: string) => diskIncidents(30, tenant);

describe("aborting a learning cycle", () => {
  let sim: Simulator;
  let t: TestDatabase;

  beforeAll(async () => {
    sim = await startSimulator({ bank: BANK });
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t.close();
    await sim.close();
  });

  const setup = (repo: TestRepo) => {
    const config = loadConfig({
      env: { META_AGENT_DATA_DIR: t.dataDir, LLM_BASE_URL: sim.baseURL, LLM_MODEL: "sim-chat", COMPILE_OPTIMIZER: "bootstrap-few-shot", DEV_SET_SIZE: "10", MIN_TRACES_FOR_ANALYSIS: "10", PROMPTS_REPO_DIR: repo.dir },
      cwd: repo.dir,
    });
    return { db: t.db, logger: silentLogger, config, deps: createLearningDeps({ config, db: t.db, logger: silentLogger, cwd: repo.dir }) };
  };
  const snapshot = (repo: TestRepo) => [git(repo.dir, "for-each-ref", "--format=%(refname) %(objectname)"), git(repo.dir, "status", "--porcelain", "--untracked-files=all")];

  // Analysis runs before the first model call; on a loaded 2-core machine that alone can take
  // tens of seconds, so the wait is generous (it ends as soon as the call comes).
  it("stops mid-compile, records the reason, commits and consumes nothing, and the next cycle promotes", { timeout: 180_000 }, async () => {
    const repo = createTestRepo();
    try {
      const ctx = setup(repo);
      await insertTraces(t.db, incidents("abort-mid"));
      const before = snapshot(repo);
      const stop = new AbortController();
      const calls = sim.calls.length;
      const running = runLearningCycle(ctx, { tenant: "abort-mid", trigger: "test", signal: stop.signal });
      await waitFor(() => sim.calls.length > calls, { timeoutMs: 90_000, what: "the cycle's first model call" });
      stop.abort("SIGTERM received");
      const result = await running;

      if (result.status === "skipped") throw new Error(result.reason);
      expect(result.status).toBe("aborted");
      expect(result.retryable).toBe(false);
      expect(result.cycle.reason).toMatch(/^aborted: SIGTERM received/);
      expect(result.cycle.versionsProduced).toEqual([]);
      expect(result.cycle.errors).toEqual([]);
      expect(snapshot(repo)).toEqual(before);
      const status = await getLearningStatus(t.db, { tenant: "abort-mid", minTracesForAnalysis: 10, targets: await ctx.deps.listTargets("abort-mid") });
      expect(status.running_cycle).toBeNull();
      expect(status.last_cycle).toMatchObject({ status: "aborted" });
      expect(status.signatures.find((s) => s.name === "diagnosis")!.new_traces).toBe(30);

      const next = await runLearningCycle(ctx, { tenant: "abort-mid", trigger: "test" });
      if (next.status === "skipped") throw new Error(next.reason);
      expect(next.status).toBe("completed");
      expect(next.cycle.verdicts.find((v) => v.signature === "diagnosis")!.verdict).toBe("promoted");
      expect(git(repo.dir, "rev-parse", "main").trim()).toBe(next.cycle.versionsProduced[0]!.commit);
    } finally {
      repo.remove();
    }
  });

  it("an already-aborted signal stops the cycle before it analyzes anything", async () => {
    const repo = createTestRepo();
    try {
      const ctx = setup(repo);
      await insertTraces(t.db, incidents("abort-early"));
      const calls = sim.calls.length;
      const result = await runLearningCycle(ctx, { tenant: "abort-early", trigger: "test", signal: AbortSignal.abort("the service is stopping") });
      if (result.status === "skipped") throw new Error(result.reason);
      expect(result.status).toBe("aborted");
      expect(result.cycle.reason).toBe("aborted: the service is stopping (before learning diagnosis)");
      expect(result.cycle.tracesRead).toBe(0);
      expect(sim.calls.length).toBe(calls);
      const runs = await t.db.pool.query(`SELECT 1 FROM analysis_runs WHERE tenant_id = 'abort-early'`);
      expect(runs.rows).toEqual([]);
    } finally {
      repo.remove();
    }
  });
});
