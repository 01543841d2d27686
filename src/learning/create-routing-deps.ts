// What the routing doors (HTTP, CLI) need: the policy store of the registry's repository, the
// router that serves decisions, and training with its settings. The service shares the task
// runner's router, so `route` answers exactly as sub-tasks are routed.
import type { Config } from "../config/index.js";
import type { Database } from "../db/database.js";
import type { Embedder } from "../llm/embedder.js";
import type { Logger } from "../log/logger.js";
import { createRouter, type Router } from "../orchestrator/routing/create-router.js";
import type { RegistryDeps } from "../registry/registry-deps.js";
import { createRoutingPolicyStore, type RoutingPolicyStore } from "../registry/routing-policy-store.js";
import { routerSettingsFrom } from "../tasks/create-task-runner.js";
import type { RoutingTrainingSettings } from "./train-routing-policy.js";

export interface RoutingDeps {
  db: Pick<Database, "forTenant">;
  store: RoutingPolicyStore;
  router: Router;
  embedder: Embedder;
  logger: Logger;
  training: RoutingTrainingSettings;
}

/** Training settings from the `routing_*` keys. */
export function routingTrainingSettingsFrom(config: Config): RoutingTrainingSettings {
  return {
    lambda: config.routingLambda,
    epochs: config.routingEpochs,
    learningRate: config.routingLearningRate,
    minTraces: config.routingMinTraces,
    embeddingDims: config.routingEmbeddingDims,
    models: config.routingModels,
    modelCosts: config.routingModelCosts,
  };
}

export async function createRoutingDeps(config: Config, deps: { db: Pick<Database, "forTenant">; logger: Logger; registry: Pick<RegistryDeps, "git" | "logger">; embedder: Embedder; router?: Router }): Promise<RoutingDeps> {
  const store = await createRoutingPolicyStore(deps.registry, config.versionsDir);
  const router =
    deps.router ??
    createRouter(
      routerSettingsFrom(config),
      { embed: async (text) => (await deps.embedder.embed([text]))[0]!, logger: deps.logger },
    );
  return { db: deps.db, store, router, embedder: deps.embedder, logger: deps.logger, training: routingTrainingSettingsFrom(config) };
}
