// The service's periodic sweep of expired semantic-cache entries (lookups skip them already; the
// sweep keeps the table and its vector index from growing for ever). A failed sweep is logged and
// retried at the next interval; the timer never keeps the process alive.
import type { Database } from "../db/database.js";
import type { Logger } from "../log/logger.js";
import { pruneCache } from "./cache-maintenance.js";

/** Once an hour: entries expire after days (`cache_ttl_seconds`), so finer sweeps buy nothing. */
export const CACHE_SWEEP_INTERVAL_MS = 3_600_000;

export interface CacheSweeper {
  /** Runs one sweep now (also what the timer calls); resolves with the entries deleted. */
  sweep(): Promise<number>;
  /** Stops the timer and waits for a sweep under way. */
  stop(): Promise<void>;
}

export function startCacheSweeper(deps: { db: Pick<Database, "pool" | "forTenant">; logger: Logger; intervalMs?: number }): CacheSweeper {
  let running: Promise<number> | undefined;
  const sweep = () =>
    (running ??= pruneCache(deps.db)
      .then(({ expired }) => {
        if (expired > 0) deps.logger.info({ name: "cache-swept", expired }, "deleted expired semantic cache entries");
        return expired;
      })
      .catch((e: unknown) => {
        deps.logger.warn({ name: "cache-sweep-failed", err: e }, "could not delete expired semantic cache entries; retrying at the next sweep");
        return 0;
      })
      .finally(() => {
        running = undefined;
      }));
  const timer = setInterval(() => void sweep(), deps.intervalMs ?? CACHE_SWEEP_INTERVAL_MS);
  timer.unref();
  return {
    sweep,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
