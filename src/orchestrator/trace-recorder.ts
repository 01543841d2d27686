// Records the orchestrator's traces off the hot path: `record` only queues (no I/O, no
// validation), a background flush validates and stores batches through the collector's storage
// (src/collector/store-traces.ts — the same code POST /v1/traces uses). A storage failure is
// logged and counted, never thrown into a run.
// When the collector's in-process sink (issue 3) lands, this adapter should delegate to it.
import type pg from "pg";
import { TraceInputSchema, type TraceData, type TraceInput } from "../domain/trace.js";
import { formatZodIssues } from "../domain/format-issues.js";
import { normalizeTrace } from "../collector/trace-content.js";
import { storeTraces } from "../collector/store-traces.js";
import type { Logger } from "../log/logger.js";

export interface TraceRecorder {
  /** Queues a trace for `tenant`; returns at once. */
  record(tenant: string, trace: TraceInput): void;
  /** Resolves when everything queued so far is stored (or has failed). */
  flush(): Promise<void>;
  /** Traces dropped because the queue was full or storing them failed. */
  readonly dropped: number;
}

export interface DatabaseTraceRecorderOptions {
  /** Most traces stored per batch. Default 200. */
  maxBatch?: number;
  /** Most traces waiting in memory; beyond it new traces are dropped (and counted). Default 10000. */
  maxQueue?: number;
}

/** A recorder that stores traces in the database through the collector's storage. */
export function createDatabaseTraceRecorder(pool: pg.Pool, logger: Logger, options: DatabaseTraceRecorderOptions = {}): TraceRecorder {
  const maxBatch = options.maxBatch ?? 200;
  const maxQueue = options.maxQueue ?? 10_000;
  let queue: Array<{ tenant: string; trace: TraceInput }> = [];
  let dropped = 0;
  let running: Promise<void> | undefined;

  async function drain(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(batch.length);
      const byTenant = new Map<string, TraceData[]>();
      for (const { tenant, trace } of batch) {
        const parsed = TraceInputSchema.safeParse(trace);
        if (!parsed.success) {
          dropped++;
          logger.error({ name: "trace-record-invalid", traceId: trace.id, problems: formatZodIssues(parsed.error.issues) }, "orchestrator produced an invalid trace");
          continue;
        }
        const list = byTenant.get(tenant) ?? [];
        list.push(normalizeTrace(parsed.data));
        byTenant.set(tenant, list);
      }
      for (const [tenant, traces] of byTenant) {
        try {
          const { failures } = await storeTraces(pool, tenant, traces);
          dropped += failures.length;
          for (const f of failures) logger.error({ name: "trace-record-failed", tenant, traceId: f.id, err: f.error }, "storing an orchestrator trace failed");
        } catch (e) {
          dropped += traces.length;
          logger.error({ name: "trace-record-failed", tenant, count: traces.length, err: e }, "storing orchestrator traces failed");
        }
      }
    }
  }

  function schedule(): Promise<void> {
    running ??= new Promise<void>((resolve) => setImmediate(resolve))
      .then(drain)
      .finally(() => {
        running = undefined;
        if (queue.length > 0) void schedule();
      });
    return running;
  }

  return {
    get dropped() {
      return dropped;
    },
    record(tenant, trace) {
      if (queue.length >= maxQueue) {
        dropped++;
        logger.warn({ name: "trace-record-dropped", traceId: trace.id, queued: queue.length }, "trace queue full; trace dropped");
        return;
      }
      queue.push({ tenant, trace });
      void schedule();
    },
    async flush() {
      while (running || queue.length > 0) await (running ?? schedule());
    },
  };
}
