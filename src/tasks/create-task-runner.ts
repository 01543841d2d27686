// Builds the hierarchical task runner on top of a served orchestrator: the shared wave limiter,
// the task store, the engineer's sandbox and the Librarian for research sub-tasks. `serve`, the
// tests and the benchmarks use it; the orchestrator itself knows nothing about tasks.
import type { Config } from "../config/index.js";
import type { Database } from "../db/database.js";
import type { Logger } from "../log/logger.js";
import type { Embedder } from "../llm/embedder.js";
import { research } from "../librarian/research.js";
import type { Orchestrator } from "../orchestrator/create-orchestrator.js";
import { createWaveRunner, type WaveRunner } from "./wave-runner.js";
import { createTaskStore, type TaskStore } from "./task-store.js";
import { runTask, type RunTaskRequest } from "./run-task.js";
import { runProgram } from "../sandbox/run-program.js";
import type { ResearchFn } from "./run-sub-task.js";
import type { TaskResult } from "./task-result.js";
import { createRouter, type Router, type RouterSettings } from "../orchestrator/routing/create-router.js";

/** What the task runner reads from the configuration (each maps to one config key). */
export interface TaskRunnerSettings {
  /** Model calls of one wave in flight at once, across all tasks (`orchestrator_concurrency`, default 8). */
  concurrency: number;
  /** Timeout of one sub-call in ms (`orchestrator_call_timeout_ms`, default 60000). */
  callTimeoutMs: number;
  /** Most sub-tasks taken from the analyst's plan (`orchestrator_max_subtasks`, default 8). */
  maxSubTasks: number;
  /** Levels of sub-tasks (`orchestrator_max_depth`, default 1). */
  maxDepth?: number;
  /** Most parts of a split sub-task below the first level (`orchestrator_agents_per_level`, default 2). */
  agentsPerLevel?: number;
  /** Wall-clock limit of an engineer's program in ms (`orchestrator_program_timeout_ms`, default 5000). */
  programTimeoutMs: number;
  /** Library passages given to a research sub-task (`orchestrator_research_passages`, default 5). */
  researchPassages: number;
  /** HNSW ef_search of the library search (`vector_ef_search`). */
  vectorEfSearch: number;
  /** Learned routing of sub-tasks (`routing_*` keys, docs/routing.md). */
  routing: RouterSettings;
}

/** The task runner's settings from the configuration. */
export function taskRunnerSettingsFrom(config: Config): TaskRunnerSettings {
  return {
    concurrency: config.orchestratorConcurrency,
    callTimeoutMs: config.orchestratorCallTimeoutMs,
    maxSubTasks: config.orchestratorMaxSubtasks,
    maxDepth: config.orchestratorMaxDepth,
    agentsPerLevel: config.orchestratorAgentsPerLevel,
    programTimeoutMs: config.orchestratorProgramTimeoutMs,
    researchPassages: config.orchestratorResearchPassages,
    vectorEfSearch: config.vectorEfSearch,
    routing: routerSettingsFrom(config),
  };
}

/** The router's settings from the configuration. */
export function routerSettingsFrom(config: Config): RouterSettings {
  return { enabled: config.routingEnabled, exploration: config.routingExploration, models: config.routingModels, minTraces: config.routingMinTraces, versionsDir: config.versionsDir };
}

export interface CreateTaskRunnerDeps {
  /** The served signatures every call of a task goes through. */
  orchestrator: Pick<Orchestrator, "runSignature" | "registry" | "recorder" | "embedder"> & Partial<Pick<Orchestrator, "modelIssue">>;
  db: Database;
  logger: Logger;
  /** Library search of research sub-tasks. Default: the tenant's library with the orchestrator's embedder (null: none). */
  research?: ResearchFn | null;
  /** The sub-task router. Default: built from `settings.routing` with the orchestrator's embedder. */
  router?: Router;
}

export interface TaskRunner {
  waves: WaveRunner;
  store: TaskStore;
  /** Routes sub-tasks (learned policy, or the fixed rule on a cold start). */
  router: Router;
  runTask(request: RunTaskRequest): Promise<TaskResult>;
}

export function createTaskRunner(settings: TaskRunnerSettings, deps: CreateTaskRunnerDeps): TaskRunner {
  const { orchestrator, db, logger } = deps;
  // The embedder is the orchestrator's, built on first use: a misconfigured embeddings endpoint
  // then fails research (logged, the worker answers without references), not the service's start.
  const researchLibrary: ResearchFn | null =
    deps.research !== undefined
      ? deps.research
      : ({ tenant, question }) => research({ db, embedder: orchestrator.embedder(), logger }, { tenant, question, k: settings.researchPassages, efSearch: settings.vectorEfSearch });
  const waves = createWaveRunner({ concurrency: settings.concurrency, timeoutMs: settings.callTimeoutMs });
  // Each level below the first has a limiter of its own: a split sub-task holds its slot while its
  // parts run, and parts queued behind their parents' slots would never start.
  const nested = new Map<number, WaveRunner>();
  const nestedWaves = (depth: number) => {
    let runner = nested.get(depth);
    if (!runner) nested.set(depth, (runner = createWaveRunner({ concurrency: settings.concurrency, timeoutMs: settings.callTimeoutMs })));
    return runner;
  };
  const store = createTaskStore(db);
  const router =
    deps.router ??
    createRouter(settings.routing, {
      embed: async (text) => (await orchestrator.embedder().embed([text]))[0]!,
      logger,
    });
  return {
    waves,
    store,
    router,
    runTask: (request) => {
      // Without a model no call of the task can run: refuse it (503 llm_config) instead of
      // storing a failed task and failed traces that are our configuration's fault.
      const issue = orchestrator.modelIssue?.();
      if (issue) return Promise.reject(issue);
      return runTask(
        {
          runSignature: orchestrator.runSignature,
          registry: orchestrator.registry,
          waves,
          recorder: orchestrator.recorder,
          tasks: store,
          logger,
          maxSubTasks: settings.maxSubTasks,
          ...(settings.maxDepth !== undefined ? { maxDepth: settings.maxDepth } : {}),
          ...(settings.agentsPerLevel !== undefined ? { agentsPerLevel: settings.agentsPerLevel } : {}),
          callTimeoutMs: settings.callTimeoutMs,
          nestedWaves,
          runProgram: (code, { signal }) => runProgram(code, { timeoutMs: settings.programTimeoutMs, ...(signal ? { signal } : {}) }),
          ...(researchLibrary ? { research: researchLibrary } : {}),
          router,
        },
        request,
      );
    },
  };
}
