// Parallel waves (seed 000): the independent sub-tasks of a wave run concurrently. One limiter is
// shared by every wave of the process, so many tasks together still keep at most `concurrency`
// calls in flight (enough to feed vLLM's continuous batching, not enough to swamp it). Each call
// has its own timeout, and a failed call is reported as a failed outcome, never thrown, so it
// cannot sink the rest of its wave.
import pLimit from "p-limit";
import { AppError } from "../errors.js";

/** A sub-call did not finish within its timeout. */
export class CallTimeoutError extends AppError {
  constructor(timeoutMs: number) {
    super("call_timeout", `The call did not finish within ${timeoutMs} ms`, { status: 504, isRetryable: true });
  }
}

export type WaveOutcome<T> = { ok: true; value: T; durationMs: number } | { ok: false; error: Error; durationMs: number };

export interface WaveRunnerOptions {
  /** Calls in flight at once across all waves. Config `orchestrator_concurrency`, default 8. */
  concurrency: number;
  /** Per-call timeout in milliseconds. Config `orchestrator_call_timeout_ms`, default 60000. */
  timeoutMs: number;
}

export interface WaveRunner {
  /** Runs `call` for every item; outcomes come back in item order, whatever finished first. */
  run<I, T>(items: readonly I[], call: (item: I, signal: AbortSignal, index: number) => Promise<T>, options?: { timeoutMs?: number }): Promise<WaveOutcome<T>[]>;
  /** Calls running or queued now. */
  readonly pending: number;
}

export function createWaveRunner(options: WaveRunnerOptions): WaveRunner {
  const limit = pLimit(options.concurrency);

  async function withTimeout<T>(fn: (signal: AbortSignal) => Promise<T>, timeoutMs: number): Promise<T> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const e = new CallTimeoutError(timeoutMs);
        controller.abort(e);
        reject(e);
      }, timeoutMs);
    });
    // Racing as well as aborting: a call that ignores its signal still cannot hold the wave.
    try {
      return await Promise.race([fn(controller.signal), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    get pending() {
      return limit.activeCount + limit.pendingCount;
    },
    run(items, call, runOptions = {}) {
      const timeoutMs = runOptions.timeoutMs ?? options.timeoutMs;
      return Promise.all(
        items.map((item, index) =>
          limit(async () => {
            // The timeout starts when the call starts, not while it waits for a slot.
            const t0 = performance.now();
            try {
              const value = await withTimeout((signal) => call(item, signal, index), timeoutMs);
              return { ok: true as const, value, durationMs: performance.now() - t0 };
            } catch (e) {
              return { ok: false as const, error: e instanceof Error ? e : new Error(String(e)), durationMs: performance.now() - t0 };
            }
          }),
        ),
      );
    },
  };
}
