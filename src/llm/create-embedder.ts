// Chooses the Embedder from configuration: the OpenAI-compatible endpoint when
// EMBEDDINGS_BASE_URL is set, otherwise the built-in offline hashing embedder.
import type { Config } from "../config/index.js";
import type { Logger } from "../log/logger.js";
import type { Embedder } from "./embedder.js";
import { LlmError } from "./errors.js";
import { HashingEmbedder } from "./hashing-embedder.js";
import { OpenAIEmbedder } from "./openai-embedder.js";

export type EmbedderConfig = Pick<
  Config,
  "embeddingsBaseUrl" | "embeddingsModel" | "embeddingsApiKey" | "embeddingsBatchSize" | "embeddingsDimension" | "llmApiKey" | "llmTimeoutMs" | "llmMaxRetries" | "llmRetryBaseDelayMs"
>;

/** Builds the configured Embedder. Throws LlmError(kind "config") for a URL without a model. */
export function createEmbedder(config: EmbedderConfig, options: { logger?: Logger } = {}): Embedder {
  if (!config.embeddingsBaseUrl) return new HashingEmbedder({ dimension: config.embeddingsDimension ?? 384 });
  if (!config.embeddingsModel) throw new LlmError("config", "EMBEDDINGS_BASE_URL is set but EMBEDDINGS_MODEL is not");
  const apiKey = config.embeddingsApiKey ?? config.llmApiKey;
  return new OpenAIEmbedder({
    baseURL: config.embeddingsBaseUrl,
    model: config.embeddingsModel,
    batchSize: config.embeddingsBatchSize,
    timeoutMs: config.llmTimeoutMs,
    maxRetries: config.llmMaxRetries,
    retryBaseDelayMs: config.llmRetryBaseDelayMs,
    ...(apiKey ? { apiKey } : {}),
    ...(config.embeddingsDimension ? { dimension: config.embeddingsDimension } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
}
