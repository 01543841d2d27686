// Which tenant an HTTP request acts for. Every route reads the tenant through `tenantOf` and
// passes it to its use case; every repository query filters by it. The service resolves the
// tenant from the request's API key (http/api-key-auth.ts); without keys it is `DEFAULT_TENANT`
// (tenancy/tenant-id.ts, where the tenant id lives for every layer below the doors).
import type { Request, RequestHandler, Response } from "express";
import { DEFAULT_TENANT, type TenantId } from "../domain/tenant-id.js";
import type { Database, TenantDatabase } from "../db/database.js";

/** Sets `res.locals.tenantId` to `default` (tests and apps built without a database). */
export const defaultTenant: RequestHandler = (_req, res, next) => {
  res.locals["tenantId"] = DEFAULT_TENANT;
  next();
};

export function tenantOf(res: Response): TenantId {
  const t = res.locals["tenantId"];
  if (typeof t !== "string") throw new Error("tenant middleware did not run");
  return t;
}

/**
 * The database as the request's tenant sees it: every statement runs with row-level security
 * for that tenant (db/tenant-scope.ts). Routes pass this, never the service's own connection, to
 * their use cases.
 */
export function tenantDb(res: Response, db: Pick<Database, "forTenant">): TenantDatabase {
  return db.forTenant(tenantOf(res));
}

export type { Request, Response };
