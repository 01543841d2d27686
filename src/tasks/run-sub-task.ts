// Routing of one sub-task by the kind the analyst gave it (seed 000's Engineer and Librarian):
// `compute` → the engineer writes a program, the sandbox runs it and what it prints is the answer
// (a failed program, or an engineer that is not served, falls back to the worker with the failure
// noted); `research` → passages from the tenant's library go to the worker as numbered references
// it cites as [n]; anything else → the worker. With a router (orchestrator/routing/), the tenant's
// learned policy picks the route and model instead, and the fixed rule above is its cold start;
// the decision is recorded on the chosen call's trace (`metadata.routing`), which is what the
// policy is trained on. Every call is a child trace of the task and is charged to the task's
// token budget.
import { randomUUID } from "node:crypto";
import type { CompiledVersion } from "../domain/compiled-version.js";
import type { ToolCallStep } from "../domain/trace.js";
import type { LibraryPassage } from "../librarian/search-library.js";
import type { Logger } from "../log/logger.js";
import { citationsOf, citedIn } from "./cite-references.js";
import type { ProgramResult } from "../sandbox/run-program.js";
import type { AfterPredict, RunSignature, RunSignatureOptions } from "../orchestrator/run-signature.js";
import type { SubTask } from "./read-sub-tasks.js";
import { declared, errorOf, failedNodeOf, nodeOf, textOf } from "./task-calls.js";
import type { Citation, SubTaskResult, TraceNode } from "./task-result.js";
import { TaskBudgetExceededError, type TokenBudget } from "./token-budget.js";
import type { ServedVersions } from "../registry/served-versions.js";
import type { RouteDecision, Router } from "../orchestrator/routing/create-router.js";

/** Retrieves library passages for a question (`research()` of src/librarian with the service's embedder). */
export type ResearchFn = (input: { tenant: string; question: string }) => Promise<{ context: string; passages: LibraryPassage[] }>;

export interface SubTaskDeps {
  runSignature: RunSignature;
  registry: ServedVersions;
  logger: Logger;
  /** The engineer's sandbox (src/tasks/run-program.ts). */
  runProgram: (code: string, options: { signal?: AbortSignal }) => Promise<ProgramResult>;
  /** The library. Absent: research sub-tasks are answered by the worker without references. */
  research?: ResearchFn;
  /** Signature names of the roles. */
  names: { worker: string; engineer: string };
  /** Learned routing. Absent: the fixed rule, nothing recorded. */
  router?: Router;
}

export interface SubTaskCall {
  tenant: string;
  taskId: string;
  taskDescription: string;
  task: SubTask;
  /** Answers of the earlier sub-tasks this one may use, by id. */
  prior: Record<string, string>;
  budget: TokenBudget;
  parentTraceId: string;
  /** Most tokens one call of this sub-task may take (its share of the wave). */
  cap: number;
  signal: AbortSignal;
  /** The worker version resolved once per task (undefined when it could not be resolved). */
  workerVersion: CompiledVersion | undefined;
  /** Receives each call's trace-tree node as soon as the call ends, failed ones included. */
  onNode(node: TraceNode): void;
}

/** A sub-task's answer and how it was obtained. */
export type SubTaskAnswer = Required<Pick<SubTaskResult, "answer" | "answeredBy">> & Pick<SubTaskResult, "traceId" | "fallback" | "references" | "citations" | "routing" | "parts">;

/** How the chosen call runs: its model and the decision recorded on its trace. */
interface RouteChoice {
  model?: string;
  decision?: RouteDecision;
}

/** Runs one sub-task along its route; throws the error of the last call when no answer was obtained. */
export async function runSubTask(deps: SubTaskDeps, call: SubTaskCall): Promise<SubTaskAnswer> {
  const decision = await decide(deps, call);
  const choice: RouteChoice = { ...(decision?.arm.model ? { model: decision.arm.model } : {}), ...(decision ? { decision } : {}) };
  const routing = decision ? { routing: summaryOf(decision) } : {};
  const engineer = decision ? decision.arm.route === "engineer" : call.task.kind === "compute";
  if (engineer) {
    const computed = await computeWithEngineer(deps, call, choice);
    if (computed.ok) return { ...computed.value, ...routing };
    deps.logger.warn({ name: "engineer-fallback", taskId: call.taskId, subTaskId: call.task.id, reason: computed.reason }, "engineer gave no answer; the worker takes the sub-task");
    // The fallback is no routing decision: it runs on the same model, with nothing recorded for training.
    return { ...(await runWorker(deps, call, { fallback: { from: "engineer", reason: computed.reason } }, choice.model ? { model: choice.model } : {})), ...routing };
  }
  const references = call.task.kind === "research" ? { references: await gatherReferences(deps, call) } : {};
  return { ...(await runWorker(deps, call, references, choice)), ...routing };
}

/** The router's decision, or undefined without a router (or when it fails: then the fixed rule runs, logged). */
async function decide(deps: SubTaskDeps, call: SubTaskCall): Promise<RouteDecision | undefined> {
  if (!deps.router) return undefined;
  try {
    // A learned policy may only pick the engineer when it is served.
    const engineerServed = await deps.registry.resolve(call.tenant, deps.names.engineer).then(
      () => true,
      () => false,
    );
    const decision = await deps.router.choose(call.tenant, { text: call.task.description, intent: call.task.kind }, { available: (arm) => arm.route !== "engineer" || engineerServed });
    deps.logger.debug({ name: "sub-task-routed", taskId: call.taskId, subTaskId: call.task.id, arm: decision.arm.id, rule: decision.rule, probability: decision.probability, policy: decision.policyVersion }, `routed to ${decision.arm.id}`);
    return decision;
  } catch (e) {
    deps.logger.warn({ name: "routing-failed", taskId: call.taskId, subTaskId: call.task.id, err: errorOf(e) }, "routing failed; the fixed rule routes");
    return undefined;
  }
}

const summaryOf = (d: RouteDecision): NonNullable<SubTaskResult["routing"]> => ({ arm: d.arm.id, rule: d.rule, probability: d.probability, policyVersion: d.policyVersion, ...(d.reason ? { reason: d.reason } : {}) });

/** What a routed call's trace records about its decision (`metadata.routing`), read back by training. */
const routingMetadata = (d: RouteDecision | undefined, intent: string) =>
  d ? { routing: { arm: d.arm.id, route: d.arm.route, model: d.arm.model, probability: d.probability, policy: d.policyVersion, rule: d.rule, intent } } : {};

/** Library passages for a research sub-task; a failing library is logged and the worker runs without them. */
async function gatherReferences(deps: SubTaskDeps, call: SubTaskCall): Promise<{ context: string; citations: Citation[] } | undefined> {
  if (!deps.research) return undefined;
  try {
    const found = await deps.research({ tenant: call.tenant, question: call.task.description });
    return { context: found.context, citations: citationsOf(found.passages) };
  } catch (e) {
    deps.logger.warn({ name: "research-failed", taskId: call.taskId, subTaskId: call.task.id, err: errorOf(e) }, "library search failed; the worker answers without references");
    return undefined;
  }
}

type Computed = { ok: true; value: SubTaskAnswer } | { ok: false; reason: string };

/** Asks the engineer for a program and runs it; `ok: false` says why the worker must take over. */
async function computeWithEngineer(deps: SubTaskDeps, call: SubTaskCall, choice: RouteChoice): Promise<Computed> {
  const name = deps.names.engineer;
  let version: CompiledVersion;
  try {
    version = await deps.registry.resolve(call.tenant, name);
  } catch (e) {
    return { ok: false, reason: `the ${name} signature is not served: ${errorOf(e).message}` };
  }
  const traceId = randomUUID();
  const t0 = performance.now();
  let program: { ok: boolean; durationMs: number; output?: string; error?: string } | undefined;

  // Runs inside the engineer's run so the program and its failure are recorded on the engineer's trace.
  const runGenerated = async (outputs: Record<string, unknown>): Promise<AfterPredict> => {
    const language = String(outputs["language"] ?? "javascript").toLowerCase();
    const code = typeof outputs["code"] === "string" ? outputs["code"] : "";
    if (!["javascript", "js", "node"].includes(language)) {
      program = { ok: false, durationMs: 0, error: `the engineer wrote ${language}; only JavaScript programs run in the sandbox` };
    } else {
      const ran = await deps.runProgram(code, { signal: call.signal });
      program = ran.ok ? { ok: true, durationMs: ran.durationMs, output: ran.output } : { ok: false, durationMs: ran.durationMs, error: ran.error.message };
    }
    const step: ToolCallStep = {
      type: "tool_call",
      name: "run_program",
      arguments: { language },
      success: program.ok,
      durationMs: program.durationMs,
      ...(program.ok ? { response: program.output } : { error: program.error }),
    };
    return { steps: [step], metadata: { program: { ok: program.ok, ...(program.error ? { error: program.error } : {}) } }, ...(program.ok ? {} : { outcome: { success: false, feedback: program.error } }) };
  };

  const dataContext = [`Overall task: ${call.taskDescription}`, ...(Object.keys(call.prior).length > 0 ? [`Results of earlier sub-tasks: ${JSON.stringify(call.prior)}`] : [])].join("\n");
  try {
    const run = await deps.runSignature(name, declared(version, { problemStatement: call.task.description, dataContext }), {
      ...subTaskRunOptions(call, traceId, { role: "engineer", ...routingMetadata(choice.decision, call.task.kind) }),
      ...(choice.model ? { model: choice.model } : {}),
      afterPredict: runGenerated,
    });
    const ran = program ?? { ok: false, durationMs: 0, error: "the program did not run" };
    call.onNode(nodeOf(run, "engineer", { subTaskId: call.task.id, program: { ok: ran.ok, durationMs: Math.round(ran.durationMs), ...(ran.error ? { error: ran.error } : {}) } }));
    if (ran.ok && ran.output !== undefined) return { ok: true, value: { answer: ran.output, answeredBy: "engineer", traceId } };
    return { ok: false, reason: ran.error ?? "the program failed" };
  } catch (e) {
    call.onNode(failedNodeOf(e, { role: "engineer", signature: name, version: version.version, traceId, latencyMs: performance.now() - t0 }, { subTaskId: call.task.id }));
    // The worker would be refused by the same budget, and a timed-out wave call is over.
    if (e instanceof TaskBudgetExceededError || call.signal.aborted) throw e;
    return { ok: false, reason: `the engineer call failed: ${errorOf(e).message}` };
  }
}

/** What every sub-task's run shares: the task's tenant, budget and per-call cap, its place in the trace tree. */
function subTaskRunOptions(call: SubTaskCall, traceId: string, metadata: Record<string, unknown> & { role: "engineer" | "worker" }): RunSignatureOptions {
  return { tenant: call.tenant, budget: call.budget, budgetCap: call.cap, parentTraceId: call.parentTraceId, traceId, signal: call.signal, metadata: { taskId: call.taskId, subTaskId: call.task.id, ...metadata } };
}

/** One worker call, with library references or a note that it stands in for the engineer. */
async function runWorker(
  deps: SubTaskDeps,
  call: SubTaskCall,
  route: { references?: { context: string; citations: Citation[] } | undefined; fallback?: { from: "engineer"; reason: string } },
  choice: RouteChoice = {},
): Promise<SubTaskAnswer> {
  const name = deps.names.worker;
  const refs = route.references && route.references.citations.length > 0 ? route.references : undefined;
  const takesReferences = !call.workerVersion || call.workerVersion.inputs.some((f) => f.name === "references");
  const inputs: Record<string, unknown> = {
    // A compiled worker older than the `references` input still gets the passages, in its task text.
    subTaskDescription: refs && !takesReferences ? `${call.task.description}\n\n${refs.context}` : call.task.description,
    taskDescription: call.taskDescription,
    ...(Object.keys(call.prior).length > 0 ? { priorResults: call.prior } : {}),
    ...(refs && takesReferences ? { references: refs.context } : {}),
  };
  const sources = refs?.citations.map((c) => `[${c.n}] ${c.source}`);
  const extra: Partial<TraceNode> = { subTaskId: call.task.id, ...(sources ? { references: sources } : {}), ...(route.fallback ? { fallbackFrom: { role: "engineer" as const, reason: route.fallback.reason } } : {}) };
  const traceId = randomUUID();
  const t0 = performance.now();
  try {
    // A fallback gets the same per-call cap as the engineer had: the budget's reservations still
    // keep the wave within what is left, and the synthesis reserve stays untouched.
    const run = await deps.runSignature(
      name,
      call.workerVersion ? declared(call.workerVersion, inputs) : inputs,
      {
        ...subTaskRunOptions(call, traceId, {
          role: "worker",
          ...(call.task.kind !== "reason" ? { kind: call.task.kind } : {}),
          ...(sources ? { references: sources } : {}),
          ...(route.fallback ? { fallbackFrom: "engineer", fallbackReason: route.fallback.reason } : {}),
          ...routingMetadata(choice.decision, call.task.kind),
        }),
        ...(choice.model ? { model: choice.model } : {}),
      },
    );
    call.onNode(nodeOf(run, "worker", extra));
    const answer = textOf(run.outputs, "answer", "result");
    return {
      answer,
      answeredBy: "worker",
      traceId,
      ...(route.fallback ? { fallback: route.fallback } : {}),
      ...(route.references ? { references: route.references.citations, citations: citedIn(answer, route.references.citations) } : {}),
    };
  } catch (e) {
    call.onNode(failedNodeOf(e, { role: "worker", signature: name, version: call.workerVersion?.version ?? null, traceId, latencyMs: performance.now() - t0 }, extra));
    throw e;
  }
}
