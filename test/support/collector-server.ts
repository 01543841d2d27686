// A real collector HTTP server on loopback over a test database (same routers as `serve`).
import { createApp } from "../../src/http/app.js";
import { listen, type HttpServer } from "../../src/http/server.js";
import { collectorRouters } from "../../src/http/routes/collector-routes.js";
import { silentLogger } from "../../src/log/logger.js";
import type { TestDatabase } from "./database.js";

/** Starts the collector's routes on 127.0.0.1 (port 0 unless given). */
export async function startCollectorServer(t: TestDatabase, port = 0): Promise<HttpServer> {
  const app = createApp({
    logger: silentLogger,
    health: { isReady: () => t.db.isReady(), isShuttingDown: () => false },
    routers: collectorRouters({ pool: t.db.pool, logger: silentLogger, config: t.config }),
  });
  return listen(app, "127.0.0.1", port);
}
