// A TraceSink for agents that run inside the service (the orchestrator): traces go straight to
// the database through the same validation and storage as POST /v1/traces, batched per tick.
import type { Database } from "../db/database.js";
import type { TraceInput } from "../domain/trace.js";
import { DEFAULT_TENANT } from "../domain/tenant-id.js";
import { silentLogger, type Logger } from "../log/logger.js";
import { ingestTraces } from "./ingest/ingest-traces.js";
import type { SinkStats, TraceSink } from "./sdk/sink.js";
import { recordDropped } from "../observability/metrics.js";
import { setTraceOutcome } from "./query/set-trace-outcome.js";

export interface InProcessSinkOptions {
  /** Tenant the traces belong to. Default `default`. */
  tenant?: string;
  /** Default 10000. */
  maxToolResponseChars?: number;
  /** Traces per write. Default 500. */
  batchSize?: number;
  logger?: Logger;
}

/** Creates a sink writing to `db`, in the scope of `options.tenant` (row-level security). */
export function createInProcessSink(db: Pick<Database, "forTenant">, options: InProcessSinkOptions = {}): TraceSink {
  const tenant = options.tenant ?? DEFAULT_TENANT;
  const { pool } = db.forTenant(tenant);
  const logger = options.logger ?? silentLogger;
  const batchSize = options.batchSize ?? 500;
  const counters = { sent: 0, dropped: 0, rejected: 0, retries: 0 };
  let queue: TraceInput[] = [];
  let inFlight = 0;
  let writing: Promise<void> | undefined;

  async function drain(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.splice(0, batchSize);
      inFlight = batch.length;
      try {
        const result = await ingestTraces(pool, tenant, batch, { maxToolResponseChars: options.maxToolResponseChars });
        counters.sent += result.accepted;
        counters.rejected += result.rejected;
        if (result.rejected > 0) logger.warn({ name: "trace-rejected", tenant, results: result.results.filter((r) => r.status === "invalid" || r.status === "failed").slice(0, 5) }, "invalid traces from an in-process agent");
      } catch (e) {
        counters.dropped += batch.length;
        recordDropped(tenant, "in_process", batch.length);
        logger.error({ name: "trace-dropped", tenant, count: batch.length, err: e }, "could not write traces");
      } finally {
        inFlight = 0;
      }
    }
  }
  const kick = () => {
    writing ??= new Promise<void>((r) => setImmediate(r)).then(drain).finally(() => {
      writing = undefined;
    });
  };

  return {
    send(trace) {
      try {
        queue.push(trace);
        kick();
      } catch {
        // never throws into the agent
      }
    },
    async flush() {
      while (queue.length > 0 || writing) {
        kick();
        await writing?.catch(() => undefined);
      }
    },
    async sendOutcome(traceId, outcome) {
      try {
        await this.flush();
        await setTraceOutcome(pool, tenant, traceId, outcome);
        return true;
      } catch (e) {
        logger.warn({ name: "outcome-refused", tenant, traceId, err: e }, "could not store a late outcome");
        return false;
      }
    },
    async close() {
      await this.flush();
    },
    get stats(): SinkStats {
      return { queued: queue.length + inFlight, ...counters };
    },
  };
}
