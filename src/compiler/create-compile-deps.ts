// Builds the compile use case's dependencies from configuration (CLI and learning cycle share
// it): the database pool, the prompt store, the configured model and embedder, similar-trace
// retrieval for demo selection, the settings.
import path from "node:path";
import type { Config } from "../config/index.js";
import type { Database } from "../db/database.js";
import type { Logger } from "../log/logger.js";
import { createChatModel, isChatModelConfigured } from "../llm/create-chat-model.js";
import { createEmbedder } from "../llm/create-embedder.js";
import { createSimilarTraces } from "../memory/similar-traces.js";
import type { PromptStore } from "../registry/prompt-store.js";
import { createVersionsDirPromptStore } from "../registry/versions-dir-prompt-store.js";
import type { CompileDeps, CompileSettings } from "./compile-signature.js";

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
  };
}

export interface CreateCompileDepsOptions {
  config: Config;
  db: Database;
  logger: Logger;
  /** Where versions are read and saved. Default: see createCompileDeps. */
  store?: PromptStore;
  cwd?: string;
}

/**
 * The production wiring of compileSignature. Versions live in the prompts git repository when
 * it can be opened (`prompts_repo_dir`): outcomes are recorded by the registry (commit and tag,
 * or a review branch with pull-request text, plus the Postgres mirror). Otherwise they live in
 * the plain versions directory (`versions_dir`). Without a configured LLM, candidates are built
 * but not evaluated.
 */
export async function createCompileDeps(options: CreateCompileDepsOptions): Promise<CompileDeps> {
  const { config, logger, db } = options;
  const cwd = options.cwd ?? process.cwd();
  const embedder = createEmbedder(config, { logger });
  const base = {
    pool: db.pool,
    ...(isChatModelConfigured(config) ? { model: createChatModel(config, { logger }) } : {}),
    embedder,
    // Retrieval indexes with the same embedder MMR compares demos with.
    ...(config.demoRetrieval ? { similarTraces: createSimilarTraces({ db, embedder, logger }) } : {}),
    logger,
    settings: compileSettingsFrom(config, cwd),
  };
  if (options.store) return { ...base, store: options.store };
  const { createRegistryDeps } = await import("../registry/registry-deps.js");
  const registry = await createRegistryDeps(config, db.prisma, logger, { cwd });
  if (!registry.store) return { ...base, store: createVersionsDirPromptStore(path.resolve(cwd, config.versionsDir)) };
  const { recordCandidate } = await import("../registry/record-candidate.js");
  return {
    ...base,
    store: registry.store,
    async record(input) {
      const result = await recordCandidate(registry, {
        tenant: input.tenant,
        candidate: input.candidate,
        verdict: input.promoted ? "promoted" : "rejected",
        summary: input.summary,
        reason: input.reason,
      });
      return { saved: [result.baseline, result.saved].filter((v): v is NonNullable<typeof v> => v !== undefined), version: result.version };
    },
  };
}
