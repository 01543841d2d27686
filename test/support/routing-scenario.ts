// A routing problem on the model simulator (seed 002's measurement): four task families, two
// routes (worker, engineer) on two models of different price (sim-small, sim-large) and skill.
//   tally     (analyst says compute) engineer right 90%, worker 40%       fixed rule: engineer — right
//   summarize (reason)               worker right 90% (large 95%), engineer 30%   fixed: worker@small — right
//   diagnose  (reason)               worker@small 15%, worker@large 90%, engineer 10%   fixed: wrong model
//   convert   (reason)               engineer 95%, worker 30%             fixed: worker — wrong route
// Only the task text tells summarize, diagnose and convert apart: the policy needs its embedding
// features. Tasks run through the real task runner; outcomes are judged against the planted
// answers and reported on the routed call's trace, as a user reports production feedback.
import path from "node:path";
import type { BankInput } from "../../src/simulator/index.js";
import { createRng } from "../../src/runtime/random.js";
import { createRouter, type Router } from "../../src/orchestrator/routing/create-router.js";
import { createTaskRunner, taskRunnerSettingsFrom, type TaskRunner } from "../../src/tasks/create-task-runner.js";
import { setTraceOutcome } from "../../src/collector/query/set-trace-outcome.js";
import { createRegistryDeps } from "../../src/registry/registry-deps.js";
import { createRoutingDeps, type RoutingDeps } from "../../src/learning/create-routing-deps.js";
import { rewardOf } from "../../src/learning/train-routing-policy.js";
import { shippedBaseline, startOrchestratorFixture, type OrchestratorFixture } from "./orchestrator.js";

const WORKER = "Solve only the sub-task";
const ENGINEER = "write a short, deterministic program";

interface FamilySpec {
  id: string;
  kind: "compute" | "reason";
  /** The sub-task text, with `N` replaced by the task's number. */
  text: string;
  /** What a correct answer contains. */
  token: string;
  worker: { small: number; large: number };
  engineer: number;
}

export const ROUTING_FAMILIES: FamilySpec[] = [
  { id: "tally", kind: "compute", text: "Tally the invoice amounts of batch N", token: "TALLY-OK", worker: { small: 0.4, large: 0.4 }, engineer: 0.9 },
  { id: "summarize", kind: "reason", text: "Summarize the release notes of build N", token: "SUMMARY-OK", worker: { small: 0.9, large: 0.95 }, engineer: 0.3 },
  { id: "diagnose", kind: "reason", text: "Diagnose the outage of cluster N", token: "DIAGNOSIS-OK", worker: { small: 0.15, large: 0.9 }, engineer: 0.1 },
  { id: "convert", kind: "reason", text: "Convert the ledger totals of account N to euros", token: "CONVERTED-OK", worker: { small: 0.3, large: 0.3 }, engineer: 0.95 },
];

/** Price per 1000 tokens of the two simulated models. */
export const ROUTING_MODEL_COSTS = { "sim-small": 0.2, "sim-large": 1 };

/** The simulator bank of the scenario. */
export function routingBank(): BankInput {
  const families: NonNullable<BankInput["families"]> = [];
  for (const f of ROUTING_FAMILIES) {
    const regex = `(${f.text.replace("N", "\\d+")})`;
    families.push({ id: `${f.id}-plan`, match: { system: "You plan work", regex }, answer: { subTasks: [{ id: "1", description: "$1", wave: 1, kind: f.kind }], rationale: "One step." }, baseAccuracy: 1 });
    for (const model of ["small", "large"] as const) {
      families.push({
        id: `${f.id}-worker-${model}`,
        match: { system: WORKER, regex, model: `sim-${model}` },
        answer: { answer: `${f.token} for $1`, confidence: 0.8 },
        wrongAnswer: { answer: "unknown", confidence: 0.8 },
        baseAccuracy: f.worker[model],
      });
      // A wrong program does not parse: it fails in the sandbox, as a broken program does.
      families.push({ id: `${f.id}-engineer-${model}`, match: { system: ENGINEER, regex, model: `sim-${model}` }, answer: { language: "javascript", code: `console.log("${f.token}")` }, wrongAnswer: { language: "javascript", code: "this is not a program(" }, baseAccuracy: f.engineer });
    }
  }
  families.push({ id: "merge", match: { system: "Combine the sub-task results", anyKeywords: ROUTING_FAMILIES.map((f) => f.text.split(" ")[0]!.toLowerCase()) }, answer: { finalAnswer: "Done.", caveats: "" }, baseAccuracy: 1 });
  return { families };
}

export interface RoutedOutcome {
  family: string;
  arm: string;
  rule: string;
  success: boolean;
  tokens: number;
  reward: number;
}

export interface RoutingScenario {
  fx: OrchestratorFixture;
  tasks: TaskRunner;
  routing: RoutingDeps;
  lambda: number;
  /** Runs one task of `family` numbered `n` (with `runner`, default `tasks`), judges the routed call and reports its outcome. */
  runOne(family: FamilySpec, n: number, runner?: TaskRunner): Promise<RoutedOutcome>;
  /** A task runner on the same orchestrator with another router (the baselines). */
  runnerWith(router: Router): TaskRunner;
  close(): Promise<void>;
}

/**
 * The fixture with the engineer served, routing among both models, and a task runner whose router
 * samples from a seeded generator (the scenario is reproducible).
 */
export async function startRoutingScenario(options: { lambda: number; exploration?: number; minTraces?: number; seed?: number; env?: Record<string, string> }): Promise<RoutingScenario> {
  const fx = await startOrchestratorFixture({
    bank: routingBank(),
    versions: [await shippedBaseline("engineer")],
    env: {
      META_AGENT_ROUTING_MODELS: "sim-small,sim-large",
      META_AGENT_ROUTING_MODEL_COSTS: Object.entries(ROUTING_MODEL_COSTS).map(([m, p]) => `${m}=${p}`).join(","),
      META_AGENT_ROUTING_LAMBDA: String(options.lambda),
      META_AGENT_ROUTING_EXPLORATION: String(options.exploration ?? 0.1),
      META_AGENT_ROUTING_MIN_TRACES: String(options.minTraces ?? 20),
      ...options.env,
    },
  });
  const settings = taskRunnerSettingsFrom(fx.tdb.config);
  const embedder = fx.orchestrator.embedder();
  const router: Router = createRouter(settings.routing, { embed: async (t) => (await embedder.embed([t]))[0]!, logger: fx.log.logger, rng: createRng(options.seed ?? 2) });
  const tasks = createTaskRunner(settings, { orchestrator: fx.orchestrator, db: fx.tdb.db, logger: fx.log.logger, router, research: null });
  const registry = await createRegistryDeps(fx.tdb.config, fx.tdb.db, fx.log.logger, { cwd: path.dirname(fx.repo.versionsDir) });
  const routing = await createRoutingDeps(fx.tdb.config, { db: fx.tdb.db, logger: fx.log.logger, registry, embedder, router });
  const pool = fx.tdb.db.forTenant("default").pool;
  return {
    fx,
    tasks,
    routing,
    lambda: options.lambda,
    runnerWith: (other) => createTaskRunner(settings, { orchestrator: fx.orchestrator, db: fx.tdb.db, logger: fx.log.logger, router: other, research: null }),
    async runOne(family, n, runner = tasks) {
      const text = family.text.replace("N", String(n));
      const result = await runner.runTask({ tenant: "default", taskDescription: `Please: ${text}`, totalBudgetTokens: 50_000 });
      const sub = result.subTasks[0]!;
      const routed = result.traceTree!.children!.find((c) => c.subTaskId === sub.id)!;
      const success = sub.answeredBy === routed.role && (sub.answer ?? "").includes(family.token);
      await fx.orchestrator.recorder.flush();
      await setTraceOutcome(pool, "default", routed.traceId!, { success });
      const arm = sub.routing!.arm;
      const model = arm.includes("@") ? arm.slice(arm.indexOf("@") + 1) : null;
      return { family: family.id, arm, rule: sub.routing!.rule, success, tokens: routed.tokens, reward: rewardOf(success, routed.tokens, model, { lambda: options.lambda, modelCosts: ROUTING_MODEL_COSTS }) };
    },
    close: () => fx.close(),
  };
}

/** Uniform random routing among the available routes: the baseline a learned policy must beat. */
export function uniformRouter(base: Router, seed: number): Router {
  const rng = createRng(seed);
  return {
    settings: base.settings,
    arms: base.arms,
    servedPolicy: async () => undefined,
    async choose(_tenant, _context, options = {}) {
      const usable = base.arms.filter((a) => options.available?.(a) ?? true);
      const arm = usable[Math.floor(rng() * usable.length)]!;
      return { arm, probability: 1 / usable.length, policyVersion: null, rule: "learned", reason: "uniform random baseline" };
    },
  };
}

/** The fixed rule, whatever policy is served (routing_enabled false). */
export function fixedRouter(base: Router, embed: (text: string) => Promise<number[]>, logger: import("../../src/log/logger.js").Logger): Router {
  return createRouter({ ...base.settings, enabled: false }, { embed, logger });
}

export interface ExperimentOptions {
  lambda: number;
  epochs: number;
  tasksPerEpoch: number;
  evalTasks: number;
  seed?: number;
}

export interface PolicyEvaluation {
  meanReward: number;
  successRate: number;
  meanTokens: number;
  /** Share of tasks per route. */
  utilization: Record<string, number>;
}

export interface ExperimentResult {
  rewardByEpoch: number[];
  utilizationByEpoch: Record<string, number>[];
  policyVersions: number[];
  learned: PolicyEvaluation;
  fixed: PolicyEvaluation;
  random: PolicyEvaluation;
  /** Paired difference learned − fixed and learned − random per task, with 95% intervals. */
  vsFixed: { mean: number; low: number; high: number };
  vsRandom: { mean: number; low: number; high: number };
}

const share = (arms: string[]) => {
  const out: Record<string, number> = {};
  for (const a of arms) out[a] = (out[a] ?? 0) + 1 / arms.length;
  return out;
};

function evaluation(outcomes: RoutedOutcome[]): PolicyEvaluation {
  const mean = (f: (o: RoutedOutcome) => number) => outcomes.reduce((s, o) => s + f(o), 0) / outcomes.length;
  return { meanReward: mean((o) => o.reward), successRate: mean((o) => (o.success ? 1 : 0)), meanTokens: mean((o) => o.tokens), utilization: share(outcomes.map((o) => o.arm)) };
}

function pairedDifference(a: RoutedOutcome[], b: RoutedOutcome[]) {
  const d = a.map((o, i) => o.reward - b[i]!.reward);
  const mean = d.reduce((s, v) => s + v, 0) / d.length;
  const sd = Math.sqrt(d.reduce((s, v) => s + (v - mean) ** 2, 0) / (d.length - 1));
  const half = (1.96 * sd) / Math.sqrt(d.length);
  return { mean, low: mean - half, high: mean + half };
}

/**
 * Seed 002's loop: each epoch routes `tasksPerEpoch` tasks with the served policy (the fixed rule
 * on the cold start), then trains and commits the next policy from every trace so far. Then the
 * learned policy, the fixed rule and uniform random each route the same fresh tasks.
 */
export async function runRoutingExperiment(scenario: RoutingScenario, options: ExperimentOptions): Promise<ExperimentResult> {
  const rng = createRng(options.seed ?? 7);
  const pick = () => ROUTING_FAMILIES[Math.floor(rng() * ROUTING_FAMILIES.length)]!;
  let n = 0;
  const rewardByEpoch: number[] = [];
  const utilizationByEpoch: Record<string, number>[] = [];
  const policyVersions: number[] = [];
  for (let e = 0; e < options.epochs; e++) {
    const outcomes: RoutedOutcome[] = [];
    for (let i = 0; i < options.tasksPerEpoch; i++) outcomes.push(await scenario.runOne(pick(), ++n));
    rewardByEpoch.push(evaluation(outcomes).meanReward);
    utilizationByEpoch.push(evaluation(outcomes).utilization);
    const trained = await trainRoutingPolicyFor(scenario);
    if (trained) policyVersions.push(trained);
  }
  const fresh = Array.from({ length: options.evalTasks }, () => ({ family: pick(), n: ++n }));
  const base = scenario.tasks.router;
  const embedder = scenario.fx.orchestrator.embedder();
  const embed = async (t: string) => (await embedder.embed([t]))[0]!;
  const runAll = async (runner: TaskRunner) => {
    const out: RoutedOutcome[] = [];
    for (const t of fresh) out.push(await scenario.runOne(t.family, t.n, runner));
    return out;
  };
  const learned = await runAll(scenario.tasks);
  const fixed = await runAll(scenario.runnerWith(fixedRouter(base, embed, scenario.fx.log.logger)));
  const random = await runAll(scenario.runnerWith(uniformRouter(base, (options.seed ?? 7) + 1)));
  return {
    rewardByEpoch,
    utilizationByEpoch,
    policyVersions,
    learned: evaluation(learned),
    fixed: evaluation(fixed),
    random: evaluation(random),
    vsFixed: pairedDifference(learned, fixed),
    vsRandom: pairedDifference(learned, random),
  };
}

async function trainRoutingPolicyFor(scenario: RoutingScenario): Promise<number | undefined> {
  const { trainRoutingPolicy } = await import("../../src/learning/train-routing-policy.js");
  const result = await trainRoutingPolicy(scenario.routing.training, scenario.routing, { tenant: "default" });
  return result.ok ? result.policy.version : undefined;
}
