// The express application: middleware, routes and the JSON error handler.
import express, { type Express, type RequestHandler, type Router } from "express";
import type { Logger } from "../log/logger.js";
import { errorHandler, notFoundHandler } from "./error-handler.js";
import { healthRoutes, type HealthDeps } from "./routes/health.js";
import { defaultTenant } from "./tenant.js";

export interface AppDeps {
  logger: Logger;
  health: HealthDeps;
  /** Resolves the request's tenant into res.locals.tenantId (default: everything is `default`). */
  tenant?: RequestHandler;
  /** Feature routers mounted after the probes (ingest, patterns, versions...). */
  routers?: Router[];
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", "loopback");
  app.use(healthRoutes(deps.health));
  app.use(deps.tenant ?? defaultTenant);
  for (const router of deps.routers ?? []) app.use(router);
  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger));
  return app;
}
