// Builds the ChatModel from configuration (LLM_BASE_URL, LLM_API_KEY, LLM_MODEL, timeout, retries).
import type { Config } from "../config/index.js";
import type { Logger } from "../log/logger.js";
import type { ChatModel } from "./chat-model.js";
import { LlmError } from "./errors.js";
import { OpenAIChatModel } from "./openai-chat-model.js";

export type ChatModelConfig = Pick<Config, "llmBaseUrl" | "llmApiKey" | "llmModel" | "llmTimeoutMs" | "llmMaxRetries" | "llmRetryBaseDelayMs">;

/** Whether an LLM endpoint is configured (features that need one check this first). */
export function isChatModelConfigured(config: ChatModelConfig): boolean {
  return Boolean(config.llmBaseUrl && config.llmModel);
}

/** Builds the configured ChatModel; throws LlmError(kind "config") naming the missing key. */
export function createChatModel(config: ChatModelConfig, options: { logger?: Logger } = {}): ChatModel {
  if (!config.llmBaseUrl) throw new LlmError("config", "no LLM endpoint configured: set LLM_BASE_URL and LLM_MODEL (e.g. LLM_BASE_URL=http://127.0.0.1:8000/v1), or start the playground with `npm start -- --simulate`");
  if (!config.llmModel) throw new LlmError("config", "no LLM model configured: set LLM_MODEL");
  return new OpenAIChatModel({
    baseURL: config.llmBaseUrl,
    model: config.llmModel,
    timeoutMs: config.llmTimeoutMs,
    maxRetries: config.llmMaxRetries,
    retryBaseDelayMs: config.llmRetryBaseDelayMs,
    ...(config.llmApiKey ? { apiKey: config.llmApiKey } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
}
