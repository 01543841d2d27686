// Composition root: builds the service's dependencies from configuration and starts HTTP.
// The CLI's `serve` command calls startService; other commands reuse the same builders.
import type { Config } from "./config/index.js";
import type { Logger } from "./log/logger.js";
import { openDatabase, type Database } from "./db/database.js";
import { createApp } from "./http/app.js";
import { collectorRouters } from "./http/routes/collector-routes.js";
import { patternRoutes } from "./http/routes/patterns.js";
import { listen } from "./http/server.js";
import { orchestratorRoutes } from "./http/routes/orchestrator.js";
import { createOrchestrator, type Orchestrator } from "./orchestrator/create-orchestrator.js";
import { writeServiceState, removeServiceState } from "./runtime/state-file.js";
import { VERSION } from "./version.js";
import { createRegistryDeps } from "./registry/registry-deps.js";
import { versionRoutes } from "./http/routes/versions.js";

export interface Service {
  readonly url: string;
  readonly db: Database;
  /** Graceful stop: drain HTTP, close the database, stop the embedded server. Idempotent. */
  close(): Promise<void>;
}

export async function startService(config: Config, logger: Logger): Promise<Service> {
  const db = await openDatabase(config, logger);
  let shuttingDown = false;
  let orchestrator: Orchestrator | undefined;
  try {
    const registry = await createRegistryDeps(config, db.prisma, logger);
    orchestrator = await createOrchestrator(config, db, logger);
    const app = createApp({
      logger,
      health: { isReady: () => db.isReady(), isShuttingDown: () => shuttingDown },
      routers: [
        ...collectorRouters({ pool: db.pool, logger, config }),
        orchestratorRoutes({ orchestrator, logger, defaultTaskBudgetTokens: config.defaultTaskBudgetTokens }),
        versionRoutes(registry),
        patternRoutes({ db, logger, minTraces: config.minTracesForAnalysis, confidenceThreshold: config.confidenceThreshold, windowDays: config.analysisWindowDays }),
      ],
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
          await orchestrator?.close();
          await db.close();
          removeServiceState(config.stateFile);
          logger.info({ name: "service-stopped" }, "stopped");
        })();
        return closing;
      },
    };
  } catch (e) {
    await orchestrator?.close();
    await db.close();
    throw e;
  }
}
