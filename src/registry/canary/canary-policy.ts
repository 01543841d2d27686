// Whether a promoted candidate goes through a canary (config `rollout: canary`, for the tenants
// in `canary_tenants`, in auto mode), and the settings a new canary is started with.
import type { Config } from "../../config/index.js";
import type { CanarySettings } from "../../domain/canary.js";

export interface CanaryPolicy {
  /** True when a canary may start for the tenant; every other tenant keeps the gate. */
  enabledFor(tenant: string): boolean;
  settings: CanarySettings;
}

/** The policy from configuration, or undefined when rollout is `gate` (or review mode: a person promotes). */
export function canaryPolicyFrom(config: Config): CanaryPolicy | undefined {
  if (config.rollout !== "canary" || !config.enableAutoUpdates) return undefined;
  const tenants = new Set(config.canaryTenants);
  return {
    enabledFor: (tenant) => tenants.has("*") || tenants.has(tenant),
    settings: {
      share: config.canaryShare,
      confidence: config.canaryConfidence,
      effectSize: config.canaryEffectSize,
      minRuns: config.canaryMinRuns,
      maxRuns: config.canaryMaxRuns,
      maxDurationSeconds: config.canaryMaxDuration,
      maxLatencyIncrease: config.canaryMaxLatencyIncrease,
      maxCostIncrease: config.canaryMaxCostIncrease,
      objective: config.promotionObjective,
      tokenPenalty: config.objectiveTokenPenalty,
    },
  };
}
