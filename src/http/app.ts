// The express application: middleware, routes and the JSON error handler.
import express, { type Express, type Router } from "express";
import type { Logger } from "../log/logger.js";
import { errorHandler, notFoundHandler } from "./error-handler.js";
import { healthRoutes, type HealthDeps } from "./routes/health.js";

export interface AppDeps {
  logger: Logger;
  health: HealthDeps;
  /** Feature routers mounted after the probes (ingest, patterns, versions...). */
  routers?: Router[];
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", "loopback");
  app.use(healthRoutes(deps.health));
  for (const router of deps.routers ?? []) app.use(router);
  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger));
  return app;
}
