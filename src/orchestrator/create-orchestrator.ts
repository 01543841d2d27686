// Builds the orchestrator from configuration: the watched version registry, the model, the trace
// recorder, the semantic cache and the service tools behind runSignature. `serve`, the CLI and the task runner
// (tasks/create-task-runner.ts) use it.
import type { Config } from "../config/index.js";
import type { Database } from "../db/database.js";
import type { Logger } from "../log/logger.js";
import type { ChatModel } from "../llm/chat-model.js";
import { createChatModel, isChatModelConfigured, type ChatModelConfig } from "../llm/create-chat-model.js";
import { createServedVersions, type ServedVersions } from "../registry/served-versions.js";
import { createTaggedVersionLoader } from "../registry/read-tagged-version.js";
import { createDatabaseTraceRecorder, type TraceRecorder } from "./trace-recorder.js";
import { createSignatureRunner, type RunSignature } from "./run-signature.js";
import type { SignatureCache } from "./signature-cache.js";
import { stat } from "node:fs/promises";
import { listSignatureNames, loadSignature } from "../signature/load-signatures.js";
import { baselineVersion } from "../domain/baseline-version.js";
import { createEmbedder, type EmbedderConfig } from "../llm/create-embedder.js";
import { createSemanticCache, type PreparedKey } from "../memory/semantic-cache.js";
import { cacheOptionsFromConfig, type CacheConfig } from "../memory/cache-options.js";
import type { Embedder } from "../llm/embedder.js";
import { createCanaryRouting, type CanaryRouting } from "../registry/canary/canary-routing.js";
import { LlmError } from "../llm/errors.js";
import { createServiceTools } from "./tools/create-service-tools.js";
import { createToolRunner } from "./tools/create-tool-runner.js";
import type { ToolRunner } from "../signature/complete-with-tools.js";

/** The configuration the orchestrator reads: its directories, the model, the embedder and the cache. */
export type OrchestratorConfig = Pick<Config, "versionsDir" | "promptsDir" | "maxToolResponseChars" | "modelPrices" | "orchestratorToolMaxRounds" | "orchestratorProgramTimeoutMs" | "orchestratorResearchPassages"> &
  ChatModelConfig &
  EmbedderConfig &
  CacheConfig;

export interface Orchestrator {
  registry: ServedVersions;
  recorder: TraceRecorder;
  runSignature: RunSignature;
  /** Which arm of a running canary a call gets (read from the database, shared by replicas). */
  canary: CanaryRouting;
  /** The model signatures are run on (the evaluation harness uses it too). */
  model: ChatModel;
  /** The configured embedder, built on first use and shared by the semantic cache and the task runner's research. */
  embedder(): Embedder;
  /** The service tools as runSignature runs them, for evaluations of signatures that declare them. */
  toolRunner: ToolRunner;
  /**
   * Why no model can be called (no LLM_BASE_URL / LLM_MODEL: an `llm_config` error naming the fix),
   * or undefined when one is configured. Doors check it before starting work that needs a model.
   */
  modelIssue(): LlmError | undefined;
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
  /** The process's shared embedder (cache and Librarian). Default: built from configuration on first use. */
  embedder?: Embedder;
  /** How often running canaries are re-read from the database, in ms. Default 1000. */
  canaryRefreshMs?: number;
}

/** The semantic cache the configuration asks for (cache_enabled, thresholds, TTL), or null. */
function defaultCache(config: CacheConfig, db: Database, logger: Logger, embedder: () => Embedder): SignatureCache | null {
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
function unconfiguredModel(config: ChatModelConfig): ChatModel {
  return {
    model: "",
    complete: async () => {
      createChatModel(config);
      throw new Error("unreachable");
    },
  };
}

export async function createOrchestrator(config: OrchestratorConfig, db: Database, logger: Logger, options: CreateOrchestratorOptions = {}): Promise<Orchestrator> {
  const versionsDir = config.versionsDir;
  const registry = createServedVersions({
    dir: versionsDir,
    logger,
    watch: options.watch ?? true,
    loadTagged: createTaggedVersionLoader({ versionsDir, db, logger }),
    listBaselines: () => listSignatureNames(config.promptsDir),
    loadBaseline: async (name) => {
      const { signature, file } = await loadSignature(config.promptsDir, name);
      return baselineVersion(signature, (await stat(file)).mtime);
    },
  });
  await registry.ready;
  const configured = options.model !== undefined || isChatModelConfigured(config);
  const model = options.model ?? (configured ? createChatModel(config, { logger }) : unconfiguredModel(config));
  const recorder = createDatabaseTraceRecorder(db, logger, { maxToolResponseChars: config.maxToolResponseChars, prices: config.modelPrices });
  // One embedder for the semantic cache and the Librarian, built on first use: a misconfigured
  // embeddings endpoint then fails research (logged, the worker answers without references)
  // instead of the service's start — unless the cache needs it right away.
  let embedder: Embedder | undefined = options.embedder;
  const sharedEmbedder = () => (embedder ??= createEmbedder(config, { logger }));
  const cache = options.cache === undefined ? defaultCache(config, db, logger, sharedEmbedder) : options.cache;
  // Canaries are routed for every tenant: a canary row exists only for tenants that enabled them.
  const canary = createCanaryRouting({ db, logger, ...(options.canaryRefreshMs !== undefined ? { refreshMs: options.canaryRefreshMs } : {}) });
  // The service tools a signature may declare: the Engineer's sandbox and the tenant's library.
  const tools = createServiceTools({ programTimeoutMs: config.orchestratorProgramTimeoutMs, researchPassages: config.orchestratorResearchPassages }, () => ({ db, embedder: sharedEmbedder(), logger }));
  const runSignature = createSignatureRunner({ registry, model, recorder, logger, canary, tools, maxToolRounds: config.orchestratorToolMaxRounds, ...(cache ? { cache } : {}) });
  return {
    registry,
    recorder,
    runSignature,
    canary,
    model,
    embedder: sharedEmbedder,
    toolRunner: createToolRunner(tools, { maxRounds: config.orchestratorToolMaxRounds, logger }),
    modelIssue() {
      if (configured) return undefined;
      try {
        createChatModel(config);
      } catch (e) {
        if (e instanceof LlmError) return e;
      }
      return undefined;
    },
    async close() {
      await registry.close();
      await recorder.flush();
    },
  };
}
