// Tenant identifiers: short slugs, used as-is as the tenant id in every table.
import { z } from "zod";

export const TenantIdSchema = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, "must be 1-63 lower-case letters, digits, - or _, starting with a letter or digit");
