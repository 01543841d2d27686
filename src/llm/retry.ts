// Retries for LLM calls: only retryable LlmErrors, exponential backoff with full jitter, and the
// endpoint's Retry-After honoured (capped). Hand-written rather than the SDK's built-in retries
// because those have fixed delays (0.5–8 s, not configurable), log nothing per attempt and cannot
// be shared with the embeddings client; this loop is small and tested against the simulator.
import type { Logger } from "../log/logger.js";
import { LlmError, toLlmError } from "./errors.js";

export interface RetryOptions {
  /** Retries after the first attempt (default 3; 0 disables retrying). */
  maxRetries?: number;
  /** First backoff delay in ms (default 500); doubles each retry. */
  baseDelayMs?: number;
  /** Upper bound of any single delay, Retry-After included, in ms (default 30 000). */
  maxDelayMs?: number;
  /** What is being retried, for messages and logs (default "LLM request"). */
  what?: string;
  logger?: Logger;
  signal?: AbortSignal;
  /** Injectable for tests (default Math.random). */
  random?: () => number;
  /** Injectable for tests (default: a timer honouring `signal`). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Delay before retry number `retry` (0-based) after `error`. */
export function retryDelayMs(error: LlmError, retry: number, options: RetryOptions = {}): number {
  const base = options.baseDelayMs ?? 500;
  const max = options.maxDelayMs ?? 30_000;
  if (error.retryAfterMs !== undefined) return Math.min(max, error.retryAfterMs);
  const ceiling = Math.min(max, base * 2 ** retry);
  // "Full jitter" keeps many clients that failed together from retrying together.
  return Math.round(ceiling / 2 + (options.random ?? Math.random)() * (ceiling / 2));
}

/** Runs `attempt` until it succeeds, fails with a non-retryable error, or retries run out. */
export async function withRetry<T>(attempt: (n: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const maxRetries = options.maxRetries ?? 3;
  const sleep = options.sleep ?? abortableSleep;
  for (let n = 0; ; n++) {
    try {
      return await attempt(n);
    } catch (e) {
      const error = toLlmError(e, options.what);
      if (!error.isRetryable || n >= maxRetries || options.signal?.aborted) throw error;
      const delayMs = retryDelayMs(error, n, options);
      options.logger?.warn({ name: "llm-retry", kind: error.kind, attempt: n + 1, delayMs, status: error.upstreamStatus }, `${options.what ?? "LLM request"} failed (${error.kind}); retrying`);
      await sleep(delayMs, options.signal);
    }
  }
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new LlmError("aborted", "LLM request was aborted"));
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new LlmError("aborted", "LLM request was aborted"));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
