// The buffered HTTP transport: traces are queued in memory (bounded), sent in batches to
// POST /v1/traces by size and by time, retried with exponential backoff and jitter on network
// errors, 408, 429 and 5xx (honouring Retry-After), and flushed on exit. It never blocks or
// throws into the agent; what it has to give up is counted in `stats.dropped`.
import { TraceInputSchema, type Outcome, type TraceInput } from "../../domain/trace.js";
import { createLogger, type Logger } from "../../log/logger.js";
import type { SinkStats, TraceSink } from "./sink.js";
import { installExitFlush } from "./exit-hooks.js";
import { parseRetryAfter } from "../../runtime/retry-after.js";

export interface MetaAgentClientOptions {
  /** Base URL of the meta-agent service, e.g. http://127.0.0.1:8080. */
  url: string;
  /** Sent as `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  /** Traces per request; a full batch is sent at once. Default 100. */
  batchSize?: number;
  /** A partial batch waits at most this long. Default 1000 ms. */
  flushIntervalMs?: number;
  /** Traces kept in memory; beyond that new traces are dropped and counted. Default 10000. */
  maxQueueSize?: number;
  /** Retries of one batch before its traces are dropped. Default 10. */
  maxRetries?: number;
  /** First backoff; doubles per retry, with jitter. Default 250 ms. */
  initialBackoffMs?: number;
  /** Longest backoff (and longest Retry-After honoured). Default 30000 ms. */
  maxBackoffMs?: number;
  /** Timeout of one request. Default 10000 ms. */
  requestTimeoutMs?: number;
  /** Flush on beforeExit, SIGTERM and SIGINT. Default true. */
  handleExit?: boolean;
  /** Longest flush on SIGTERM/SIGINT before the process is let go. Default 5000 ms. */
  exitFlushTimeoutMs?: number;
  /** Injectable fetch (tests, proxies). Default globalThis.fetch. */
  fetch?: typeof fetch;
  /** Default: warnings to stderr. */
  logger?: Logger;
  /** Called when traces are dropped, with how many and why. */
  onDrop?: (count: number, reason: string) => void;
}

const RETRYABLE = (status: number) => status === 408 || status === 429 || status >= 500;

export class MetaAgentClient implements TraceSink {
  private readonly o: Required<Omit<MetaAgentClientOptions, "apiKey" | "onDrop" | "logger">> & Pick<MetaAgentClientOptions, "apiKey" | "onDrop">;
  private readonly logger: Logger;
  private queue: TraceInput[] = [];
  private inFlight = 0;
  private pumping: Promise<void> | undefined;
  private readonly timer: NodeJS.Timeout;
  private readonly uninstall: (() => void) | undefined;
  private closed = false;
  private readonly counters = { sent: 0, dropped: 0, rejected: 0, retries: 0 };

  constructor(options: MetaAgentClientOptions) {
    this.o = {
      url: options.url.replace(/\/+$/, ""),
      apiKey: options.apiKey,
      batchSize: options.batchSize ?? 100,
      flushIntervalMs: options.flushIntervalMs ?? 1_000,
      maxQueueSize: options.maxQueueSize ?? 10_000,
      maxRetries: options.maxRetries ?? 10,
      initialBackoffMs: options.initialBackoffMs ?? 250,
      maxBackoffMs: options.maxBackoffMs ?? 30_000,
      requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
      handleExit: options.handleExit ?? true,
      exitFlushTimeoutMs: options.exitFlushTimeoutMs ?? 5_000,
      fetch: options.fetch ?? globalThis.fetch.bind(globalThis),
      onDrop: options.onDrop,
    };
    this.logger = options.logger ?? createLogger("warn");
    // unref: a pending flush timer must not keep the agent's process alive; beforeExit flushes.
    this.timer = setInterval(() => {
      if (this.queue.length > 0) this.kick();
    }, this.o.flushIntervalMs).unref();
    this.uninstall = this.o.handleExit ? installExitFlush(() => this.flush(), () => this.queue.length + this.inFlight > 0, this.o.exitFlushTimeoutMs) : undefined;
  }

  get stats(): SinkStats {
    return { queued: this.queue.length + this.inFlight, ...this.counters };
  }

  /** Traces dropped so far (queue full, retries exhausted, or sent after close). */
  get dropped(): number {
    return this.counters.dropped;
  }

  send(trace: TraceInput): void {
    try {
      if (this.closed) return this.drop(1, "client closed");
      if (this.queue.length >= this.o.maxQueueSize) return this.drop(1, "queue full");
      this.queue.push(trace);
      if (this.queue.length >= this.o.batchSize) this.kick();
    } catch {
      // send must never throw into the agent
    }
  }

  async flush(): Promise<void> {
    try {
      while (this.queue.length > 0 || this.pumping) {
        this.kick();
        await this.pumping;
      }
    } catch {
      // flush never rejects
    }
  }

  /** POST /v1/traces/:id/outcome once the trace itself is sent; retried like a batch. */
  async sendOutcome(traceId: string, outcome: Outcome): Promise<boolean> {
    try {
      await this.flush();
      for (let attempt = 0; ; attempt++) {
        let reason: string;
        let retryAfterMs: number | undefined;
        try {
          const res = await this.o.fetch(`${this.o.url}/v1/traces/${encodeURIComponent(traceId)}/outcome`, {
            method: "POST",
            headers: { "content-type": "application/json", ...(this.o.apiKey ? { authorization: `Bearer ${this.o.apiKey}` } : {}) },
            body: JSON.stringify(outcome),
            signal: AbortSignal.timeout(this.o.requestTimeoutMs),
          });
          if (res.ok) return true;
          const body = await res.text().catch(() => "");
          if (!RETRYABLE(res.status)) {
            this.logger.warn({ name: "outcome-refused", traceId, status: res.status, body: body.slice(0, 500) }, "the collector refused an outcome");
            return false;
          }
          reason = `HTTP ${res.status}`;
          retryAfterMs = parseRetryAfter(res.headers.get("retry-after"));
        } catch (e) {
          reason = (e as Error).message;
        }
        if (attempt >= this.o.maxRetries) {
          this.logger.warn({ name: "outcome-dropped", traceId, reason }, "gave up sending an outcome");
          return false;
        }
        this.counters.retries++;
        await sleep(Math.min(this.o.maxBackoffMs, retryAfterMs ?? this.backoff(attempt)));
      }
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    clearInterval(this.timer);
    this.uninstall?.();
  }

  private kick(): void {
    this.pumping ??= this.pump().finally(() => {
      this.pumping = undefined;
    });
  }

  private async pump(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.o.batchSize);
      this.inFlight = batch.length;
      try {
        await this.deliver(batch);
      } catch (e) {
        this.drop(batch.length, `unexpected error: ${(e as Error).message}`);
      } finally {
        this.inFlight = 0;
      }
    }
  }

  private async deliver(batch: TraceInput[]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      let retryAfterMs: number | undefined;
      let reason: string;
      try {
        const res = await this.o.fetch(`${this.o.url}/v1/traces`, {
          method: "POST",
          headers: { "content-type": "application/json", ...(this.o.apiKey ? { authorization: `Bearer ${this.o.apiKey}` } : {}) },
          body: JSON.stringify({ traces: batch }),
          signal: AbortSignal.timeout(this.o.requestTimeoutMs),
        });
        if (res.status === 200 || res.status === 207) return this.accept(batch, res);
        if (res.status === 413 && batch.length > 1) {
          const half = Math.ceil(batch.length / 2);
          await this.deliver(batch.slice(0, half));
          return this.deliver(batch.slice(half));
        }
        const body = await res.text().catch(() => "");
        if (!RETRYABLE(res.status)) {
          this.counters.rejected += batch.length;
          this.logger.warn({ name: "trace-batch-refused", status: res.status, traces: batch.length, body: body.slice(0, 500) }, "the collector refused a trace batch");
          return;
        }
        reason = `HTTP ${res.status}`;
        retryAfterMs = parseRetryAfter(res.headers.get("retry-after"));
      } catch (e) {
        reason = (e as Error).message;
      }
      if (attempt >= this.o.maxRetries) return this.drop(batch.length, `gave up after ${attempt + 1} attempts: ${reason}`);
      this.counters.retries++;
      await sleep(Math.min(this.o.maxBackoffMs, retryAfterMs ?? this.backoff(attempt)));
    }
  }

  private async accept(batch: TraceInput[], res: Response): Promise<void> {
    const body = (await res.json().catch(() => undefined)) as { results?: Array<{ status: string; index: number; errors?: unknown }> } | undefined;
    const bad = (body?.results ?? []).filter((r) => r.status === "invalid" || r.status === "failed");
    this.counters.sent += batch.length - bad.length;
    this.counters.rejected += bad.length;
    if (bad.length > 0) this.logger.warn({ name: "trace-rejected", count: bad.length, results: bad.slice(0, 5) }, "the collector rejected traces");
  }

  // Exponential backoff with "equal jitter": half fixed, half random, so retries of many
  // clients spread out but never collapse to zero.
  private backoff(attempt: number): number {
    const cap = Math.min(this.o.maxBackoffMs, this.o.initialBackoffMs * 2 ** attempt);
    return cap / 2 + Math.random() * (cap / 2);
  }

  private drop(count: number, reason: string): void {
    this.counters.dropped += count;
    this.logger.warn({ name: "trace-dropped", count, total: this.counters.dropped, reason }, "traces dropped");
    try {
      this.o.onDrop?.(count, reason);
    } catch {
      // a failing callback must not break the transport
    }
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Validates a trace on the client side, e.g. before handing it to send(). */
export function isValidTrace(trace: unknown): trace is TraceInput {
  return TraceInputSchema.safeParse(trace).success;
}
