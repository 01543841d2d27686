// Seed 000's experiment, part of `npm run efficacy`: hierarchical (analyst → workers → synthesis,
// the real task runner of src/tasks/) vs flat (one call of the family's signature) on the same
// tasks and the same token budget per task. Reports per arm success with a 95 % Wilson interval,
// tokens per task and quality per 1,000 tokens, and the paired difference (hierarchical − flat).
// On the simulator both arms' accuracies are planted (hierarchyBank), so the numbers demonstrate
// the pipeline, not a real model's effect; on a real endpoint the same code measures one.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { simpleGit } from "simple-git";
import type { Config } from "../../src/config/index.js";
import type { Database } from "../../src/db/database.js";
import { silentLogger } from "../../src/log/logger.js";
import type { ChatModel } from "../../src/llm/chat-model.js";
import { loadSignature } from "../../src/signature/load-signatures.js";
import { baselineVersion } from "../../src/domain/baseline-version.js";
import { serializeCompiledVersion } from "../../src/domain/compiled-version.js";
import { predict, InvalidModelOutputError } from "../../src/signature/predict.js";
import { createOrchestrator } from "../../src/orchestrator/create-orchestrator.js";
import { createTaskRunner, taskRunnerSettingsFrom } from "../../src/tasks/create-task-runner.js";
import { wilsonInterval } from "../../src/analyzer/statistics/wilson-interval.js";
import { pairedBootstrap } from "../../src/compiler/statistics.js";
import { mapWithConcurrency } from "../../src/compiler/evaluate-version.js";
import { arithmetic, generateTasks, type Task } from "./task-families.js";

export interface ArmReport {
  arm: "hierarchical" | "flat";
  tasks: number;
  successes: number;
  success: { rate: number; ci: [number, number] };
  tokensPerTask: number;
  maxTokensPerTask: number;
  /** Successes per 1,000 tokens spent (total successes / total tokens × 1000). */
  qualityPer1kTokens: number;
  /** Tasks whose budget ran out before the end (hierarchical: interruption synthesis; flat: over budget). */
  budgetInterrupted: number;
}

export interface HierarchyReport {
  family: string;
  budgetTokens: number;
  arms: [ArmReport, ArmReport];
  /** Hierarchical − flat success, paired over the same tasks (bootstrap). */
  difference: { meanDiff: number; ci: [number, number] };
}

/** The experiment's tasks: arithmetic word problems keyed `[hier-N]` (distinct from the compile tasks). */
export function hierarchyTasks(seed: number, count: number): Task[] {
  return generateTasks(arithmetic, seed + 1000, 0, count).map((t, i) => {
    const key = `[hier-${i}]`;
    return { ...t, key, input: { problem: String(t.input["problem"]).replace(/^\[arith-\d+\]/, key) } };
  });
}

/**
 * Simulator families for the experiment, scoped by each role's system prompt: the analyst splits
 * a problem into two sub-tasks, workers answer them, the synthesizer is right with probability
 * `hierarchical`; the flat call is right with probability `flat`. Planted, not measured.
 */
export function hierarchyBank(tasks: readonly Task[], accuracy = { flat: 0.35, hierarchical: 0.6 }) {
  return tasks.flatMap((t) => [
    { id: `${t.key}-flat`, match: { system: "Solve the word problem", keywords: [t.key] }, answer: t.expected, wrongAnswer: t.wrong, baseAccuracy: accuracy.flat },
    {
      id: `${t.key}-plan`,
      match: { system: "You plan work", keywords: [t.key] },
      answer: {
        subTasks: [
          { id: "total", description: `${t.key} How many items are bought in total?`, wave: 1, kind: "reason" },
          { id: "left", description: `${t.key} Subtract what is given away from the total.`, wave: 2, kind: "reason", dependsOn: ["total"] },
        ],
        rationale: "The remainder needs the total first.",
      },
      baseAccuracy: 1,
    },
    { id: `${t.key}-work`, match: { system: "Solve only the sub-task", keywords: [t.key] }, answer: { answer: `Worked step for ${t.key}.`, confidence: 0.8 }, baseAccuracy: 1 },
    {
      id: `${t.key}-merge`,
      match: { system: "Combine the sub-task results", keywords: [t.key] },
      answer: { finalAnswer: String(t.expected["answer"]), caveats: "" },
      wrongAnswer: { finalAnswer: String(t.wrong["answer"]), caveats: "" },
      baseAccuracy: accuracy.hierarchical,
    },
  ]);
}

/** The first number in a free-text answer, or null. */
function numberIn(text: string | null): number | null {
  const m = text ? /-?\d+(?:\.\d+)?/.exec(text.replace(/,/g, "")) : null;
  return m ? Number(m[0]) : null;
}

function armReport(arm: ArmReport["arm"], scores: number[], tokens: number[], budgetInterrupted: number): ArmReport {
  const successes = scores.filter((s) => s === 1).length;
  const total = tokens.reduce((a, b) => a + b, 0);
  const { low, high } = wilsonInterval(successes, scores.length);
  return {
    arm,
    tasks: scores.length,
    successes,
    success: { rate: scores.length ? successes / scores.length : 0, ci: [low, high] },
    tokensPerTask: scores.length ? total / scores.length : 0,
    maxTokensPerTask: Math.max(0, ...tokens),
    qualityPer1kTokens: total ? (1000 * successes) / total : 0,
    budgetInterrupted,
  };
}

/** Runs both arms over `tasks` with `budgetTokens` per task. `config` is the efficacy run's (LLM endpoint, data dir). */
export async function runHierarchyExperiment(
  deps: { config: Config; db: Database; model: ChatModel; promptsDir: string; efficacyPromptsDir: string; workDir: string },
  options: { tasks: readonly Task[]; budgetTokens: number; seed: number; concurrency: number },
): Promise<HierarchyReport> {
  // The task runner reads the roles' versions from git, as `serve` does: commit the shipped baselines.
  const root = path.join(deps.workDir, "hierarchy-repo");
  const versionsDir = path.join(root, "versions");
  mkdirSync(versionsDir, { recursive: true });
  const git = simpleGit({ baseDir: root });
  await git.init();
  await git.addConfig("user.name", "efficacy");
  await git.addConfig("user.email", "efficacy@localhost");
  await git.addConfig("commit.gpgsign", "false");
  for (const name of ["analyst", "worker", "synthesizer"]) {
    const v = baselineVersion((await loadSignature(deps.promptsDir, name)).signature, new Date(0));
    writeFileSync(path.join(versionsDir, `${name}.yaml`), serializeCompiledVersion(v));
    await git.add(`versions/${name}.yaml`);
    await git.commit(`${name}@${v.version}`);
    await git.addAnnotatedTag(`${name}@${v.version}`, `${name} ${v.version}`);
  }
  const config: Config = { ...deps.config, versionsDir, cacheEnabled: false };
  const orchestrator = await createOrchestrator(config, deps.db, silentLogger);
  try {
    const runner = createTaskRunner(taskRunnerSettingsFrom(config), { orchestrator, db: deps.db, logger: silentLogger, research: null });
    const flatVersion = baselineVersion((await loadSignature(deps.efficacyPromptsDir, arithmetic.signature)).signature, new Date(0));
    const hier = await mapWithConcurrency(options.tasks, options.concurrency, async (task) => {
      const result = await runner.runTask({ tenant: "default", taskDescription: String(task.input["problem"]), totalBudgetTokens: options.budgetTokens });
      return { score: numberIn(result.answer) === task.expected["answer"] ? 1 : 0, tokens: result.budget.used, interrupted: result.budget.interrupted };
    });
    const flat = await mapWithConcurrency(options.tasks, options.concurrency, async (task) => {
      // One call, no repairs; a call that spent more than the budget counts as a failure.
      try {
        const p = await predict(deps.model, flatVersion, task.input, { seed: options.seed, repairs: 0 });
        const tokens = p.usage.promptTokens + p.usage.completionTokens;
        return { score: tokens <= options.budgetTokens && p.outputs["answer"] === task.expected["answer"] ? 1 : 0, tokens, interrupted: tokens > options.budgetTokens };
      } catch (e) {
        if (!(e instanceof InvalidModelOutputError)) throw e;
        return { score: 0, tokens: 0, interrupted: false };
      }
    });
    const d = pairedBootstrap(hier.map((r) => r.score), flat.map((r) => r.score), { seed: options.seed });
    return {
      family: arithmetic.signature,
      budgetTokens: options.budgetTokens,
      arms: [
        armReport("hierarchical", hier.map((r) => r.score), hier.map((r) => r.tokens), hier.filter((r) => r.interrupted).length),
        armReport("flat", flat.map((r) => r.score), flat.map((r) => r.tokens), flat.filter((r) => r.interrupted).length),
      ],
      difference: { meanDiff: d.meanDiff, ci: d.ci },
    };
  } finally {
    await orchestrator.close();
  }
}
