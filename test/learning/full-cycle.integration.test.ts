// A whole learning cycle on real parts: embedded Postgres, a temp git repository, and the
// model simulator whose bank plants "a demo of this incident family fixes it".
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { loadConfig, type Config } from "../../src/config/index.js";
import { silentLogger } from "../../src/log/logger.js";
import { startSimulator, type Simulator } from "../../src/simulator/index.js";
import { runLearningCycle } from "../../src/learning/run-learning-cycle.js";
import { replayBufferSize } from "../../src/heuristics/replay-buffer.js";
import { createLearningDeps } from "../../src/learning/create-learning-deps.js";
import { getLearningStatus } from "../../src/learning/get-learning-status.js";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { createTestRepo, git, type TestRepo } from "../support/git-fixtures.js";
import { insertTraces, diskIncidentBank, diskIncidents } from "../support/learning-fixtures.js";

const BANK = diskIncidentBank();

const incidents = (tenant = "default") => diskIncidents(40, tenant);

describe("a full learning cycle on the simulator", () => {
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

  const configFor = (repo: TestRepo, extra: Record<string, string> = {}): Config =>
    loadConfig({
      env: {
        META_AGENT_DATA_DIR: t.dataDir,
        LLM_BASE_URL: sim.baseURL,
        LLM_MODEL: "sim-chat",
        COMPILE_OPTIMIZER: "bootstrap-few-shot",
        DEV_SET_SIZE: "10",
        MIN_TRACES_FOR_ANALYSIS: "10",
        PROMPTS_REPO_DIR: repo.dir,
        ...extra,
      },
      cwd: repo.dir,
    });

  it("promotes a better version, commits it to git and records the cycle", async () => {
    const repo = createTestRepo();
    try {
      const config = configFor(repo);
      await insertTraces(t.db, incidents());
      const ctx = { db: t.db, logger: silentLogger, config, deps: createLearningDeps({ config, db: t.db, logger: silentLogger, cwd: repo.dir }) };

      const result = await runLearningCycle(ctx, { trigger: "test" });
      if (result.status === "skipped") throw new Error(result.reason);
      const cycle = result.cycle;
      expect(cycle.status).toBe("completed");
      expect(cycle.errors).toEqual([]);
      const verdict = cycle.verdicts.find((v) => v.signature === "diagnosis")!;
      expect(verdict.verdict).toBe("promoted");
      expect(verdict.score!).toBeGreaterThan(verdict.parentScore! + 0.5);
      expect(cycle.llmCalls).toBeGreaterThan(0);
      expect(cycle.tokens).toBeGreaterThan(0);
      expect(cycle.candidatesTried).toBeGreaterThan(0);

      const produced = cycle.versionsProduced.find((v) => v.signature === "diagnosis")!;
      expect(produced).toMatchObject({ mode: "auto", branch: "main", parent: "1.0.0" });
      // The promoted version is a commit on the serving branch, tagged, preceded by the baseline.
      expect(git(repo.dir, "rev-parse", "main").trim()).toBe(produced.commit);
      expect(git(repo.dir, "tag", "--list", "diagnosis@*").trim().split("\n")).toEqual(["diagnosis@1.0.0", `diagnosis@${produced.version}`]);
      const file = readFileSync(path.join(repo.dir, "versions", "diagnosis.yaml"), "utf8");
      expect(git(repo.dir, "show", `${produced.commit}:versions/diagnosis.yaml`)).toBe(file);
      expect(file).toContain("disk usage at 100%");
      // The cycle refreshed the shared heuristics library between analysis and compilation, read
      // the runs into its replay buffer, and the version records its provenance root.
      expect(cycle.timings["diagnosis"]).toHaveProperty("heuristicsMs");
      expect(await replayBufferSize(t.db, "default")).toBeGreaterThan(0);
      expect(git(repo.dir, "log", "-1", "--format=%(trailers:key=Sources-Root,valueonly)", produced.commit)).toMatch(/^[0-9a-f]{64} \(\d+ traces/);

      const status = await getLearningStatus(t.db, { tenant: "default", minTracesForAnalysis: 10, targets: await ctx.deps.listTargets("default") });
      expect(status.signatures.find((s) => s.name === "diagnosis")).toMatchObject({ active_version: produced.version, new_traces: 0, ready: false });
      expect(status.signatures.find((s) => s.name === "diagnosis")!.score_trend.at(-1)).toMatchObject({ version: produced.version, score: verdict.score });

      // The traces are consumed: the next cycle has nothing to learn and says so.
      const again = await runLearningCycle(ctx, { trigger: "test" });
      expect(again.status).toBe("idle");
      expect(again.status !== "skipped" && again.cycle.reason).toContain("diagnosis: 0");
    } finally {
      repo.remove();
    }
  });

  it("in review mode commits to a review branch with a pull-request text and leaves the serving branch alone", async () => {
    const repo = createTestRepo();
    try {
      const config = configFor(repo, { ENABLE_AUTO_UPDATES: "false" });
      await insertTraces(t.db, incidents("reviewed"));
      const before = git(repo.dir, "rev-parse", "main").trim();
      const ctx = { db: t.db, logger: silentLogger, config, deps: createLearningDeps({ config, db: t.db, logger: silentLogger, cwd: repo.dir }) };
      const result = await runLearningCycle(ctx, { tenant: "reviewed", trigger: "test" });
      if (result.status === "skipped") throw new Error(result.reason);
      const produced = result.cycle.versionsProduced.find((v) => v.signature === "diagnosis")!;
      expect(produced.mode).toBe("review");
      expect(produced.branch).toBe(`meta-agent/reviewed/diagnosis-v${produced.version}`);
      expect(git(repo.dir, "rev-parse", produced.branch).trim()).toBe(produced.commit);
      expect(git(repo.dir, "branch", "--show-current").trim()).toBe("main");
      // Only the baseline backup lands on the serving branch.
      expect(git(repo.dir, "log", "--format=%s", `${before}..main`).trim().split("\n")).toHaveLength(1);
      expect(existsSync(path.join(t.dataDir, "pull-requests", `${produced.branch}.md`))).toBe(true);
    } finally {
      repo.remove();
    }
  });
});
