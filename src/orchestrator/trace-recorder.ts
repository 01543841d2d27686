// Records the orchestrator's traces off the hot path through the collector's in-process sink
// (src/collector/in-process-sink.ts): `record` only queues; batches are handed to the sink,
// which validates and stores them with the same code as POST /v1/traces. One sink per tenant,
// created on first use, writing through the tenant's scope of the database (row-level security).
// A storage failure is logged and counted by the sink, never thrown into a run.
import type { Database } from "../db/database.js";
import type { TraceInput } from "../domain/trace.js";
import { createInProcessSink } from "../collector/in-process-sink.js";
import type { TraceSink } from "../collector/sdk/sink.js";
import type { Logger } from "../log/logger.js";
import type { PriceTable } from "../domain/model-prices.js";

export interface TraceRecorder {
  /** Queues a trace for `tenant`; returns at once. */
  record(tenant: string, trace: TraceInput): void;
  /** Resolves when everything queued so far is stored (or has definitively failed). */
  flush(): Promise<void>;
  /** Traces rejected or dropped by storage, over all tenants. */
  readonly dropped: number;
}

export interface TraceRecorderOptions {
  /** `max_tool_response_chars`. Default 10000. */
  maxToolResponseChars?: number;
  /** Traces are handed to storage at most this often (ms), so many runs share one write. Default 100. */
  batchWindowMs?: number;
  /** ...or as soon as this many are waiting. Default 256. */
  maxBatch?: number;
  /** Config `model_prices`: each run's cost from its calls' tokens (domain/model-prices.ts). */
  prices?: PriceTable;
}

/** A recorder that stores traces in the database through the collector's in-process sink. */
export function createDatabaseTraceRecorder(db: Pick<Database, "forTenant">, logger: Logger, options: TraceRecorderOptions = {}): TraceRecorder {
  const sinks = new Map<string, TraceSink>();
  const sinkFor = (tenant: string) => {
    let sink = sinks.get(tenant);
    if (!sink) {
      sink = createInProcessSink(db, { tenant, logger, ...(options.maxToolResponseChars ? { maxToolResponseChars: options.maxToolResponseChars } : {}), ...(options.prices ? { prices: options.prices } : {}) });
      sinks.set(tenant, sink);
    }
    return sink;
  };
  // Writing a trace costs validation, hashing and a transaction; doing it for each run right away
  // would compete with the runs still in flight. Batching over a short window keeps that work
  // off the hot path and makes one write serve many runs.
  const windowMs = options.batchWindowMs ?? 100;
  const maxBatch = options.maxBatch ?? 256;
  let pending: Array<{ tenant: string; trace: TraceInput }> = [];
  let timer: NodeJS.Timeout | undefined;
  const handOver = () => {
    clearTimeout(timer);
    timer = undefined;
    const batch = pending;
    pending = [];
    for (const { tenant, trace } of batch) sinkFor(tenant).send(trace);
  };
  return {
    get dropped() {
      let n = 0;
      for (const s of sinks.values()) n += s.stats.dropped + s.stats.rejected;
      return n;
    },
    record(tenant, trace) {
      pending.push({ tenant, trace });
      if (pending.length >= maxBatch) handOver();
      else if (!timer) {
        timer = setTimeout(handOver, windowMs);
        // A pending batch must not keep a finished CLI process alive; close() flushes it.
        timer.unref();
      }
    },
    async flush() {
      handOver();
      await Promise.all([...sinks.values()].map((s) => s.flush()));
    },
  };
}
