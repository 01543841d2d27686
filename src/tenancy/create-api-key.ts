// `meta-agent keys create --tenant NAME`: a new API key for a tenant, shown once.
import { randomUUID } from "node:crypto";
import type { Database } from "../db/database.js";
import { ValidationError } from "../errors.js";
import { formatZodIssues } from "../domain/format-issues.js";
import { generateApiKey } from "./api-key.js";
import { ensureTenant } from "./ensure-tenant.js";
import { TenantIdSchema } from "../domain/tenant-id.js";

export interface CreateApiKeyOptions {
  tenant: string;
  /** Label shown by `keys list` (default: `<tenant> key`). */
  name?: string;
}

export interface CreatedApiKey {
  id: string;
  tenant: string;
  name: string;
  prefix: string;
  /** The plain key. It is not stored and cannot be shown again. */
  key: string;
  createdAt: string;
}

/** Creates the tenant if needed and a key for it; stores only the key's hash. */
export async function createApiKey(db: Database, options: CreateApiKeyOptions): Promise<CreatedApiKey> {
  const parsed = TenantIdSchema.safeParse(options.tenant);
  if (!parsed.success) throw new ValidationError(`tenant: ${formatZodIssues(parsed.error.issues).replace(/^\(root\): /, "")}`);
  const tenant = parsed.data;
  const name = options.name?.trim() || `${tenant} key`;
  await ensureTenant(db, tenant);
  const generated = generateApiKey();
  const id = randomUUID();
  const { rows } = await db.pool.query<{ created_at: Date }>(
    `INSERT INTO api_keys (id, tenant_id, name, prefix, key_hash) VALUES ($1, $2, $3, $4, $5) RETURNING created_at`,
    [id, tenant, name, generated.prefix, generated.hash],
  );
  return { id, tenant, name, prefix: generated.prefix, key: generated.key, createdAt: rows[0]!.created_at.toISOString() };
}
