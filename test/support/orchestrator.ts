// A complete orchestrator for integration tests: the model simulator (the only stand-in), a real
// migrated embedded database, a real git repository whose versions/ holds the baseline compiled
// versions of the shipped analyst/worker/synthesizer signatures, and the orchestrator and task
// runner built from configuration exactly as `serve` builds them.
import { fileURLToPath } from "node:url";
import { startSimulator, type BankInput, type Simulator } from "../../src/simulator/index.js";
import { loadSignature } from "../../src/signature/load-signatures.js";
import { baselineVersion } from "../../src/domain/baseline-version.js";
import { createOrchestrator, type Orchestrator } from "../../src/orchestrator/create-orchestrator.js";
import { createTaskRunner, taskRunnerSettingsFrom, type TaskRunner } from "../../src/tasks/create-task-runner.js";
import type { CompiledVersion } from "../../src/domain/compiled-version.js";
import { createTestDatabase, type TestDatabase } from "./database.js";
import { initPromptsRepo } from "./compiled-versions.js";
import { captureLogger, type CapturedLogger } from "./log-capture.js";
import { makeTempDir } from "./temp-dir.js";

export const PROMPTS_DIR = fileURLToPath(new URL("../../prompts", import.meta.url));

export interface OrchestratorFixture {
  sim: Simulator;
  tdb: TestDatabase;
  orchestrator: Orchestrator;
  /** The task runner on top of `orchestrator`, built as `serve` builds it. */
  tasks: TaskRunner;
  log: CapturedLogger;
  repo: { versionsDir: string; commitVersion(v: CompiledVersion): Promise<void> };
  close(): Promise<void>;
}

/** The shipped signature `name` as its baseline compiled version 1.0.0. */
export async function shippedBaseline(name: string): Promise<CompiledVersion> {
  return baselineVersion((await loadSignature(PROMPTS_DIR, name)).signature, new Date("2026-11-22T00:00:00Z"));
}

export async function startOrchestratorFixture(options: { bank: BankInput; versions?: CompiledVersion[]; env?: Record<string, string> }): Promise<OrchestratorFixture> {
  const sim = await startSimulator({ bank: options.bank });
  const tmp = makeTempDir("meta-agent-repo-");
  const repo = await initPromptsRepo(tmp.dir);
  for (const name of ["analyst", "worker", "synthesizer"]) await repo.commitVersion(await shippedBaseline(name));
  for (const v of options.versions ?? []) await repo.commitVersion(v);
  const tdb = await createTestDatabase({
    META_AGENT_VERSIONS_DIR: repo.versionsDir,
    LLM_BASE_URL: sim.baseURL,
    LLM_MODEL: "sim-chat",
    LLM_MAX_RETRIES: "1",
    LLM_RETRY_BASE_DELAY_MS: "5",
    // Tests that repeat inputs expect model calls; the cache has its own test (CACHE_ENABLED=true).
    CACHE_ENABLED: "false",
    ...options.env,
  });
  const log = captureLogger("info");
  const orchestrator = await createOrchestrator(tdb.config, tdb.db, log.logger);
  const tasks = createTaskRunner(taskRunnerSettingsFrom(tdb.config), { orchestrator, db: tdb.db, logger: log.logger });
  return {
    sim,
    tdb,
    orchestrator,
    tasks,
    log,
    repo,
    async close() {
      await orchestrator.close();
      await tdb.close();
      await sim.close();
      tmp.remove();
    },
  };
}

/** Stored traces of a tenant, oldest first, as the collector stored them. */
export async function storedTraces(tdb: TestDatabase, tenant = "default") {
  const { rows } = await tdb.db.pool.query<{
    id: string;
    agent: string;
    signature: string | null;
    prompt_version: string | null;
    parent_trace_id: string | null;
    prompt_tokens: number;
    completion_tokens: number;
    step_count: number;
    success: boolean | null;
    metadata: Record<string, unknown>;
    output: unknown;
  }>("SELECT id, agent, signature, prompt_version, parent_trace_id, prompt_tokens, completion_tokens, step_count, success, metadata, output FROM traces WHERE tenant_id = $1 ORDER BY seq", [tenant]);
  return rows;
}
