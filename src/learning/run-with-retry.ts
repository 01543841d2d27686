// Retries a failed learning cycle with exponential backoff, unless the failure is
// unrecoverable (bad configuration, corrupt repository) or the process is stopping.
import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "../log/logger.js";
import type { LearningCycleResult } from "./run-learning-cycle.js";

export interface CycleRetryOptions {
  /** Retries after the first attempt. Default 3. */
  retries?: number;
  /** First backoff delay in ms, doubled each retry (with ±20 % jitter). Default 5 000. */
  baseDelayMs?: number;
  signal?: AbortSignal;
  logger: Logger;
}

/** Runs `attempt` until it succeeds, is not retryable, or retries run out. */
export async function runWithRetry(attempt: () => Promise<LearningCycleResult>, options: CycleRetryOptions): Promise<LearningCycleResult> {
  const retries = options.retries ?? 3;
  const base = options.baseDelayMs ?? 5_000;
  for (let n = 0; ; n++) {
    const result = await attempt();
    if (result.status !== "failed" || !result.retryable || n >= retries || options.signal?.aborted) return result;
    const delay = Math.round(base * 2 ** n * (0.8 + Math.random() * 0.4));
    options.logger.warn({ name: "cycle-retry-scheduled", attempt: n + 1, delayMs: delay, cycleId: result.cycle.id, reason: result.cycle.reason }, `learning cycle failed; retrying in ${delay} ms`);
    try {
      await sleep(delay, undefined, { signal: options.signal });
    } catch {
      return result;
    }
  }
}
