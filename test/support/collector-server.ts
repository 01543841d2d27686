// A real collector HTTP server on loopback over a test database (same routers as `serve`).
import { afterAll, beforeAll } from "vitest";
import { createApp } from "../../src/http/app.js";
import { listen, type HttpServer } from "../../src/http/server.js";
import { collectorRouters } from "../../src/http/routes/collector-routes.js";
import { silentLogger } from "../../src/log/logger.js";
import { createTestDatabase, type TestDatabase } from "./database.js";

/** Starts the collector's routes on 127.0.0.1 (port 0 unless given). */
export async function startCollectorServer(t: TestDatabase, port = 0): Promise<HttpServer> {
  const app = createApp({
    logger: silentLogger,
    health: { isReady: () => t.db.isReady(), isShuttingDown: () => false },
    routers: collectorRouters({ db: t.db, logger: silentLogger, config: t.config }),
  });
  return listen(app, "127.0.0.1", port);
}

/**
 * For the enclosing file or suite: a fresh test database (with `env`) and a collector server on
 * it, started before its tests and stopped after them. Read `t` and `server` inside tests and hooks.
 */
export function useCollectorServer(env: Record<string, string> = {}): { readonly t: TestDatabase; readonly server: HttpServer } {
  let t: TestDatabase | undefined;
  let server: HttpServer | undefined;
  beforeAll(async () => {
    t = await createTestDatabase(env);
    server = await startCollectorServer(t);
  });
  afterAll(async () => {
    await server?.close();
    await t?.close();
  });
  const started = <T>(x: T | undefined): T => {
    if (x === undefined) throw new Error("useCollectorServer: the server is only there inside tests and hooks");
    return x;
  };
  return {
    get t() {
      return started(t);
    },
    get server() {
      return started(server);
    },
  };
}
