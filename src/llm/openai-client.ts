// The openai SDK client both adapters use. Retries are ours (retry.ts: one policy for chat and
// embeddings, logged per attempt), so the SDK's own are off.
import OpenAI from "openai";

export interface OpenAIClientOptions {
  baseURL: string;
  /** vLLM and Ollama accept any key. Default "unused". */
  apiKey?: string;
  /** Timeout of one attempt in milliseconds. Default 60000. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export function createOpenAIClient(options: OpenAIClientOptions): OpenAI {
  return new OpenAI({
    baseURL: options.baseURL,
    apiKey: options.apiKey ?? "unused",
    timeout: options.timeoutMs ?? 60_000,
    maxRetries: 0,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}
