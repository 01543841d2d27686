// Stopping a learning cycle on purpose (SIGTERM/SIGINT, service shutdown): the error the cycle's
// steps throw at their checkpoints, and the one place that turns an AbortSignal's reason into text.
import { AppError } from "../errors.js";

/** The cycle was asked to stop; not a failure, and never retried. */
export class CycleAbortedError extends AppError {
  constructor(reason: string) {
    super("cycle_aborted", `aborted: ${reason}`, { status: 503, isRetryable: false });
  }
}

/** Human-readable reason of an aborted signal (`abort("SIGTERM received")` → that text). */
export function abortReason(signal: AbortSignal): string {
  const r: unknown = signal.reason;
  if (typeof r === "string") return r;
  if (r instanceof Error && r.name !== "AbortError") return r.message;
  return "the cycle was asked to stop";
}

/**
 * Throws CycleAbortedError when `signal` is aborted. Called between steps and right before the
 * commit, so that once a commit starts it runs to completion (git store and mirror stay consistent).
 */
export function throwIfAborted(signal: AbortSignal | undefined, before: string): void {
  if (signal?.aborted) throw new CycleAbortedError(`${abortReason(signal)} (before ${before})`);
}
