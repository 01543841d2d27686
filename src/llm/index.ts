// The LLM layer: ChatModel and Embedder ports, their OpenAI-compatible adapters, the offline
// hashing embedder, and the error vocabulary. Import from here rather than from single files.
export type { ChatModel, ChatMessage, ChatRequest, ChatResponse, ChatRole, ChatToolCall, ChatToolSpec, ChatUsage } from "./chat-model.js";
export type { Embedder } from "./embedder.js";
export { LlmError, LLM_ERROR_KINDS, toLlmError, type LlmErrorKind } from "./errors.js";
export { createChatModel, isChatModelConfigured } from "./create-chat-model.js";
export { createEmbedder } from "./create-embedder.js";
export { OpenAIChatModel, createOpenAIChatModel, type OpenAIChatModelOptions } from "./openai-chat-model.js";
export { OpenAIEmbedder, type OpenAIEmbedderOptions } from "./openai-embedder.js";
export { HashingEmbedder, cosineSimilarity, type HashingEmbedderOptions } from "./hashing-embedder.js";
export { withRetry, type RetryOptions } from "./retry.js";
export { countTokens, countChatTokens } from "./token-count.js";
