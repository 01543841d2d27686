// Calls an agent makes inside a traced run to enrich its trace. Outside a run they do nothing
// (and return false), so library code can call them unconditionally.
import type { Outcome, ProblemContext } from "../../domain/trace.js";
import { currentRun } from "./context.js";
import type { LlmCallInput, ThinkingInput } from "./run-recorder.js";
import { defaultSink } from "./tracing-config.js";
import type { TraceSink } from "./sink.js";

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

/**
 * Sets an outcome (success, score 0..1, feedback, and `expected`: a correction, the output the run
 * should have produced — e.g. `setOutcome(traceId, { success: false, expected: { category: "billing" } })`
 * once a person has fixed the agent's answer; the compiler then evaluates on it).
 * - `setOutcome(outcome)`, inside a traced run: the run's outcome; it wins over the default on return.
 * - `setOutcome(traceId, outcome)`, any time later: sends it for that trace (after the trace itself
 *   has been written). Resolves false when the sink cannot report outcomes or the service refused it.
 */
export function setOutcome(outcome: Outcome): boolean;
export function setOutcome(traceId: string, outcome: Outcome, options?: { sink?: TraceSink }): Promise<boolean>;
export function setOutcome(a: Outcome | string, b?: Outcome, options: { sink?: TraceSink } = {}): boolean | Promise<boolean> {
  if (typeof a === "string") return sendOutcome(options.sink, a, b!);
  const run = currentRun();
  if (!run) return false;
  run.setOutcome(a);
  return true;
}

/** A run's outcome, to be reported after the run has returned (a ticket closed hours later...). */
export interface DeferredOutcome {
  traceId: string;
  /** Reports the outcome: on the run while it is still going, else to the service. */
  set(outcome: Outcome): Promise<boolean>;
}

/**
 * Inside a traced run: this run's outcome will come later, so no default outcome is recorded on
 * return (per run; `outcomeOnReturn: null` does it for every run of an agent). Outside a run: undefined.
 */
export function deferOutcome(): DeferredOutcome | undefined {
  const run = currentRun();
  if (!run) return undefined;
  run.deferOutcome();
  return {
    traceId: run.id,
    async set(outcome) {
      if (!run.isFinished) {
        run.setOutcome(outcome);
        return true;
      }
      return sendOutcome(run.sink, run.id, outcome);
    },
  };
}

async function sendOutcome(sink: TraceSink | undefined, traceId: string, outcome: Outcome): Promise<boolean> {
  try {
    const target = sink ?? defaultSink();
    return target.sendOutcome ? await target.sendOutcome(traceId, outcome) : false;
  } catch {
    return false;
  }
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
