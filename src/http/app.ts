// The express application: the public probes, the operator routes behind their own guard, then
// the authentication middleware and every feature route behind it. Nothing after `authenticate`
// can be reached without it, whatever spelling a path uses: the allow-list is what is mounted
// before it, decided by the same router that dispatches the handlers.
import express, { type Express, type RequestHandler, type Router } from "express";
import type { Logger } from "../log/logger.js";
import { errorHandler, notFoundHandler } from "./error-handler.js";
import { healthRoutes, type HealthDeps } from "./routes/health.js";
import { defaultTenant } from "./tenant.js";
import { urlGuard } from "./url-guard.js";
import { rejectTenantSelection } from "./tenant-selection.js";

export interface AppDeps {
  logger: Logger;
  health: HealthDeps;
  /** Resolves the request's tenant into res.locals.tenantId (default: everything is `default`). */
  tenant?: RequestHandler;
  /** Routes for the operator (metrics), each with its own guard, mounted before `tenant`. */
  operatorRouters?: Router[];
  /** The dashboard (/ui), with its own sign-in (a key in a cookie), mounted before `tenant`. */
  ui?: Router;
  /** Feature routers mounted after `tenant` (ingest, patterns, versions...). */
  routers?: Router[];
}

/** The public allow-list: routes anyone may call without a key. */
export const PUBLIC_ROUTES = [
  { method: "GET", path: "/healthz" },
  { method: "GET", path: "/readyz" },
] as const;

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", "loopback");
  app.use(healthRoutes(deps.health));
  for (const router of deps.operatorRouters ?? []) app.use(router);
  if (deps.ui) app.use(deps.ui);
  app.use(deps.tenant ?? defaultTenant);
  // After authentication (an anonymous caller learns nothing new), before every feature route.
  app.use(urlGuard);
  app.use(rejectTenantSelection);
  for (const router of deps.routers ?? []) app.use(router);
  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger));
  return app;
}
