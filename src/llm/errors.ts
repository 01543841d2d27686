// LLM errors: every adapter maps its client's errors to LlmError, so callers (orchestrator,
// compiler, schedulers) see one vocabulary with a `kind` and an honest `isRetryable`.
import OpenAI from "openai";
import { AppError } from "../errors.js";
import { parseRetryAfter } from "../runtime/retry-after.js";

export const LLM_ERROR_KINDS = [
  "connection", // could not reach the endpoint (refused, reset, DNS)
  "timeout", // no answer in time (client timeout or HTTP 408)
  "rate_limit", // HTTP 429
  "server", // HTTP 5xx
  "conflict", // HTTP 409 (the OpenAI API uses it for transient lock conflicts)
  "invalid_response", // 2xx whose body is not a valid completion / embedding list
  "bad_request", // HTTP 400/422: the request itself is wrong
  "auth", // HTTP 401/403
  "not_found", // HTTP 404: unknown model or path
  "aborted", // the caller aborted
  "config", // the adapter is not configured (no base URL, no model...)
  "unknown",
] as const;
export type LlmErrorKind = (typeof LLM_ERROR_KINDS)[number];

const RETRYABLE: ReadonlySet<LlmErrorKind> = new Set(["connection", "timeout", "rate_limit", "server", "conflict", "invalid_response"]);

const HTTP_STATUS: Record<LlmErrorKind, number> = {
  // Our side cannot reach or has not configured a model: the service is unavailable for this
  // request (503 with the fix in the message), not broken (500) and not a bad gateway answer.
  connection: 503,
  timeout: 504,
  rate_limit: 429,
  server: 502,
  conflict: 409,
  invalid_response: 502,
  bad_request: 400,
  auth: 502,
  not_found: 502,
  aborted: 499,
  config: 503,
  unknown: 500,
};

export interface LlmErrorOptions {
  /** HTTP status the endpoint answered, if any. */
  upstreamStatus?: number;
  /** Delay the endpoint asked for (Retry-After), in milliseconds. */
  retryAfterMs?: number;
  cause?: unknown;
  details?: unknown;
}

/** An error from an LLM or embedding endpoint. `isRetryable` is derived from `kind`. */
export class LlmError extends AppError {
  readonly kind: LlmErrorKind;
  readonly upstreamStatus?: number;
  readonly retryAfterMs?: number;

  constructor(kind: LlmErrorKind, message: string, options: LlmErrorOptions = {}) {
    super(`llm_${kind}`, message, { status: HTTP_STATUS[kind], isRetryable: RETRYABLE.has(kind), cause: options.cause, details: options.details });
    this.kind = kind;
    if (options.upstreamStatus !== undefined) this.upstreamStatus = options.upstreamStatus;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }

  static override isInstance(err: unknown): err is LlmError {
    return err instanceof LlmError;
  }
}

/**
 * Kinds that mean our configuration or infrastructure failed before the model could answer for
 * the agent: no model configured, none reachable, a refused key, an unknown model name. Such an
 * attempt is not a run of the agent and is not recorded as its failure. (A model that answers
 * 5xx, times out or sends garbage mid-run is recorded: the run happened and failed.)
 */
const NOT_A_RUN: ReadonlySet<LlmErrorKind> = new Set(["config", "connection", "auth", "not_found"]);

/** Whether `err` is an LLM error of our own setup (see NOT_A_RUN), not something the agent did. */
export function isSetupLlmError(err: unknown): err is LlmError {
  return err instanceof LlmError && NOT_A_RUN.has(err.kind);
}

/** Kind of an HTTP error status. */
export function kindOfStatus(status: number): LlmErrorKind {
  if (status === 408) return "timeout";
  if (status === 409) return "conflict";
  if (status === 429) return "rate_limit";
  if (status === 401 || status === 403) return "auth";
  if (status === 404) return "not_found";
  if (status >= 500) return "server";
  if (status >= 400) return "bad_request";
  return "unknown";
}

/**
 * The wait a response's headers ask for, in milliseconds: `retry-after-ms` (OpenAI's extension)
 * first, else `Retry-After` (seconds or an HTTP date, read by runtime/retry-after.ts); undefined
 * when absent or unparsable.
 */
export function retryAfterMsFromHeaders(headers: Headers | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get("retry-after-ms");
  if (ms !== null && ms.trim() !== "" && Number.isFinite(Number(ms)) && Number(ms) >= 0) return Number(ms);
  return parseRetryAfter(headers.get("retry-after"), now);
}

/** Maps anything the `openai` SDK (or fetch) throws to an LlmError; LlmErrors pass through. */
export function toLlmError(err: unknown, what = "LLM request"): LlmError {
  if (err instanceof LlmError) return err;
  // Order matters: the timeout and abort classes extend APIConnectionError / APIError.
  if (err instanceof OpenAI.APIConnectionTimeoutError) return new LlmError("timeout", `${what} timed out`, { cause: err });
  if (err instanceof OpenAI.APIUserAbortError) return new LlmError("aborted", `${what} was aborted`, { cause: err });
  if (err instanceof OpenAI.APIConnectionError) {
    const reason = err.cause instanceof Error ? `: ${err.cause.message}` : "";
    return new LlmError("connection", `${what} could not connect${reason}`, { cause: err });
  }
  if (err instanceof OpenAI.APIError && typeof err.status === "number") {
    const kind = kindOfStatus(err.status);
    const retryAfterMs = retryAfterMsFromHeaders(err.headers);
    return new LlmError(kind, `${what} failed with HTTP ${err.status}: ${err.message}`, {
      cause: err,
      upstreamStatus: err.status,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      details: err.error,
    });
  }
  if (err instanceof SyntaxError) return new LlmError("invalid_response", `${what} returned a body that is not JSON: ${err.message}`, { cause: err });
  if (err instanceof Error && err.name === "AbortError") return new LlmError("aborted", `${what} was aborted`, { cause: err });
  const message = err instanceof Error ? err.message : String(err);
  return new LlmError("unknown", `${what} failed: ${message}`, { cause: err });
}
