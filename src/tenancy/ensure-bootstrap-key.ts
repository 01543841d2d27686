// The first-start path of a deployment (docker compose, Kubernetes): the operator hands the
// service an API key through the environment or a secret file, and the service stores it (its hash)
// on start if it is not stored yet. The service then needs keys from its first request on, so it
// may listen beyond loopback at once, and nobody has to run `meta-agent keys create` inside a
// container that is not yet reachable.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Database } from "../db/database.js";
import { ConfigError } from "../errors.js";
import type { Logger } from "../log/logger.js";
import { hashApiKey, isWellFormedApiKey, prefixOf } from "./api-key.js";
import { ensureTenant } from "./ensure-tenant.js";

export interface BootstrapKeySettings {
  /** `bootstrap_api_key`: the key itself. */
  key?: string;
  /** `bootstrap_api_key_file`: a file holding the key (a Docker or Kubernetes secret). */
  keyFile?: string;
  /** `bootstrap_tenant`: the tenant the key acts for. */
  tenant: string;
}

export type BootstrapOutcome = "none" | "created" | "present" | "revoked";

/** The configured bootstrap key, or undefined. Throws ConfigError for an unreadable file or a malformed key. */
export function readBootstrapKey(settings: BootstrapKeySettings): string | undefined {
  let key = settings.key;
  if (key === undefined && settings.keyFile !== undefined) {
    try {
      key = readFileSync(settings.keyFile, "utf8").trim();
    } catch (e) {
      throw new ConfigError([`bootstrap_api_key_file: cannot read ${settings.keyFile}: ${(e as Error).message}`]);
    }
  }
  if (key === undefined) return undefined;
  if (!isWellFormedApiKey(key)) {
    throw new ConfigError([
      "bootstrap_api_key: expected a key of the form mak_ followed by 43 base64url characters (generate one with `meta-agent keys generate`)",
    ]);
  }
  return key;
}

/** Stores the bootstrap key for its tenant unless it is stored already; a revoked key stays revoked. */
export async function ensureBootstrapKey(db: Database, settings: BootstrapKeySettings, logger: Logger): Promise<BootstrapOutcome> {
  const key = readBootstrapKey(settings);
  if (key === undefined) return "none";
  const hash = hashApiKey(key);
  const existing = (await db.pool.query<{ id: string; tenantId: string; revokedAt: Date | null }>(`SELECT id, tenant_id AS "tenantId", revoked_at AS "revokedAt" FROM api_keys WHERE key_hash = $1`, [hash])).rows[0];
  if (existing?.revokedAt) {
    logger.warn({ name: "bootstrap-key-revoked", keyId: existing.id }, "the bootstrap API key was revoked; it is not re-created (remove it from the environment)");
    return "revoked";
  }
  if (existing) return "present";
  await ensureTenant(db, settings.tenant);
  // Two replicas starting at once may both try: the unique hash makes the second insert a no-op.
  const inserted = await db.pool.query(
    `INSERT INTO api_keys (id, tenant_id, name, prefix, key_hash) VALUES ($1, $2, 'bootstrap', $3, $4) ON CONFLICT (key_hash) DO NOTHING`,
    [randomUUID(), settings.tenant, prefixOf(key), hash],
  );
  if (inserted.rowCount === 0) return "present";
  logger.info({ name: "bootstrap-key-created", tenant: settings.tenant, prefix: prefixOf(key) }, `stored the bootstrap API key for tenant ${settings.tenant}`);
  return "created";
}
