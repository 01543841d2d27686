// `status` and /v1/learning/status say "ready" exactly when a cycle's gate can promote: enough
// new traces (min_traces_for_analysis) and a full dev set (dev_set_size, measured with the
// compiler's own split), and say what is missing otherwise.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { silentLogger } from "../../src/log/logger.js";
import { startSimulator, type Simulator } from "../../src/simulator/index.js";
import { runLearningCycle } from "../../src/learning/run-learning-cycle.js";
import { createLearningDeps } from "../../src/learning/create-learning-deps.js";
import { getLearningStatus } from "../../src/learning/get-learning-status.js";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { createTestRepo, type TestRepo } from "../support/git-fixtures.js";
import { insertTraces, diskIncidentBank, diskIncidents, traces } from "../support/learning-fixtures.js";
import { setTraceOutcome } from "../../src/collector/query/set-trace-outcome.js";

describe("readiness agrees with the gate", () => {
  let sim: Simulator;
  let t: TestDatabase;
  let repo: TestRepo;

  beforeAll(async () => {
    sim = await startSimulator({ bank: diskIncidentBank() });
    t = await createTestDatabase();
    repo = createTestRepo();
  });
  afterAll(async () => {
    repo.remove();
    await t.close();
    await sim.close();
  });

  /** The learning deps of a cycle on `tenant` (dev_set_size 10) and its readiness as status reports it. */
  const setup = (tenant: string) => {
    const config = loadConfig({
      env: { META_AGENT_DATA_DIR: t.dataDir, LLM_BASE_URL: sim.baseURL, LLM_MODEL: "sim-chat", COMPILE_OPTIMIZER: "bootstrap-few-shot", DEV_SET_SIZE: "10", MIN_TRACES_FOR_ANALYSIS: "10", PROMPTS_REPO_DIR: repo.dir },
      cwd: repo.dir,
    });
    const deps = createLearningDeps({ config, db: t.db, logger: silentLogger, cwd: repo.dir });
    const status = async () => getLearningStatus(t.db, { tenant, minTracesForAnalysis: 10, devSetSize: 10, targets: await deps.listTargets(tenant), measureDevSet: (x) => deps.measureDevSet!(tenant, x) });
    return { config, deps, status };
  };

  it("is not ready while the dev set would be short, says by how much, and the cycle then refuses for that same reason", async () => {
    const { config, deps, status } = setup("default");

    // 15 successful traces and 6 failed ones: 21 new traces (enough), but only 15 gold answers,
    // and the dev set takes at most half of them: 7 of 10.
    await insertTraces(t.db, [...diskIncidents(15), ...traces(6, { agent: "diagnosis", signature: "diagnosis", promptVersion: "1.0.0", success: false, input: { incidentReport: "disk usage at 100% somewhere" }, output: { rootCause: "unknown" } })]);
    const before = await status();
    const diagnosis = before.signatures.find((s) => s.name === "diagnosis")!;
    expect(diagnosis).toMatchObject({ new_traces: 21, ready: false, dev_examples: 7, dev_set_size: 10 });
    expect(diagnosis.missing).toEqual(["7 of 10 dev examples (dev_set_size): 15 of 20 successful or corrected traces with a valid output, as the dev set takes at most half of them"]);
    expect(before.ready_for_learning).toBe(false);

    const refused = await runLearningCycle({ db: t.db, logger: silentLogger, config, deps }, { trigger: "test" });
    if (refused.status === "skipped") throw new Error(refused.reason);
    expect(refused.cycle.verdicts.find((v) => v.signature === "diagnosis")?.reason).toContain("dev set has 7 examples; at least 10 (dev_set_size)");

    // Ten more gold answers (25 in all, 20 needed) make the dev set full: ready, and the gate agrees (it promotes).
    await insertTraces(t.db, diskIncidents(25).slice(15, 25));
    const after = await status();
    expect(after.signatures.find((s) => s.name === "diagnosis")).toMatchObject({ ready: true, dev_examples: 10, missing: [] });
    expect(after.ready_for_learning).toBe(true);
    const promoted = await runLearningCycle({ db: t.db, logger: silentLogger, config, deps }, { trigger: "test" });
    if (promoted.status === "skipped") throw new Error(promoted.reason);
    expect(promoted.cycle.verdicts.find((v) => v.signature === "diagnosis")).toMatchObject({ verdict: "promoted" });
  });

  it("counts corrected failures as dev examples: corrections make a short dev set full, and the gate agrees", async () => {
    const { config, deps, status: tenantStatus } = setup("acme");
    const status = async () => (await tenantStatus()).signatures.find((s) => s.name === "diagnosis")!;

    // 15 successful runs and 6 failed ones: 15 gold answers, 7 of 10 dev examples, as above.
    const failedIds = (await insertTraces(t.db, [...diskIncidents(15, "acme"), ...traces(6, { tenant: "acme", agent: "diagnosis", signature: "diagnosis", promptVersion: "1.0.0", success: false, input: { incidentReport: "disk usage at 100% somewhere" }, output: { rootCause: "unknown" } })])).slice(15);
    expect(await status()).toMatchObject({ ready: false, dev_examples: 7, corrected_examples: 0 });

    // A person corrects five of the failed runs (the late-outcome use case behind POST /v1/traces/:id/outcome): 20 gold answers, a full dev set.
    const correct = (id: string) => setTraceOutcome(t.db.forTenant("acme").pool, "acme", id, { success: false, expected: { rootCause: "disk full on node-3" } });
    for (const id of failedIds.slice(0, 2)) await correct(id);
    const two = await status();
    expect(two).toMatchObject({ ready: false, dev_examples: 8, corrected_examples: 2 });
    expect(two.missing).toEqual(["8 of 10 dev examples (dev_set_size): 17 of 20 successful or corrected traces with a valid output (2 corrected), as the dev set takes at most half of them"]);
    for (const id of failedIds.slice(2, 5)) await correct(id);
    const corrected = await status();
    expect(corrected).toMatchObject({ ready: true, dev_examples: 10, corrected_examples: 5, missing: [] });

    const cycle = await runLearningCycle({ db: t.db, logger: silentLogger, config, deps }, { trigger: "test", tenant: "acme" });
    if (cycle.status === "skipped") throw new Error(cycle.reason);
    expect(cycle.cycle.verdicts.find((v) => v.signature === "diagnosis")).toMatchObject({ verdict: "promoted" });
  });
});
