// ChatModel on the `openai` SDK for any OpenAI-compatible endpoint (vLLM, Ollama, OpenAI):
// retries only retryable errors, maps every failure to LlmError and captures token usage.
import type OpenAI from "openai";
import { createOpenAIClient } from "./openai-client.js";
import type { Logger } from "../log/logger.js";
import type { ChatModel, ChatRequest, ChatResponse } from "./chat-model.js";
import { LlmError } from "./errors.js";
import { parseCompletion, toToolCalls, toWireRequest } from "./openai-messages.js";
import { withRetry, type RetryOptions } from "./retry.js";
import { contentText, countChatTokens, countTokens } from "./token-count.js";

export interface OpenAIChatModelOptions {
  /** Endpoint base URL including `/v1`, e.g. `http://127.0.0.1:8000/v1`. */
  baseURL: string;
  /** Default model for requests that name none. */
  model: string;
  /** API key (default "unused": vLLM and Ollama accept any value). */
  apiKey?: string;
  /** Timeout of one attempt in ms (default 60 000); a request's `timeoutMs` overrides it. */
  timeoutMs?: number;
  /** Retries on retryable errors (default 3). */
  maxRetries?: number;
  /** First backoff in ms (default 500). */
  retryBaseDelayMs?: number;
  /** Largest backoff or honoured Retry-After in ms (default 30 000). */
  retryMaxDelayMs?: number;
  logger?: Logger;
  /** Injectable fetch (tests, proxies). Default: the global fetch. */
  fetch?: typeof fetch;
  /** An existing SDK client to call through (e.g. one instrumented by a benchmark); `baseURL`, `apiKey`, `timeoutMs` and `fetch` are then its own. Its retries should be off: ours apply. */
  client?: OpenAI;
  /** Injectable sleep for retry backoff (tests). */
  sleep?: RetryOptions["sleep"];
}

/** Creates a ChatModel for an OpenAI-compatible endpoint. */
export function createOpenAIChatModel(options: OpenAIChatModelOptions): ChatModel {
  return new OpenAIChatModel(options);
}

export class OpenAIChatModel implements ChatModel {
  readonly model: string;
  private readonly client: OpenAI;

  constructor(private readonly options: OpenAIChatModelOptions) {
    if (!options.model) throw new LlmError("config", "no model configured (set LLM_MODEL)");
    this.model = options.model;
    this.client = options.client ?? createOpenAIClient(options);
  }

  async complete(request: ChatRequest): Promise<ChatResponse> {
    if (request.messages.length === 0) throw new LlmError("bad_request", "a chat request needs at least one message");
    const body = toWireRequest(request, this.model);
    const started = performance.now();
    const raw = await withRetry(
      async () => {
        const completion = await this.client.chat.completions.create(body, {
          ...(request.timeoutMs !== undefined ? { timeout: request.timeoutMs } : {}),
          // A child signal per attempt: the openai SDK adds an abort listener to the signal it is
          // given and never removes it, so handing it a cycle's long-lived signal piled up
          // listeners (MaxListenersExceededWarning on every `learn`). The child is dropped after
          // the call; aborting the parent still aborts it.
          ...(request.signal ? { signal: AbortSignal.any([request.signal]) } : {}),
        });
        // Validated inside the retried attempt: a garbage body is as transient as a 502.
        return parseCompletion(completion as unknown);
      },
      {
        what: `chat completion (${body.model})`,
        ...(this.options.maxRetries !== undefined ? { maxRetries: this.options.maxRetries } : {}),
        ...(this.options.retryBaseDelayMs !== undefined ? { baseDelayMs: this.options.retryBaseDelayMs } : {}),
        ...(this.options.retryMaxDelayMs !== undefined ? { maxDelayMs: this.options.retryMaxDelayMs } : {}),
        ...(this.options.logger ? { logger: this.options.logger } : {}),
        ...(request.signal ? { signal: request.signal } : {}),
        ...(this.options.sleep ? { sleep: this.options.sleep } : {}),
      },
    );
    const choice = raw.choices[0]!;
    const content = choice.message.content ?? "";
    const toolCalls = toToolCalls(raw);
    // Some servers omit usage; budgets still need a number, so estimate deterministically.
    const promptTokens = raw.usage?.prompt_tokens ?? countChatTokens(body.messages.map((m) => ({ role: m.role, content: contentText(m.content) })));
    const completionTokens = raw.usage?.completion_tokens ?? countTokens(content) + toolCalls.reduce((n, c) => n + countTokens(c.name + c.arguments), 0);
    const response: ChatResponse = {
      content,
      toolCalls,
      usage: { promptTokens, completionTokens },
      model: raw.model ?? body.model,
      finishReason: choice.finish_reason ?? (toolCalls.length > 0 ? "tool_calls" : "stop"),
      latencyMs: performance.now() - started,
    };
    this.options.logger?.debug(
      { name: "llm-call", model: response.model, promptTokens, completionTokens, toolCalls: toolCalls.length, finishReason: response.finishReason, latencyMs: Math.round(response.latencyMs) },
      "chat completion",
    );
    return response;
  }
}
