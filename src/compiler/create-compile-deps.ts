// Builds the compile use case's dependencies from configuration (CLI and learning cycle share
// it): the database pool, the prompt store, the configured model and embedder, the settings.
import path from "node:path";
import type { Config } from "../config/index.js";
import type { Database } from "../db/database.js";
import type { Logger } from "../log/logger.js";
import { createChatModel, isChatModelConfigured } from "../llm/create-chat-model.js";
import { createEmbedder } from "../llm/create-embedder.js";
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
  /** Where versions are read and saved. Default: the versions directory (`versions_dir`). */
  store?: PromptStore;
  cwd?: string;
}

/** The production wiring of compileSignature. Without a configured LLM, candidates are built but not evaluated. */
export function createCompileDeps(options: CreateCompileDepsOptions): CompileDeps {
  const { config, logger } = options;
  const cwd = options.cwd ?? process.cwd();
  return {
    pool: options.db.pool,
    store: options.store ?? createVersionsDirPromptStore(path.resolve(cwd, config.versionsDir)),
    ...(isChatModelConfigured(config) ? { model: createChatModel(config, { logger }) } : {}),
    embedder: createEmbedder(config, { logger }),
    logger,
    settings: compileSettingsFrom(config, cwd),
  };
}
