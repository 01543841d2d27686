// One scheduled run: a learning cycle (with retries) for every tenant.
import type { Database } from "../db/database.js";
import { DEFAULT_TENANT } from "../domain/tenant-id.js";
import { listTenantIds } from "../tenancy/list-tenant-ids.js";
import { runLearningCycle, type LearningCycleContext, type LearningCycleResult } from "./run-learning-cycle.js";
import { runWithRetry, type CycleRetryOptions } from "./run-with-retry.js";

/** Tenants to learn for: every tenant row plus `default`. */
export async function listTenants(db: Database): Promise<string[]> {
  return [...new Set([DEFAULT_TENANT, ...(await listTenantIds(db))])];
}

/** Runs each tenant's cycle in turn; one tenant's failure never stops the others. */
export async function runScheduledCycles(
  ctx: LearningCycleContext,
  options: { trigger: string; agent?: string; signal?: AbortSignal; retry?: Omit<CycleRetryOptions, "logger" | "signal"> },
): Promise<Record<string, LearningCycleResult>> {
  const out: Record<string, LearningCycleResult> = {};
  for (const tenant of await listTenants(ctx.db)) {
    if (options.signal?.aborted) break;
    out[tenant] = await runWithRetry(() => runLearningCycle(ctx, { tenant, trigger: options.trigger, ...(options.agent ? { agent: options.agent } : {}), ...(options.signal ? { signal: options.signal } : {}) }), {
      ...options.retry,
      logger: ctx.logger,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }
  return out;
}
