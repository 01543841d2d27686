// The ChatModel port: one chat-completion call against some model. The OpenAI-compatible adapter
// (vLLM, Ollama, OpenAI) implements it; everything above (renderer, compiler, orchestrator)
// depends only on this interface.

export type ChatRole = "system" | "user" | "assistant" | "tool";

export interface ChatToolCall {
  id: string;
  name: string;
  /** JSON-encoded arguments, as the model produced them. */
  arguments: string;
}

export interface ChatMessage {
  role: ChatRole;
  content: string;
  /** Assistant messages that call tools. */
  toolCalls?: ChatToolCall[];
  /** Tool result messages: the call they answer. */
  toolCallId?: string;
  name?: string;
}

export interface ChatToolSpec {
  name: string;
  description?: string;
  /** JSON Schema of the arguments. */
  parameters: Record<string, unknown>;
}

export interface ChatRequest {
  messages: ChatMessage[];
  /** Overrides the adapter's default model. */
  model?: string;
  temperature?: number;
  maxTokens?: number;
  /** Sampling seed (OpenAI `seed`): lets a caller ask for distinct yet reproducible candidates. */
  seed?: number;
  /** Ask for a JSON object answer (OpenAI `response_format: json_object`). */
  json?: boolean;
  /**
   * Ask for an answer that satisfies this JSON Schema: `response_format: { type: "json_schema",
   * json_schema: { name, schema, strict: true } }` (OpenAI's structured outputs, vLLM's guided
   * decoding). An endpoint that refuses it gets `json_object` instead, and the adapter remembers that.
   */
  jsonSchema?: { name: string; schema: Record<string, unknown> };
  tools?: ChatToolSpec[];
  /** Per-call timeout in milliseconds (default: the adapter's). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface ChatUsage {
  promptTokens: number;
  completionTokens: number;
  /** Of `promptTokens`, those the server read from its prompt cache (OpenAI `prompt_tokens_details.cached_tokens`), when it says. */
  cachedPromptTokens?: number;
}

export interface ChatResponse {
  content: string;
  toolCalls: ChatToolCall[];
  usage: ChatUsage;
  model: string;
  finishReason: string;
  latencyMs: number;
  /** How the answer's format was asked for: `json_schema` (constrained), `json_object`, or `text`. */
  responseFormat?: "json_schema" | "json_object" | "text";
}

export interface ChatModel {
  /** Model name used when a request names none. */
  readonly model: string;
  /** Throws LlmError (see llm/errors.ts) with `isRetryable` set; never a raw SDK error. */
  complete(request: ChatRequest): Promise<ChatResponse>;
}
