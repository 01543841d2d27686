// The router: picks the route (and model) of a sub-task with the tenant's learned policy, read from
// the versions directory (`_routing/<tenant>.json`, reloaded when the file changes), sampling from
// the policy mixed with bounded exploration. A cold start — no policy, one trained on too few
// traces, no route of it available, features that cannot be computed — falls back to the fixed
// rule, and every decision says which rule made it and with what probability (for training).
import { readFile, stat } from "node:fs/promises";
import { parseRoutingPolicy, type RoutingArm, type RoutingPolicy } from "../../domain/routing-policy.js";
import type { Logger } from "../../log/logger.js";
import { createRng, type Rng } from "../../runtime/random.js";
import { routingPolicyFile } from "../../registry/routing-policy-store.js";
import { configuredArms, fixedArm } from "./routing-arms.js";
import { routeFeatures, type RouteContext } from "./route-features.js";
import { probabilities, sampleIndex, withExploration } from "./softmax-policy.js";

export interface RouterSettings {
  /** Use learned policies (`routing_enabled`, default true); false: always the fixed rule. */
  enabled: boolean;
  /** Share of decisions spread uniformly over the available routes (`routing_exploration`, default 0.05). */
  exploration: number;
  /** Models the router may choose between (`routing_models`); empty: each signature's own. */
  models: string[];
  /** A policy trained on fewer traces is not used (`routing_min_traces`, default 30). */
  minTraces: number;
  /** Where the served policy files are (`versions_dir`). */
  versionsDir: string;
}

export interface RouteDecision {
  arm: RoutingArm;
  /** Probability with which this arm was chosen (1 for the fixed rule). */
  probability: number;
  /** Version of the policy that decided; null: the fixed rule. */
  policyVersion: number | null;
  rule: "learned" | "fixed";
  /** Why the fixed rule decided, when it did. */
  reason?: string;
  /** The distribution sampled from (learned decisions). */
  probabilities?: Record<string, number>;
}

export interface Router {
  readonly settings: RouterSettings;
  /** The routes (and models) decisions are made among. */
  readonly arms: RoutingArm[];
  /** Decides the route of one task; `available` says which arms can run now (default: all). */
  choose(tenant: string, context: RouteContext, options?: { available?: (arm: RoutingArm) => boolean }): Promise<RouteDecision>;
  /** The policy the router serves for a tenant now, or undefined (cold start). */
  servedPolicy(tenant: string): Promise<RoutingPolicy | undefined>;
}

export interface RouterDeps {
  /** Embeds a task text (the orchestrator's embedder); needed when the policy has embedding features. */
  embed(text: string): Promise<number[]>;
  logger: Logger;
  /** Random source of the sampling. Default: seeded from the clock. */
  rng?: Rng;
}

export function createRouter(settings: RouterSettings, deps: RouterDeps): Router {
  const arms = configuredArms(settings.models);
  const rng = deps.rng ?? createRng(Date.now() ^ process.pid);
  const cache = new Map<string, { mtimeMs: number; size: number; policy: RoutingPolicy | undefined }>();

  async function servedPolicy(tenant: string): Promise<RoutingPolicy | undefined> {
    const file = routingPolicyFile(settings.versionsDir, tenant);
    const info = await stat(file).catch(() => undefined);
    if (!info) {
      cache.delete(tenant);
      return undefined;
    }
    const hit = cache.get(tenant);
    if (hit && hit.mtimeMs === info.mtimeMs && hit.size === info.size) return hit.policy;
    let policy: RoutingPolicy | undefined;
    try {
      policy = parseRoutingPolicy(await readFile(file, "utf8"), file);
      deps.logger.info({ name: "routing-policy-loaded", tenant, version: policy.version }, `routing policy ${policy.version} loaded`);
    } catch (e) {
      deps.logger.warn({ name: "routing-policy-invalid", tenant, file, err: e }, "routing policy file unreadable; the fixed rule routes");
    }
    cache.set(tenant, { mtimeMs: info.mtimeMs, size: info.size, policy });
    return policy;
  }

  return {
    settings,
    arms,
    servedPolicy,
    async choose(tenant, context, options = {}) {
      const available = options.available ?? (() => true);
      const fixed = (reason: string): RouteDecision => ({ arm: fixedArm(context.intent, settings.models), probability: 1, policyVersion: null, rule: "fixed", reason });
      if (!settings.enabled) return fixed("learned routing is off (routing_enabled)");
      const policy = await servedPolicy(tenant);
      if (!policy) return fixed("cold start: no trained routing policy");
      if (policy.training.traces < settings.minTraces) return fixed(`cold start: policy ${policy.version} was trained on ${policy.training.traces} traces (routing_min_traces ${settings.minTraces})`);
      const usable = policy.arms.filter((a) => arms.some((c) => c.id === a.id) && available(a));
      if (usable.length === 0) return fixed(`no route of policy ${policy.version} is available`);
      let embedding: number[] | undefined;
      if (policy.features.embeddingDims > 0) {
        try {
          embedding = await deps.embed(context.text);
        } catch (e) {
          deps.logger.warn({ name: "routing-embed-failed", tenant, err: e }, "could not embed the task; the fixed rule routes");
          return fixed(`the task could not be embedded: ${(e as Error).message}`);
        }
      }
      const x = routeFeatures(policy.features, context, embedding);
      const p = withExploration(probabilities(usable.map((a) => policy.weights[a.id]!), x), settings.exploration);
      const i = sampleIndex(p, rng);
      return { arm: usable[i]!, probability: p[i]!, policyVersion: policy.version, rule: "learned", probabilities: Object.fromEntries(usable.map((a, k) => [a.id, p[k]!])) };
    },
  };
}
