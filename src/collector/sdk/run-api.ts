// Calls an agent makes inside a traced run to enrich its trace. Outside a run they do nothing
// (and return false), so library code can call them unconditionally.
import type { Outcome, ProblemContext } from "../../domain/trace.js";
import { currentRun } from "./context.js";
import type { LlmCallInput, ThinkingInput } from "./run-recorder.js";

/** Records a reasoning step (seed 003's thinking step). */
export function recordThinking(reasoning: string | ThinkingInput, extra: Omit<ThinkingInput, "reasoning"> = {}): boolean {
  const run = currentRun();
  if (!run) return false;
  run.addThinking(typeof reasoning === "string" ? { reasoning, ...extra } : reasoning);
  return true;
}

/** Records an LLM call; its tokens add up into the trace's totals. */
export function recordLlmCall(call: LlmCallInput): boolean {
  const run = currentRun();
  if (!run) return false;
  run.addLlmCall(call);
  return true;
}

/**
 * Adds `usd` to the cost of the current run (for callers who know what a call cost). A trace with
 * a cost of its own keeps it: the collector's `model_prices` only fills in traces that have none.
 */
export function addCost(usd: number): boolean {
  const run = currentRun();
  if (!run) return false;
  run.addCost(usd);
  return true;
}

/** Sets the run's outcome (success, score 0..1, feedback); it wins over the default on return. */
export function setOutcome(outcome: Outcome): boolean {
  const run = currentRun();
  if (!run) return false;
  run.setOutcome(outcome);
  return true;
}

/** Sets (merges) the problem the run is solving: id, appName, namespace, description, attributes. */
export function setProblemContext(problem: Partial<ProblemContext>): boolean {
  const run = currentRun();
  if (!run) return false;
  run.setProblemContext(problem);
  return true;
}

/** Sets the task the run is for (e.g. once the agent has classified the request); the analyzer compares runs of the same task. */
export function setTraceTask(task: string): boolean {
  const run = currentRun();
  if (!run) return false;
  run.setTask(task);
  return true;
}

/** Adds free-form metadata to the run's trace. */
export function setTraceMetadata(values: Record<string, unknown>): boolean {
  const run = currentRun();
  if (!run) return false;
  run.setMetadata(values);
  return true;
}

/** The id of the current run's trace (e.g. to attach production feedback later). */
export function currentTraceId(): string | undefined {
  return currentRun()?.id;
}
