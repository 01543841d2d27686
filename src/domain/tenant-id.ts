// Tenant identifiers: short slugs, used as-is as the tenant id in every table (and in version
// paths, tags and the database setting of row-level security). Every layer that
// acts for a tenant takes one of these; the tenant of an HTTP request is `tenantOf(res)` (http/).
import { z } from "zod";

export const TenantIdSchema = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, "must be 1-63 lower-case letters, digits, - or _, starting with a letter or digit");

/** A tenant's id (a slug accepted by `TenantIdSchema`). */
export type TenantId = z.infer<typeof TenantIdSchema>;

/** The tenant a request, a run or a cycle acts for when no API key names another. */
export const DEFAULT_TENANT: TenantId = "default";
