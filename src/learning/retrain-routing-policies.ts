// The scheduled retraining of routing policies: after the learning cycles, each tenant whose
// routed sub-task traces with an outcome since its policy was trained number at least
// `routing_min_traces` gets its next policy. One tenant's failure is logged and never stops the
// others (nor the learning cycles before it).
import { countRoutedTracesSince } from "../collector/query/list-routed-traces.js";
import type { RoutingDeps } from "./create-routing-deps.js";
import { trainRoutingPolicy } from "./train-routing-policy.js";

export type RetrainOutcome = { trained: true; version: number } | { trained: false; reason: string };

/** Retrains the policies of `tenants` that have enough new traces. */
export async function retrainRoutingPolicies(deps: RoutingDeps, tenants: string[], options: { signal?: AbortSignal } = {}): Promise<Record<string, RetrainOutcome>> {
  const out: Record<string, RetrainOutcome> = {};
  for (const tenant of tenants) {
    if (options.signal?.aborted) break;
    try {
      const current = await deps.store.latest(tenant);
      const fresh = await countRoutedTracesSince(deps.db.forTenant(tenant).pool, tenant, current?.trainedAt ?? null);
      if (fresh < deps.training.minTraces) {
        out[tenant] = { trained: false, reason: `${fresh} new routed traces with an outcome since ${current ? `policy ${current.version}` : "the start"}; ${deps.training.minTraces} needed` };
        continue;
      }
      const result = await trainRoutingPolicy(deps.training, deps, { tenant });
      out[tenant] = result.ok ? { trained: true, version: result.policy.version } : { trained: false, reason: result.message };
    } catch (e) {
      deps.logger.error({ name: "routing-retrain-failed", tenant, err: e }, "scheduled routing training failed");
      out[tenant] = { trained: false, reason: `failed: ${(e as Error).message}` };
    }
  }
  return out;
}
