// The sub-tasks of one level of a hierarchical task, wave by wave, and — for hierarchies deeper
// than one level (seed 001's `max_depth` / `agents_per_level`) — the recursion: below
// `maxDepth`, a `reason` sub-task is first given to the analyst; when its plan has two or more
// parts, they run as the next level (at most `agentsPerLevel` of them) and the synthesizer merges
// their answers into the sub-task's answer; otherwise the sub-task runs as a leaf
// (run-sub-task.ts). Every call of every level is charged to the task's one token budget: once a
// call is refused, no level starts another sub-task, a split sub-task answers with what its
// finished parts give, and the task's interruption synthesis uses the reserve as before.
import { randomUUID } from "node:crypto";
import type { CompiledVersion } from "../domain/compiled-version.js";
import type { Logger } from "../log/logger.js";
import type { RunSignature } from "../orchestrator/run-signature.js";
import type { TraceRecorder } from "../orchestrator/trace-recorder.js";
import type { ServedVersions } from "../registry/served-versions.js";
import { withSources } from "./cite-references.js";
import { readSubTasks, type SubTask } from "./read-sub-tasks.js";
import { runSubTask, type SubTaskAnswer, type SubTaskDeps } from "./run-sub-task.js";
import { declared, errorOf, failedNodeOf, nodeOf, textOf } from "./task-calls.js";
import type { SubTaskResult, TraceNode } from "./task-result.js";
import { TaskBudgetExceededError, type TokenBudget } from "./token-budget.js";
import type { WaveRunner } from "./wave-runner.js";

export interface LevelContext {
  tenant: string;
  taskId: string;
  /** The task as the user gave it (every level's calls see it). */
  taskDescription: string;
  budget: TokenBudget;
  routing: SubTaskDeps;
  registry: ServedVersions;
  recorder: TraceRecorder;
  logger: Logger;
  names: { analyst: string; worker: string; synthesizer: string };
  /** The wave runner of each level (1 = the task's sub-tasks): a level's calls never wait for slots its parents hold. */
  wavesAt(depth: number): WaveRunner;
  /** Levels of sub-tasks: 1 runs the analyst's plan as leaves. */
  maxDepth: number;
  /** Most sub-tasks of a split below the first level. */
  agentsPerLevel: number;
  /** Timeout of one call (ms); a split sub-task gets more, for the calls of its levels. */
  callTimeoutMs: number;
  workerVersion: CompiledVersion | undefined;
}

export interface LevelResult {
  subTasks: SubTaskResult[];
  nodes: TraceNode[];
}

/** A sub-task's answer as later sub-tasks and the synthesizer read it: with the sources its [n] refer to. */
export const answerForReaders = (s: SubTaskResult) => withSources(s.answer ?? "", s.citations ?? []);

/** Runs the waves of one level (`depth` ≥ 1), under `parentTraceId`. */
export async function runWaves(ctx: LevelContext, waves: SubTask[][], depth: number, parentTraceId: string, idPrefix = ""): Promise<LevelResult> {
  const subTasks: SubTaskResult[] = waves.flat().map((t) => ({ id: `${idPrefix}${t.id}`, description: t.description, wave: t.wave, kind: t.kind, status: "not_run", ...(depth > 1 ? { depth } : {}) }));
  const byId = new Map(subTasks.map((s) => [s.id, s]));
  const children: TraceNode[] = [];
  // A split sub-task makes an analyst call, its parts' calls (themselves perhaps split) and a synthesis.
  const levelsBelow = ctx.maxDepth - depth;
  const timeoutMs = ctx.callTimeoutMs * (levelsBelow > 0 ? 3 ** levelsBelow : 1);
  for (const wave of waves) {
    if (ctx.budget.exhausted) break;
    const cap = ctx.budget.share(wave.length);
    // Nodes arrive as calls end; a call that outlives its wave's timeout reports too late to count.
    const nodes = new Map<string, TraceNode[]>(wave.map((t) => [t.id, []]));
    const settled = new Set<string>();
    const outcomes = await ctx.wavesAt(depth).run(
      wave,
      async (task, signal) => {
        const done = subTasks.filter((s) => s.status === "completed" && s.id.startsWith(idPrefix));
        const wanted = task.dependsOn.map((d) => `${idPrefix}${d}`);
        const prior = Object.fromEntries((wanted.length > 0 ? done.filter((s) => wanted.includes(s.id)) : done).map((s) => [s.id, answerForReaders(s)]));
        const call = {
          tenant: ctx.tenant,
          taskId: ctx.taskId,
          taskDescription: ctx.taskDescription,
          task: { ...task, id: `${idPrefix}${task.id}` },
          prior,
          budget: ctx.budget,
          parentTraceId,
          cap,
          signal,
          workerVersion: ctx.workerVersion,
          onNode: (node: TraceNode) => {
            if (!settled.has(task.id)) nodes.get(task.id)!.push(node);
          },
        };
        if (depth < ctx.maxDepth && task.kind === "reason") {
          const split = await splitSubTask(ctx, call, depth);
          if (split) return split;
        }
        return runSubTask(ctx.routing, call);
      },
      { timeoutMs },
    );
    outcomes.forEach((outcome, i) => {
      const sub = byId.get(`${idPrefix}${wave[i]!.id}`)!;
      settled.add(wave[i]!.id);
      const calls = nodes.get(wave[i]!.id)!;
      if (outcome.ok) {
        Object.assign(sub, { status: "completed", ...outcome.value });
        children.push(...calls);
        return;
      }
      const refused = outcome.error instanceof TaskBudgetExceededError;
      const last = calls.at(-1);
      Object.assign(sub, { status: refused ? "skipped_budget" : "failed", error: outcome.error.message, traceId: refused ? null : (last?.traceId ?? null) });
      children.push(...calls);
      // A call cut off by the wave's timeout has not reported yet: it still belongs in the tree.
      if (!last || last.status === "ok") {
        children.push({ traceId: null, role: "worker", signature: ctx.names.worker, version: ctx.workerVersion?.version ?? null, status: refused ? "refused" : "failed", tokens: 0, latencyMs: outcome.durationMs, subTaskId: sub.id, error: errorOf(outcome.error) });
      }
    });
  }
  return { subTasks, nodes: children };
}

type SplitCall = Parameters<typeof runSubTask>[1];

/**
 * Asks the analyst to split a sub-task; with two or more parts, runs them as the next level and
 * merges their answers. Undefined when the sub-task is a leaf (a plan of fewer than two parts, or
 * no analyst): the caller runs it as usual. The sub-task gets a trace of its own, the parent of
 * its analyst, parts and synthesis.
 */
async function splitSubTask(ctx: LevelContext, call: SplitCall, depth: number): Promise<SubTaskAnswer | undefined> {
  const nodeTraceId = randomUUID();
  const startedAt = new Date();
  const t0 = performance.now();
  const meta = { taskId: ctx.taskId, subTaskId: call.task.id, depth: depth + 1 };
  const runOptions = { tenant: ctx.tenant, budget: ctx.budget, budgetCap: call.cap, parentTraceId: nodeTraceId, signal: call.signal };
  let analystVersion: CompiledVersion;
  try {
    analystVersion = await ctx.registry.resolve(ctx.tenant, ctx.names.analyst);
  } catch {
    return undefined;
  }
  const nodes: TraceNode[] = [];
  let plan: SubTask[][];
  try {
    const run = await ctx.routing.runSignature(
      ctx.names.analyst,
      declared(analystVersion, { taskDescription: `${call.task.description}\n\n(Part of the task: ${ctx.taskDescription})`, totalBudgetTokens: Math.max(1, ctx.budget.remaining) }),
      { ...runOptions, metadata: { ...meta, role: "analyst" } },
    );
    nodes.push(nodeOf(run, "analyst", { subTaskId: call.task.id }));
    plan = readSubTasks(run.outputs, ctx.agentsPerLevel);
  } catch (e) {
    // Refused or failed: the sub-task runs as a leaf (which the budget may refuse in turn).
    if (e instanceof TaskBudgetExceededError) throw e;
    ctx.logger.warn({ name: "subtask-split-failed", taskId: ctx.taskId, subTaskId: call.task.id, err: errorOf(e) }, "the analyst could not split a sub-task; it runs as one");
    return undefined;
  }
  if (plan.flat().length < 2) {
    // A leaf after all: its analyst call stays in the tree (it was spent), under the leaf's parent.
    for (const n of nodes) call.onNode(n);
    return undefined;
  }
  const level = await runWaves(ctx, plan, depth + 1, nodeTraceId, `${call.task.id}.`);
  nodes.push(...level.nodes);
  const done = level.subTasks.filter((s) => s.status === "completed");
  const interrupted = ctx.budget.exhausted || level.subTasks.some((s) => s.status === "skipped_budget");
  let answer: string | undefined;
  let synthesisError: { code: string; message: string } | undefined;
  if (done.length > 0) {
    try {
      const synthVersion = await ctx.registry.resolve(ctx.tenant, ctx.names.synthesizer);
      const run = await ctx.routing.runSignature(
        ctx.names.synthesizer,
        declared(synthVersion, { taskDescription: call.task.description, subTaskResults: done.map((s) => ({ id: s.id, description: s.description, answer: answerForReaders(s) })), interrupted }),
        { ...runOptions, metadata: { ...meta, role: "synthesizer" } },
      );
      nodes.push(nodeOf(run, "synthesizer", { subTaskId: call.task.id }));
      answer = textOf(run.outputs, "finalAnswer", "answer");
    } catch (e) {
      synthesisError = errorOf(e);
      nodes.push(failedNodeOf(e, { role: "synthesizer", signature: ctx.names.synthesizer, version: null, traceId: null, latencyMs: 0 }, { subTaskId: call.task.id }));
      // The parts' answers, as they are: the task's own (interruption) synthesis still reads them.
      answer = done.map((s) => `${s.description}: ${answerForReaders(s)}`).join("\n");
    }
  }
  const latencyMs = performance.now() - t0;
  const tokens = nodes.reduce((n, node) => n + subtreeTokens(node), 0);
  call.onNode({ traceId: nodeTraceId, role: "subtask", signature: null, version: null, status: answer === undefined ? "failed" : "ok", tokens, latencyMs, subTaskId: call.task.id, children: nodes, ...(interrupted ? { interruptionSynthesis: true } : {}) });
  ctx.recorder.record(ctx.tenant, {
    id: nodeTraceId,
    agent: "orchestrator",
    parentTraceId: call.parentTraceId,
    problem: { description: call.task.description.slice(0, 10_000), attributes: {} },
    input: { subTaskDescription: call.task.description },
    output: { answer: answer ?? null },
    startedAt: startedAt.toISOString(),
    endedAt: new Date().toISOString(),
    metadata: { ...meta, role: "subtask", parts: level.subTasks.length, budgetInterrupted: interrupted, ...(synthesisError ? { synthesisError } : {}) },
    ...(answer === undefined ? { outcome: { success: false, feedback: "no part of the sub-task was answered" } } : {}),
  });
  if (answer === undefined) {
    const refused = level.subTasks.find((s) => s.status === "skipped_budget");
    throw refused ? new TaskBudgetExceededError(`Token budget exhausted before any part of sub-task ${call.task.id} was answered`, { needed: 0, available: ctx.budget.remaining, total: ctx.budget.total, used: ctx.budget.used }) : new Error(`no part of sub-task ${call.task.id} was answered`);
  }
  return { answer, answeredBy: "synthesizer", traceId: nodeTraceId, parts: level.subTasks };
}

/** Tokens of a node and everything below it (a split sub-task's node sums its calls). */
function subtreeTokens(node: TraceNode): number {
  return node.role === "subtask" ? node.tokens : node.tokens + (node.children ?? []).reduce((n, c) => n + subtreeTokens(c), 0);
}
