// Builds the orchestrator from configuration: the watched version registry, the model, the trace
// recorder, the shared wave limiter, the task store, and the routing of sub-tasks (the engineer's
// sandbox, the Librarian). `serve` and the CLI both use it.
import type { Config } from "../config/index.js";
import type { Database } from "../db/database.js";
import type { Logger } from "../log/logger.js";
import type { ChatModel } from "../llm/chat-model.js";
import { createChatModel, isChatModelConfigured } from "../llm/create-chat-model.js";
import { createServedVersions, type ServedVersions } from "../registry/served-versions.js";
import { createTaggedVersionLoader } from "../registry/read-tagged-version.js";
import { createDatabaseTraceRecorder, type TraceRecorder } from "./trace-recorder.js";
import { createSignatureRunner, type RunSignature } from "./run-signature.js";
import { createWaveRunner, type WaveRunner } from "./wave-runner.js";
import { createTaskStore, type TaskStore } from "./task-store.js";
import { runTask, type RunTaskRequest } from "./run-task.js";
import type { SignatureCache } from "./signature-cache.js";
import { stat } from "node:fs/promises";
import { listSignatureNames, loadSignature } from "../compiler/load-signatures.js";
import { baselineVersion } from "../domain/baseline-version.js";
import { createEmbedder } from "../llm/create-embedder.js";
import { createSemanticCache, type PreparedKey } from "../memory/semantic-cache.js";
import { cacheOptionsFromConfig } from "../memory/cache-options.js";
import type { TaskResult } from "./task-result.js";
import type { Embedder } from "../llm/embedder.js";
import { research } from "../librarian/research.js";
import { runProgram } from "./run-program.js";
import type { ResearchFn } from "./run-sub-task.js";

export interface Orchestrator {
  registry: ServedVersions;
  recorder: TraceRecorder;
  waves: WaveRunner;
  tasks: TaskStore;
  runSignature: RunSignature;
  runTask(request: RunTaskRequest): Promise<TaskResult>;
  /** Stops watching and stores the traces still queued. */
  close(): Promise<void>;
}

export interface CreateOrchestratorOptions {
  /** The model to call. Default: built from LLM_BASE_URL / LLM_MODEL; without them calls fail with llm_config. */
  model?: ChatModel;
  /** Watch the versions directory. Default true (the one-shot CLI turns it off). */
  watch?: boolean;
  /** Semantic cache. Default: built from the cache_* configuration (null: no cache). */
  cache?: SignatureCache | null;
  /** Library search of research sub-tasks. Default: the tenant's library with the configured embedder (null: none). */
  research?: ResearchFn | null;
  /** The process's shared embedder (cache and Librarian). Default: built from configuration on first use. */
  embedder?: Embedder;
}

/** The semantic cache the configuration asks for (cache_enabled, thresholds, TTL), or null. */
function defaultCache(config: Config, db: Database, logger: Logger, embedder: () => Embedder): SignatureCache | null {
  const options = cacheOptionsFromConfig(config, logger);
  if (!options) return null;
  const cache = createSemanticCache(db, embedder(), options);
  return {
    lookup: (input) => cache.lookup(input),
    // `key` is what this cache's own missed lookup returned.
    store: ({ key, ...input }) => cache.store({ ...input, ...(key ? { key: key as PreparedKey } : {}) }),
  };
}

/** A model that fails every call with the configuration error, so the service starts without an LLM. */
function unconfiguredModel(config: Config): ChatModel {
  return {
    model: "",
    complete: async () => {
      createChatModel(config);
      throw new Error("unreachable");
    },
  };
}

export async function createOrchestrator(config: Config, db: Database, logger: Logger, options: CreateOrchestratorOptions = {}): Promise<Orchestrator> {
  const versionsDir = config.versionsDir;
  const registry = createServedVersions({
    dir: versionsDir,
    logger,
    watch: options.watch ?? true,
    loadTagged: createTaggedVersionLoader({ versionsDir, prisma: db.prisma, logger }),
    listBaselines: () => listSignatureNames(config.promptsDir),
    loadBaseline: async (name) => {
      const { signature, file } = await loadSignature(config.promptsDir, name);
      return baselineVersion(signature, (await stat(file)).mtime);
    },
  });
  await registry.ready;
  const model = options.model ?? (isChatModelConfigured(config) ? createChatModel(config, { logger }) : unconfiguredModel(config));
  const recorder = createDatabaseTraceRecorder(db.pool, logger, { maxToolResponseChars: config.maxToolResponseChars });
  // One embedder for the semantic cache and the Librarian, built on first use: a misconfigured
  // embeddings endpoint then fails research (logged, the worker answers without references)
  // instead of the service's start — unless the cache needs it right away.
  let embedder: Embedder | undefined = options.embedder;
  const sharedEmbedder = () => (embedder ??= createEmbedder(config, { logger }));
  const cache = options.cache === undefined ? defaultCache(config, db, logger, sharedEmbedder) : options.cache;
  const researchLibrary: ResearchFn | null =
    options.research !== undefined
      ? options.research
      : ({ tenant, question }) => research({ db, embedder: sharedEmbedder(), logger }, { tenant, question, k: config.orchestratorResearchPassages, efSearch: config.vectorEfSearch });
  const runSignature = createSignatureRunner({ registry, model, recorder, logger, ...(cache ? { cache } : {}) });
  const waves = createWaveRunner({ concurrency: config.orchestratorConcurrency, timeoutMs: config.orchestratorCallTimeoutMs });
  const tasks = createTaskStore(db.prisma);
  return {
    registry,
    recorder,
    waves,
    tasks,
    runSignature,
    runTask: (request) =>
      runTask(
        {
          runSignature,
          registry,
          waves,
          recorder,
          tasks,
          logger,
          maxSubTasks: config.orchestratorMaxSubtasks,
          runProgram: (code, { signal }) => runProgram(code, { timeoutMs: config.orchestratorProgramTimeoutMs, ...(signal ? { signal } : {}) }),
          ...(researchLibrary ? { research: researchLibrary } : {}),
        },
        request,
      ),
    async close() {
      await registry.close();
      await recorder.flush();
    },
  };
}
