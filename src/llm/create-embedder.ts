// Chooses the Embedder from configuration (`embedder`): the local sentence encoder (default,
// with the hashing embedder as its fallback), the hashing embedder, or an OpenAI-compatible
// endpoint. Unset, `embedder` is `openai` when EMBEDDINGS_BASE_URL is set (as before), else `local`.
import type { Config } from "../config/index.js";
import type { Logger } from "../log/logger.js";
import type { Embedder } from "./embedder.js";
import { LlmError } from "./errors.js";
import { HashingEmbedder } from "./hashing-embedder.js";
import { OpenAIEmbedder } from "./openai-embedder.js";
import { LocalEmbedder } from "./local-embedder.js";
import { LocalEmbedderWithFallback, type EmbedderStatus } from "./fallback-embedder.js";

export type EmbedderConfig = Pick<
  Config,
  "embedder" | "embeddingsBaseUrl" | "embeddingsModel" | "embeddingsApiKey" | "embeddingsBatchSize" | "embeddingsDimension" | "llmApiKey" | "llmTimeoutMs" | "llmMaxRetries" | "llmRetryBaseDelayMs"
>;

export type EmbedderChoice = EmbedderStatus["configured"];

/** The embedder the configuration asks for. */
export function embedderChoice(config: Pick<Config, "embedder" | "embeddingsBaseUrl">): EmbedderChoice {
  return config.embedder ?? (config.embeddingsBaseUrl ? "openai" : "local");
}

/** An Embedder that can say what it embeds with (the one the service shares between its parts). */
export interface EmbedderService extends Embedder {
  status(): EmbedderStatus;
  /** Loads the model now instead of on first use (the local encoder; others have nothing to load). */
  load(): Promise<void>;
}

export interface CreateEmbedderOptions {
  logger?: Logger;
  /** The local encoder to use (tests and benchmarks give one with a private worker). Default: the process's shared one. */
  local?: LocalEmbedder;
}

/** Builds the configured Embedder. Throws LlmError(kind "config") for `openai` without a URL or a model. */
export function createEmbedder(config: EmbedderConfig, options: CreateEmbedderOptions = {}): EmbedderService {
  const choice = embedderChoice(config);
  const hashing = () => new HashingEmbedder({ dimension: config.embeddingsDimension ?? 384 });
  if (choice === "local") {
    // The fallback keeps the hashing default's dimension: embeddings_dimension sizes the local model's stand-in only.
    return new LocalEmbedderWithFallback(options.local ?? new LocalEmbedder(), hashing(), options.logger);
  }
  if (choice === "hash") return ready("hash", hashing());
  if (!config.embeddingsBaseUrl) throw new LlmError("config", "embedder is openai but EMBEDDINGS_BASE_URL is not set");
  if (!config.embeddingsModel) throw new LlmError("config", "EMBEDDINGS_BASE_URL is set but EMBEDDINGS_MODEL is not");
  const apiKey = config.embeddingsApiKey ?? config.llmApiKey;
  return ready(
    "openai",
    new OpenAIEmbedder({
      baseURL: config.embeddingsBaseUrl,
      model: config.embeddingsModel,
      batchSize: config.embeddingsBatchSize,
      timeoutMs: config.llmTimeoutMs,
      maxRetries: config.llmMaxRetries,
      retryBaseDelayMs: config.llmRetryBaseDelayMs,
      ...(apiKey ? { apiKey } : {}),
      ...(config.embeddingsDimension ? { dimension: config.embeddingsDimension } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
    }),
  );
}

/** Adds status() and load() to an embedder with nothing to load. */
function ready<E extends Embedder>(configured: EmbedderChoice, embedder: E): E & EmbedderService {
  return Object.assign(embedder, {
    status: (): EmbedderStatus => ({ configured, model: embedder.model, state: "ready" }),
    load: async () => undefined,
  });
}
