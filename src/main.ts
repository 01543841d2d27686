// Composition root: builds the service's dependencies from configuration and starts HTTP.
// The CLI's `serve` command calls startService; other commands reuse the same builders.
import type { Config } from "./config/index.js";
import type { Logger } from "./log/logger.js";
import { openDatabase, type Database } from "./db/database.js";
import { createApp } from "./http/app.js";
import { listen } from "./http/server.js";
import { writeServiceState, removeServiceState } from "./runtime/state-file.js";
import { VERSION } from "./version.js";
import { createEmbedder } from "./llm/create-embedder.js";
import { libraryRoutes } from "./http/routes/library.js";
import { searchLibrary } from "./librarian/search-library.js";

export interface Service {
  readonly url: string;
  readonly db: Database;
  /** Graceful stop: drain HTTP, close the database, stop the embedded server. Idempotent. */
  close(): Promise<void>;
}

export async function startService(config: Config, logger: Logger): Promise<Service> {
  const db = await openDatabase(config, logger);
  let shuttingDown = false;
  try {
    const embedder = createEmbedder(config, { logger });
    const memory = { db, embedder, logger };
    const app = createApp({
      logger,
      health: { isReady: () => db.isReady(), isShuttingDown: () => shuttingDown },
      routers: [libraryRoutes({ search: (input) => searchLibrary(memory, { ...input, efSearch: config.vectorEfSearch }) })],
    });
    const http = await listen(app, config.host, config.port);
    writeServiceState(config.stateFile, {
      pid: process.pid,
      url: http.url,
      databaseMode: db.mode,
      startedAt: new Date().toISOString(),
      version: VERSION,
    });
    logger.info({ name: "service-started", url: http.url, database: db.mode }, `meta-agent listening on ${http.url}`);
    let closing: Promise<void> | undefined;
    return {
      url: http.url,
      db,
      close() {
        closing ??= (async () => {
          shuttingDown = true;
          logger.info({ name: "service-stopping" }, "draining requests");
          await http.close();
          await db.close();
          removeServiceState(config.stateFile);
          logger.info({ name: "service-stopped" }, "stopped");
        })();
        return closing;
      },
    };
  } catch (e) {
    await db.close();
    throw e;
  }
}
