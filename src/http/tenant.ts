// Which tenant a request acts for. Every route reads the tenant through `tenantOf` and passes
// it to its use case; every repository query filters by it. Until API keys are configured
// (issue 8: `meta-agent keys create`), every request belongs to the `default` tenant.
import type { Request, RequestHandler, Response } from "express";

export const DEFAULT_TENANT = "default";

/** Sets `res.locals.tenantId`. Replaced by API-key authentication when keys exist. */
export const defaultTenant: RequestHandler = (_req, res, next) => {
  res.locals["tenantId"] = DEFAULT_TENANT;
  next();
};

export function tenantOf(res: Response): string {
  const t = res.locals["tenantId"];
  if (typeof t !== "string") throw new Error("tenant middleware did not run");
  return t;
}

export type { Request, Response };
