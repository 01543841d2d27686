// Where finished traces go: the HTTP transport (MetaAgentClient) from an agent's own process,
// or the in-process sink that writes straight to the database inside the service.
import type { Outcome, TraceInput } from "../../domain/trace.js";

export interface SinkStats {
  /** Traces waiting to be written. */
  queued: number;
  /** Traces the server acknowledged (created, updated or unchanged). */
  sent: number;
  /** Traces lost: queue full, retries exhausted, or the process exited first. */
  dropped: number;
  /** Traces the server refused as invalid (never retried). */
  rejected: number;
  /** Retried requests (network errors, 429, 5xx). */
  retries: number;
}

export interface TraceSink {
  /** Enqueues a finished trace. Never throws and never blocks the caller. */
  send(trace: TraceInput): void;
  /** Resolves once everything enqueued so far is written (or definitively dropped). Never rejects. */
  flush(): Promise<void>;
  /**
   * Reports the outcome of a trace sent earlier (after it is written). Resolves true once stored,
   * false when refused or unreachable; never rejects. Optional: sinks without it cannot take late outcomes.
   */
  sendOutcome?(traceId: string, outcome: Outcome): Promise<boolean>;
  /** Flushes, then stops timers and exit hooks. */
  close(): Promise<void>;
  readonly stats: SinkStats;
}
