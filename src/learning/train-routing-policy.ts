// Trains the tenant's routing policy (seed 002) from the traces it already records: every routed
// sub-task call with a known outcome is one logged decision with reward = success − λ·cost
// (cost = tokens / 1000 × the model's price). REINFORCE with a baseline, importance-weighted by
// the probability each decision was taken with, warm-started from the served policy when its
// features and routes still match. The result is saved as the next policy version (a commit and a
// tag in the prompts repository) with the evidence: estimated rewards of the new policy, the
// fixed rule, uniform random and what was logged, each with a 95% interval.
import type { Database } from "../db/database.js";
import type { Embedder } from "../llm/embedder.js";
import type { Logger } from "../log/logger.js";
import { listRoutedTraces, type RoutedTrace } from "../collector/query/list-routed-traces.js";
import { armId, ROUTES, type FeatureSpec, type Route, type RoutingPolicy, type TrainingSummary } from "../domain/routing-policy.js";
import type { RoutingPolicyStore, StoredPolicyVersion } from "../registry/routing-policy-store.js";
import { configuredArms, fixedArm } from "../orchestrator/routing/routing-arms.js";
import { routeFeatures } from "../orchestrator/routing/route-features.js";
import { estimateValue, meanWithInterval, probabilities, trainReinforce, type LoggedDecision } from "../orchestrator/routing/softmax-policy.js";

/** What training reads from the configuration (each maps to a `routing_*` key). */
export interface RoutingTrainingSettings {
  lambda: number;
  epochs: number;
  learningRate: number;
  minTraces: number;
  embeddingDims: number;
  models: string[];
  /** Price per 1000 tokens by model; unlisted models cost 1. */
  modelCosts: Record<string, number>;
  /** Most recent traces read. Default 5000. */
  maxTraces?: number;
}

export interface TrainRoutingDeps {
  db: Pick<Database, "forTenant">;
  store: RoutingPolicyStore;
  embedder: Embedder;
  logger: Logger;
}

export type TrainRoutingResult =
  | { ok: true; policy: RoutingPolicy; saved: StoredPolicyVersion | null; summary: string }
  | { ok: false; reason: "not_enough_traces"; traces: number; needed: number; message: string };

const BASE_INTENTS = ["compute", "reason", "research"];
const PROJECTION_SEED = 2902;

/** The decision a trace records: its arm, probability and intent (legacy sub-task traces: the fixed rule's). */
function decisionOf(t: RoutedTrace): { route: Route; model: string | null; probability: number; intent: string } | undefined {
  const r = t.metadata["routing"];
  if (r && typeof r === "object") {
    const d = r as Record<string, unknown>;
    const route = ROUTES.find((x) => x === d["route"]);
    const probability = Number(d["probability"]);
    if (!route || !(probability > 0 && probability <= 1)) return undefined;
    return { route, model: typeof d["model"] === "string" ? d["model"] : null, probability, intent: String(d["intent"] ?? "reason") };
  }
  const route = ROUTES.find((x) => x === t.metadata["role"]);
  if (!route) return undefined;
  return { route, model: null, probability: 1, intent: route === "engineer" ? "compute" : String(t.metadata["kind"] ?? "reason") };
}

const textOf = (t: RoutedTrace) => String(t.input["subTaskDescription"] ?? t.input["problemStatement"] ?? JSON.stringify(t.input));

/** Reward of a logged decision: success − λ · tokens / 1000 · price(model). */
export const rewardOf = (success: boolean, tokens: number, model: string | null, settings: Pick<RoutingTrainingSettings, "lambda" | "modelCosts">) =>
  (success ? 1 : 0) - settings.lambda * (tokens / 1000) * (model ? (settings.modelCosts[model] ?? 1) : 1);

/** Trains and (unless `dryRun`) saves the next routing policy of `tenant`. */
export async function trainRoutingPolicy(settings: RoutingTrainingSettings, deps: TrainRoutingDeps, request: { tenant: string; dryRun?: boolean }): Promise<TrainRoutingResult> {
  const { tenant } = request;
  const traces = await listRoutedTraces(deps.db.forTenant(tenant).pool, tenant, { limit: settings.maxTraces ?? 5000 });
  const arms = configuredArms(settings.models);
  const usable: { trace: RoutedTrace; arm: number; probability: number; intent: string; reward: number }[] = [];
  for (const t of traces) {
    const d = decisionOf(t);
    const arm = d ? arms.findIndex((a) => a.id === armId(d.route, d.model)) : -1;
    if (!d || arm < 0) continue;
    usable.push({ trace: t, arm, probability: d.probability, intent: d.intent.trim().toLowerCase(), reward: rewardOf(t.success, t.totalTokens, d.model, settings) });
  }
  if (usable.length < settings.minTraces) {
    const message = `${usable.length} routed sub-task traces with an outcome; training needs ${settings.minTraces} (routing_min_traces). The fixed rule keeps routing.`;
    deps.logger.info({ name: "routing-training-skipped", tenant, traces: usable.length, needed: settings.minTraces }, message);
    return { ok: false, reason: "not_enough_traces", traces: usable.length, needed: settings.minTraces, message };
  }

  const current = await deps.store.latest(tenant);
  const intents = [...new Set([...BASE_INTENTS, ...usable.map((u) => u.intent)])].sort();
  const features: FeatureSpec = { embeddingDims: settings.embeddingDims, projectionSeed: PROJECTION_SEED, intents };
  const embeddings = settings.embeddingDims > 0 ? await deps.embedder.embed(usable.map((u) => textOf(u.trace))) : [];
  const data: LoggedDecision[] = usable.map((u, i) => ({ x: routeFeatures(features, { text: textOf(u.trace), intent: u.intent }, embeddings[i]), arm: u.arm, reward: u.reward, propensity: u.probability }));
  const width = data[0]!.x.length;
  const warm = current && JSON.stringify(current.features) === JSON.stringify(features) && arms.every((a) => current.weights[a.id]?.length === width);
  const initial = arms.map((a) => (warm ? current.weights[a.id]! : new Array<number>(width).fill(0)));
  const trained = trainReinforce(initial, data, { epochs: settings.epochs, learningRate: settings.learningRate, seed: (current?.version ?? 0) + 1 });

  const fixedIndex = (intent: string) => arms.findIndex((a) => a.id === fixedArm(intent, settings.models).id);
  const oneHot = (k: number) => arms.map((_, j) => (j === k ? 1 : 0));
  const policyOf = (x: number[]) => probabilities(trained.weights, x);
  const greedy = (x: number[]) => {
    const p = policyOf(x);
    return p.indexOf(Math.max(...p));
  };
  const share = (picks: number[]) => Object.fromEntries(arms.map((a, k) => [a.id, picks.filter((p) => p === k).length / picks.length]));
  const training: TrainingSummary = {
    traces: usable.length,
    skipped: traces.length - usable.length,
    epochs: settings.epochs,
    learningRate: settings.learningRate,
    baseline: trained.baseline,
    estimatedReward: {
      logged: meanWithInterval(data.map((d) => d.reward)),
      fixedRule: estimateValue(data, (x) => oneHot(fixedIndex(intentOfX(features, x)))),
      uniform: estimateValue(data, () => arms.map(() => 1 / arms.length)),
      policy: estimateValue(data, policyOf),
    },
    rewardByEpoch: trained.rewardByEpoch,
    loggedUtilization: share(data.map((d) => d.arm)),
    utilization: share(data.map((d) => greedy(d.x))),
  };
  const version = (current?.version ?? 0) + 1;
  const policy: RoutingPolicy = {
    kind: "routing-policy",
    tenant,
    version,
    parent: current?.version ?? null,
    trainedAt: new Date().toISOString(),
    lambda: settings.lambda,
    features,
    arms,
    weights: Object.fromEntries(arms.map((a, k) => [a.id, trained.weights[k]!])),
    training,
  };
  const e = training.estimatedReward;
  const fmt = (v: { mean: number; low: number; high: number }) => `${v.mean.toFixed(3)} [${v.low.toFixed(3)}, ${v.high.toFixed(3)}]`;
  const summary = `routing policy ${version} for ${tenant}: ${usable.length} traces, estimated reward ${fmt(e.policy)} vs fixed rule ${fmt(e.fixedRule)}, uniform ${fmt(e.uniform)} (λ ${settings.lambda})`;
  const saved = request.dryRun ? null : await deps.store.save(tenant, policy, summary);
  deps.logger.info({ name: "routing-policy-trained", tenant, version, traces: usable.length, estimated: e.policy.mean, fixedRule: e.fixedRule.mean, saved: saved !== null }, summary);
  return { ok: true, policy, saved, summary };
}

/** The intent a feature vector encodes (its one-hot), or `other`. */
function intentOfX(spec: FeatureSpec, x: number[]): string {
  const offset = 1 + spec.embeddingDims;
  const i = spec.intents.findIndex((_, k) => x[offset + k] === 1);
  return i < 0 ? "other" : spec.intents[i]!;
}
