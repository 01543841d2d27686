// The trace collector's routers, built from the database and configuration. main.ts mounts
// them; tests build the same list against a test database.
import type { Router } from "express";
import type pg from "pg";
import type { Config } from "../../config/index.js";
import type { Logger } from "../../log/logger.js";
import { traceRoutes } from "./traces.js";
import { importRoutes } from "./import.js";
import { otlpRoutes } from "./otlp.js";

export interface CollectorRoutesDeps {
  pool: pg.Pool;
  logger: Logger;
  config: Pick<Config, "maxToolResponseChars" | "ingestMaxBodyBytes" | "ingestMaxTraces">;
}

export function collectorRouters(deps: CollectorRoutesDeps): Router[] {
  const { pool, logger, config } = deps;
  return [
    traceRoutes({ pool, logger, maxBodyBytes: config.ingestMaxBodyBytes, maxTraces: config.ingestMaxTraces, maxToolResponseChars: config.maxToolResponseChars }),
    importRoutes({ pool, logger, maxToolResponseChars: config.maxToolResponseChars, maxRecordBytes: config.ingestMaxBodyBytes }),
    otlpRoutes({ pool, logger, maxBodyBytes: config.ingestMaxBodyBytes, maxToolResponseChars: config.maxToolResponseChars }),
  ];
}
