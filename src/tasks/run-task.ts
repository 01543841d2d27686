// Hierarchical tasks (seeds 000 and 001): the analyst decomposes the task, workers run the
// sub-tasks in parallel waves, the synthesizer merges their results. Every call is charged to the
// task's token budget; when the budget runs out the remaining sub-tasks are not started and the
// synthesizer performs interruption synthesis — the best answer the partial results support.
// All calls are child traces of one root trace, so the task is one trace tree.
import { randomUUID } from "node:crypto";
import type { CompiledVersion } from "../domain/compiled-version.js";
import { renderMessages } from "../signature/render.js";
import { countChatTokens } from "../llm/token-count.js";
import type { Logger } from "../log/logger.js";
import { TaskBudgetExceededError, createTokenBudget, type TokenBudget } from "./token-budget.js";
import { readSubTasks, type SubTask } from "./read-sub-tasks.js";
import type { RunSignature } from "../orchestrator/run-signature.js";
import type { Router } from "../orchestrator/routing/create-router.js";
import type { ResearchFn } from "./run-sub-task.js";
import { answerForReaders, runWaves } from "./run-waves.js";
import type { ProgramResult } from "../sandbox/run-program.js";
import { declared, errorOf, nodeOf, textOf } from "./task-calls.js";
import type { ServedVersions } from "../registry/served-versions.js";
import type { TraceRecorder } from "../orchestrator/trace-recorder.js";
import type { TaskStore } from "./task-store.js";
import type { WaveRunner } from "./wave-runner.js";
import type { SubTaskResult, TaskResult, TraceNode } from "./task-result.js";

export interface RunTaskDeps {
  runSignature: RunSignature;
  registry: ServedVersions;
  waves: WaveRunner;
  recorder: TraceRecorder;
  tasks: TaskStore;
  logger: Logger;
  /** Most sub-tasks taken from the analyst's plan (config `orchestrator_max_subtasks`). */
  maxSubTasks: number;
  /** Levels of sub-tasks (config `orchestrator_max_depth`, default 1: the plan's sub-tasks are not split again). */
  maxDepth?: number;
  /** Most parts of a split sub-task below the first level (config `orchestrator_agents_per_level`; default maxSubTasks). */
  agentsPerLevel?: number;
  /** Timeout of one call in ms (a split sub-task gets more, for its levels). Default 60000. */
  callTimeoutMs?: number;
  /** The wave runner of each level below the first; default: `waves` (only safe at max_depth 1: nested calls would wait for slots their parents hold). */
  nestedWaves?: (depth: number) => WaveRunner;
  /** Signature names of the roles. Default analyst, worker, engineer, synthesizer. */
  signatures?: { analyst?: string; worker?: string; engineer?: string; synthesizer?: string };
  /** The engineer's sandbox for `compute` sub-tasks (src/tasks/run-program.ts). */
  runProgram: (code: string, options: { signal?: AbortSignal }) => Promise<ProgramResult>;
  /** Library search for `research` sub-tasks. Absent: they run as plain worker calls. */
  research?: ResearchFn;
  /** Learned routing of sub-tasks. Absent: the fixed rule. */
  router?: Router;
}

export interface RunTaskRequest {
  tenant: string;
  taskDescription: string;
  totalBudgetTokens: number;
  /** Overrides `maxDepth` for this task (POST /v1/tasks `max_depth`). */
  maxDepth?: number;
  /** Overrides `agentsPerLevel` for this task (POST /v1/tasks `agents_per_level`). */
  agentsPerLevel?: number;
}

/** Share of the budget held back for the final synthesis call. */
const SYNTHESIS_SHARE = 0.25;
/** The synthesis call needs room for at least this many completion tokens. */
const MIN_SYNTHESIS_COMPLETION = 64;

/** Runs one hierarchical task to completion and stores it; failures of single calls are part of the result. */
export async function runTask(deps: RunTaskDeps, request: RunTaskRequest): Promise<TaskResult> {
  const names = { analyst: "analyst", worker: "worker", engineer: "engineer", synthesizer: "synthesizer", ...deps.signatures };
  const id = randomUUID();
  const rootTraceId = randomUUID();
  const startedAt = new Date();
  const t0 = performance.now();
  const budget = createTokenBudget(request.totalBudgetTokens, { synthesisReserve: Math.floor(request.totalBudgetTokens * SYNTHESIS_SHARE) });
  const base = { tenant: request.tenant, budget, parentTraceId: rootTraceId };
  const children: TraceNode[] = [];
  deps.logger.info({ name: "task-start", taskId: id, budget: request.totalBudgetTokens }, "task started");
  await deps.tasks.start({ tenant: request.tenant, id, description: request.taskDescription, budgetTokens: request.totalBudgetTokens, rootTraceId });

  // 1. The analyst's plan. Without one, the whole task is one sub-task: a user still gets an answer.
  let waves: SubTask[][] = [];
  try {
    const analystVersion = await deps.registry.resolve(request.tenant, names.analyst);
    const run = await deps.runSignature(names.analyst, declared(analystVersion, { taskDescription: request.taskDescription, totalBudgetTokens: request.totalBudgetTokens }), {
      ...base,
      metadata: { taskId: id, role: "analyst" },
    });
    children.push(nodeOf(run, "analyst"));
    waves = readSubTasks(run.outputs, deps.maxSubTasks);
  } catch (e) {
    children.push({ traceId: null, role: "analyst", signature: names.analyst, version: null, status: e instanceof TaskBudgetExceededError ? "refused" : "failed", tokens: 0, latencyMs: 0, error: errorOf(e) });
    deps.logger.warn({ name: "task-plan-failed", taskId: id, err: errorOf(e) }, "analyst failed; running the task as one sub-task");
  }
  if (waves.length === 0 && !budget.exhausted) waves = [[{ id: "1", description: request.taskDescription, wave: 1, kind: "reason", dependsOn: [] }]];

  // 2. Sub-tasks, wave by wave, each routed by its kind (run-sub-task.ts), split again below max_depth (run-waves.ts).
  const workerVersion = await deps.registry.resolve(request.tenant, names.worker).catch(() => undefined);
  const routing = { runSignature: deps.runSignature, registry: deps.registry, logger: deps.logger, runProgram: deps.runProgram, names, ...(deps.research ? { research: deps.research } : {}), ...(deps.router ? { router: deps.router } : {}) };
  const maxDepth = request.maxDepth ?? deps.maxDepth ?? 1;
  const level = await runWaves(
    {
      tenant: request.tenant,
      taskId: id,
      taskDescription: request.taskDescription,
      budget,
      routing,
      registry: deps.registry,
      recorder: deps.recorder,
      logger: deps.logger,
      names,
      wavesAt: (depth) => (depth <= 1 ? deps.waves : (deps.nestedWaves?.(depth) ?? deps.waves)),
      maxDepth,
      agentsPerLevel: request.agentsPerLevel ?? deps.agentsPerLevel ?? deps.maxSubTasks,
      callTimeoutMs: deps.callTimeoutMs ?? 60_000,
      workerVersion,
    },
    waves,
    1,
    rootTraceId,
  );
  const subTasks = level.subTasks;
  children.push(...level.nodes);
  const interrupted = budget.exhausted || subTasks.some((s) => s.status === "skipped_budget");

  // 3. Synthesis (interruption synthesis when the budget ran out), from the reserve.
  const completed = subTasks.filter((s) => s.status === "completed");
  let answer: string | null = null;
  let caveats: string | undefined;
  let error: TaskResult["error"];
  try {
    const synthVersion = await deps.registry.resolve(request.tenant, names.synthesizer);
    const inputs = fitSynthesisInputs(synthVersion, { taskDescription: request.taskDescription, subTaskResults: completed.map((s) => ({ id: s.id, description: s.description, answer: answerForReaders(s) })), interrupted }, budget);
    const run = await deps.runSignature(names.synthesizer, declared(synthVersion, inputs), {
      ...base,
      useSynthesisReserve: true,
      metadata: { taskId: id, role: "synthesizer", ...(interrupted ? { interruptionSynthesis: true, budgetInterrupted: true } : {}) },
    });
    children.push(nodeOf(run, "synthesizer", interrupted ? { interruptionSynthesis: true } : {}));
    answer = textOf(run.outputs, "finalAnswer", "answer");
    if (typeof run.outputs["caveats"] === "string" && run.outputs["caveats"]) caveats = run.outputs["caveats"];
  } catch (e) {
    error = errorOf(e);
    children.push({ traceId: null, role: "synthesizer", signature: names.synthesizer, version: null, status: e instanceof TaskBudgetExceededError ? "refused" : "failed", tokens: 0, latencyMs: 0, error, ...(interrupted ? { interruptionSynthesis: true } : {}) });
    deps.logger.error({ name: "task-synthesis-failed", taskId: id, err: error }, "synthesis failed");
  }

  const citations = subTasks.flatMap((s) => (s.citations ?? []).map((c) => ({ ...c, subTaskId: s.id })));
  const latencyMs = performance.now() - t0;
  const status: TaskResult["status"] = answer === null ? "failed" : interrupted ? "budget_interrupted" : "completed";
  const traceTree: TraceNode = { traceId: rootTraceId, role: "task", signature: null, version: null, status: answer === null ? "failed" : "ok", tokens: budget.used, latencyMs, children };
  // The root trace carries no tokens of its own (its children do), so per-trace sums stay right.
  deps.recorder.record(request.tenant, {
    id: rootTraceId,
    agent: "orchestrator",
    problem: { description: request.taskDescription.slice(0, 10_000), attributes: {} },
    input: { taskDescription: request.taskDescription, totalBudgetTokens: request.totalBudgetTokens },
    output: { answer, ...(caveats ? { caveats } : {}) },
    startedAt: startedAt.toISOString(),
    endedAt: new Date().toISOString(),
    metadata: { taskId: id, status, budgetInterrupted: interrupted, budget: { total: budget.total, used: budget.used }, subTasks: subTasks.length },
    ...(answer === null ? { outcome: { success: false, feedback: `error: ${error?.message ?? "no answer"}` } } : {}),
  });
  const result: TaskResult = {
    id,
    status,
    taskDescription: request.taskDescription,
    answer,
    ...(caveats ? { caveats } : {}),
    budget: { total: budget.total, used: budget.used, remaining: budget.remaining, interrupted },
    latencyMs,
    rootTraceId,
    traceTree,
    subTasks,
    ...(citations.length > 0 ? { citations } : {}),
    ...(error ? { error } : {}),
  };
  await deps.tasks.finish(request.tenant, result);
  deps.logger.info({ name: "task-finished", taskId: id, status, tokensUsed: budget.used, budget: budget.total, latencyMs: Math.round(latencyMs) }, `task ${status}`);
  return result;
}


/** Shortens the longest sub-task answers until the synthesis prompt fits what is left of the budget. */
function fitSynthesisInputs(
  version: CompiledVersion,
  inputs: { taskDescription: string; subTaskResults: Array<{ id: string; description: string; answer: string }>; interrupted: boolean },
  budget: TokenBudget,
): typeof inputs {
  const results = inputs.subTaskResults.map((r) => ({ ...r }));
  const cost = () => countChatTokens(renderMessages(version, { ...inputs, subTaskResults: results }));
  for (let i = 0; i < 64 && cost() + MIN_SYNTHESIS_COMPLETION > budget.remaining; i++) {
    const longest = results.reduce<(typeof results)[number] | undefined>((a, r) => (!a || r.answer.length > a.answer.length ? r : a), undefined);
    if (!longest || longest.answer.length <= 40) break;
    longest.answer = `${longest.answer.slice(0, Math.floor(longest.answer.length / 2))}…`;
  }
  return { ...inputs, subTaskResults: results };
}
