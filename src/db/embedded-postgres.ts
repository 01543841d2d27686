// The embedded default database: PGlite (real Postgres compiled to WASM) with pgvector,
// persisted under the data dir and served on a loopback port by pglite-socket, so Prisma and
// pg connect exactly as they would to a PostgreSQL server. PGlite runs in a worker thread
// (embedded-server-worker.mjs) so its synchronous query execution never blocks this process's
// event loop.
import { Worker } from "node:worker_threads";
import v8 from "node:v8";
import type { Logger } from "../log/logger.js";
import { AppError } from "../errors.js";
import { acquireDataDirLock } from "./data-dir-lock.js";

export interface EmbeddedPostgres {
  /** postgresql:// URL of the loopback socket. */
  readonly url: string;
  readonly port: number;
  /** Stops the socket server, closes PGlite cleanly and releases the data-dir lock. */
  close(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  /** Loopback port; 0 picks a free one. */
  port?: number;
  logger: Logger;
  /** Postgres `shared_buffers` (e.g. "512MB"). Default: PGlite's own (128MB). */
  sharedBuffers?: string;
  /** Concurrent client connections the socket accepts (queries are queued over PGlite's one session). */
  maxConnections?: number;
  /**
   * Start for a short job (a short CLI command), not for a long run: shared_buffers 16MB
   * (setting it up takes ~2.6 ms per MB in WASM) and V8's baseline WebAssembly compiler only
   * (Liftoff): V8's optimizing tier-up of PGlite's hot functions otherwise blocks the database
   * thread for ~200 ms around the first query on 2 cores. Warm queries are then ~15-20 % slower
   * and vector (HNSW) work up to 1.4× slower, so only short jobs ask for it (BENCHMARKS.md). The
   * compiler flag is process-wide: only a short-lived process may ask for this.
   */
  fastStart?: boolean;
}

/** shared_buffers of a fast start: Postgres's minimum that we accept (see embedded_shared_buffers). */
const FAST_START_SHARED_BUFFERS = "16MB";

type WorkerMessage = { type: "ready"; port: number } | { type: "stopped" } | { type: "error"; message: string; stack?: string };

const WORKER_URL = new URL("./embedded-server-worker.mjs", import.meta.url);

/** Starts PGlite on `<dataDir>/pgdata`; throws DataDirInUseError if another live process owns it. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const lock = acquireDataDirLock(options.dataDir);
  const started = Date.now();
  // Set before the worker compiles PGlite's WASM; modules compiled earlier keep their tiers.
  if (options.fastStart) v8.setFlagsFromString("--liftoff-only");
  const sharedBuffers = options.fastStart ? FAST_START_SHARED_BUFFERS : options.sharedBuffers;
  const worker = new Worker(WORKER_URL, {
    workerData: { dataDir: options.dataDir, port: options.port ?? 0, maxConnections: options.maxConnections ?? 128, ...(sharedBuffers ? { sharedBuffers } : {}) },
  });
  let port: number;
  try {
    port = await new Promise<number>((resolve, reject) => {
      const fail = (message: string, cause?: unknown) => {
        cleanup();
        reject(new AppError("embedded_db_failed", `The embedded database did not start: ${message}`, { cause }));
      };
      const onMessage = (m: WorkerMessage) => {
        if (m.type === "ready") {
          cleanup();
          resolve(m.port);
        } else fail(m.type === "error" ? m.message : m.type);
      };
      const onError = (e: Error) => fail(e.message, e);
      const onExit = (code: number) => fail(`its thread exited (code ${code})`);
      const cleanup = () => {
        worker.off("message", onMessage);
        worker.off("error", onError);
        worker.off("exit", onExit);
      };
      worker.on("message", onMessage);
      worker.on("error", onError);
      worker.on("exit", onExit);
    });
  } catch (e) {
    await worker.terminate().catch(() => undefined);
    lock.release();
    throw e;
  }
  let closing: Promise<void> | undefined;
  worker.on("error", (e) => options.logger.error({ name: "embedded-db-crashed", err: e }, "the embedded database thread failed"));
  worker.on("exit", (code) => {
    if (!closing) options.logger.error({ name: "embedded-db-exited", code }, "the embedded database thread exited unexpectedly");
  });
  const url = `postgresql://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable`;
  lock.publish(url);
  options.logger.info({ name: "embedded-db-started", dataDir: options.dataDir, port, ms: Date.now() - started, sharedBuffers: sharedBuffers ?? "128MB", wasmTiers: options.fastStart ? "baseline" : "baseline+optimizing" }, "embedded database started");
  return {
    url,
    port,
    close() {
      closing ??= (async () => {
        try {
          const stopped = new Promise<void>((resolve) => {
            worker.on("message", (m: WorkerMessage) => {
              if (m.type === "stopped") resolve();
              if (m.type === "error") {
                options.logger.error({ name: "embedded-db-stop-failed", err: m.message }, "the embedded database did not stop cleanly");
                resolve();
              }
            });
            worker.once("exit", () => resolve());
          });
          worker.postMessage({ type: "stop" });
          await stopped;
          await worker.terminate();
          options.logger.info({ name: "embedded-db-stopped" }, "embedded database stopped");
        } finally {
          lock.release();
        }
      })();
      return closing;
    },
  };
}
