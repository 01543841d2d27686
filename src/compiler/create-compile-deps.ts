// Builds the dependencies of compile-and-record from configuration (CLI, HTTP and learning cycle
// share it): the registry, the database pool, the configured model and embedder, similar-trace
// retrieval for demo selection, the settings.
import path from "node:path";
import type { Config } from "../config/index.js";
import type { Database } from "../db/database.js";
import type { Logger } from "../log/logger.js";
import { createChatModel, isChatModelConfigured } from "../llm/create-chat-model.js";
import { createEmbedder } from "../llm/create-embedder.js";
import { createSimilarTraces } from "../memory/similar-traces.js";
import { createTraceSource } from "../collector/query/create-trace-source.js";
import type { ChatModel } from "../llm/chat-model.js";
import type { Embedder } from "../llm/embedder.js";
import type { ToolRunner } from "../signature/complete-with-tools.js";
import type { RegistryDeps } from "../registry/registry-deps.js";
import type { CompileAndRecordDeps } from "./compile-and-record.js";
import type { CompileSettings } from "./compile-signature.js";
import { canaryPolicyFrom } from "../registry/canary/canary-policy.js";

/** Compile settings from configuration; relative directories resolve against `cwd`. */
export function compileSettingsFrom(config: Config, cwd = process.cwd()): CompileSettings {
  return {
    promptsDir: path.resolve(cwd, config.promptsDir),
    defaultOptimizer: config.compileOptimizer,
    devSetSize: config.devSetSize,
    minImprovement: config.minImprovement,
    promotionConfidence: config.promotionConfidence,
    confidenceThreshold: config.confidenceThreshold,
    maxLlmCalls: config.maxLlmCallsPerCompilation,
    maxTokens: config.maxTokensPerCompilation,
    maxDemos: config.maxDemos,
    backupOriginalPrompts: config.backupOriginalPrompts,
    evalHoldoutFraction: config.evalHoldoutFraction,
    objective: { objective: config.promotionObjective, tokenPenalty: config.objectiveTokenPenalty },
  };
}

export interface CreateCompileDepsOptions {
  config: Config;
  db: Database;
  logger: Logger;
  /** The registry to read parents from and record outcomes with. Default: built from configuration. */
  registry?: RegistryDeps;
  /** Overrides the configured model (tests, demo). Default: built from LLM_BASE_URL/LLM_MODEL; none without them. */
  model?: ChatModel;
  embedder?: Embedder;
  /** Stops the compilation (a learning cycle being aborted). */
  signal?: AbortSignal;
  cwd?: string;
  /** Runs a signature's service tools during evaluation (the orchestrator's; see CompileDeps.toolRunner). */
  toolRunner?: ToolRunner;
}

/**
 * The production wiring of compileAndRecord: the registry (the prompts git repository when it can
 * be opened, else the plain versions directory), the configured model and embedder, similar-trace
 * retrieval for demo selection, the settings. Without a configured LLM, candidates are built but
 * not evaluated.
 */
export async function createCompileDeps(options: CreateCompileDepsOptions): Promise<CompileAndRecordDeps> {
  const { config, logger, db } = options;
  const cwd = options.cwd ?? process.cwd();
  const embedder = options.embedder ?? createEmbedder(config, { logger });
  const model = options.model ?? (isChatModelConfigured(config) ? createChatModel(config, { logger }) : undefined);
  const registry = options.registry ?? (await (await import("../registry/registry-deps.js")).createRegistryDeps(config, db, logger, { cwd }));
  const canary = canaryPolicyFrom(config);
  return {
    registry,
    ...(canary ? { canary } : {}),
    compile: {
      db,
      store: registry.store,
      ...(model ? { model } : {}),
      embedder,
      // Retrieval indexes with the same embedder MMR compares demos with.
      ...(config.demoRetrieval ? { similarTraces: createSimilarTraces({ db, traces: createTraceSource(db), embedder, logger }) } : {}),
      logger,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.toolRunner ? { toolRunner: options.toolRunner } : {}),
      ...(config.heuristicsEnabled ? { heuristics: { maxPerVersion: config.heuristicsMaxPerVersion } } : {}),
      settings: compileSettingsFrom(config, cwd),
    },
  };
}
