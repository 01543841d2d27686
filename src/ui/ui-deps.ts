// What the dashboard reads through: the database (always in the signed-in tenant's scope), the
// registry, and optional sources added by other features (canary releases).
import type { Database } from "../db/database.js";
import type { Logger } from "../log/logger.js";
import type { RegistryDeps } from "../registry/registry-deps.js";

export interface UiDeps {
  db: Database;
  registry: RegistryDeps;
  logger: Logger;
  /** The API's check: true when requests must present a key. */
  keysRequired: () => Promise<boolean>;
  /** `ui_session_ttl`: seconds a dashboard sign-in lasts. */
  sessionTtlSeconds: number;
  /** `confidence_threshold`: findings at or above it are called actionable in the summary. */
  confidenceThreshold: number;
  /**
   * The tenant's canary releases, when the service has them (any JSON: a list of objects, or an
   * object with a `canaries` list). Absent or failing: the versions page shows no canary section.
   */
  canaries?: (tenant: string) => Promise<unknown>;
}
