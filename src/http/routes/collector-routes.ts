// The trace collector's routers, built from the database and configuration. main.ts mounts
// them; tests build the same list against a test database.
import type { Router } from "express";
import type { Database } from "../../db/database.js";
import type { Config } from "../../config/index.js";
import type { Logger } from "../../log/logger.js";
import { traceRoutes } from "./traces.js";
import { importRoutes } from "./import.js";
import { otlpRoutes } from "./otlp.js";

export interface CollectorRoutesDeps {
  /** The service's database; each request's use case gets the request tenant's scope of it. */
  db: Pick<Database, "forTenant">;
  logger: Logger;
  config: Pick<Config, "maxToolResponseChars" | "ingestMaxBodyBytes" | "ingestMaxTraces" | "modelPrices">;
}

export function collectorRouters(deps: CollectorRoutesDeps): Router[] {
  const { db, logger, config } = deps;
  return [
    traceRoutes({ db, logger, maxBodyBytes: config.ingestMaxBodyBytes, maxTraces: config.ingestMaxTraces, maxToolResponseChars: config.maxToolResponseChars, prices: config.modelPrices }),
    importRoutes({ db, logger, maxToolResponseChars: config.maxToolResponseChars, maxRecordBytes: config.ingestMaxBodyBytes, prices: config.modelPrices }),
    otlpRoutes({ db, logger, maxBodyBytes: config.ingestMaxBodyBytes, maxToolResponseChars: config.maxToolResponseChars, prices: config.modelPrices }),
  ];
}
