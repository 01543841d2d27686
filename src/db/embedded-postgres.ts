// The embedded default database: PGlite (real Postgres compiled to WASM) with pgvector,
// persisted under the data dir and served on a loopback port by pglite-socket, so Prisma and
// pg connect exactly as they would to a PostgreSQL server.
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import type { Logger } from "../log/logger.js";
import { acquireDataDirLock } from "./data-dir-lock.js";
import { ProtocolAwareQueryQueue } from "./protocol-aware-queue.js";

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
  /** Concurrent client connections the socket accepts (queries are queued over PGlite's one session). */
  maxConnections?: number;
}

/** Starts PGlite on `<dataDir>/pgdata`; throws DataDirInUseError if another live process owns it. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const lock = acquireDataDirLock(options.dataDir);
  let db: PGlite | undefined;
  try {
    const started = Date.now();
    db = await PGlite.create({ dataDir: path.join(options.dataDir, "pgdata"), extensions: { vector } });
    const server = new PGLiteSocketServer({
      db,
      host: "127.0.0.1",
      port: options.port ?? 0,
      maxConnections: options.maxConnections ?? 128,
    });
    // Connections read `queryQueue` when they attach; swap in the protocol-aware one first.
    (server as unknown as { queryQueue: ProtocolAwareQueryQueue }).queryQueue = new ProtocolAwareQueryQueue(db);
    await server.start();
    const port = Number(server.getServerConn().split(":").pop());
    const url = `postgresql://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable`;
    lock.publish(url);
    options.logger.info({ name: "embedded-db-started", dataDir: options.dataDir, port, ms: Date.now() - started }, "embedded database started");
    const pglite = db;
    let closing: Promise<void> | undefined;
    return {
      url,
      port,
      close() {
        closing ??= (async () => {
          try {
            await server.stop();
            await pglite.close();
            options.logger.info({ name: "embedded-db-stopped" }, "embedded database stopped");
          } finally {
            lock.release();
          }
        })();
        return closing;
      },
    };
  } catch (e) {
    await db?.close().catch(() => undefined);
    lock.release();
    throw e;
  }
}
