// Seed 003's manual API for code that cannot use decorators: start a trace by id, add tool
// calls and thinking steps to it from anywhere, end it with the outcome.
import type { ProblemContext } from "../../domain/trace.js";
import { RunRecorder, type ThinkingInput, type ToolCallInput, type LlmCallInput } from "./run-recorder.js";
import { deliver, maxToolResponseChars } from "./tracing-config.js";
import type { TraceSink } from "./sink.js";

export interface CollectAgentTraceOptions {
  /** Trace id; default a random UUID (returned). */
  traceId?: string;
  agent: string;
  problemContext?: Partial<ProblemContext>;
  input?: unknown;
  signature?: string;
  promptVersion?: string;
  /** The task the run is for: the analyzer compares runs of the same task. */
  task?: string;
  parentTraceId?: string;
  metadata?: Record<string, unknown>;
  /** Default: the sink set by configureTracing. */
  sink?: TraceSink;
}

export interface EndAgentTraceOptions {
  success: boolean;
  /** The final answer (seed 003's final_submission). */
  finalSubmission?: unknown;
  score?: number;
  feedback?: string;
  /** A correction: the output the run should have produced (an object of the signature's output fields). */
  expected?: Record<string, unknown>;
}

const open = new Map<string, { recorder: RunRecorder; sink: TraceSink | undefined }>();

/** Starts a trace; returns its id. */
export function collectAgentTrace(options: CollectAgentTraceOptions): string {
  const recorder = new RunRecorder({
    agent: options.agent,
    ...(options.traceId !== undefined ? { id: options.traceId } : {}),
    ...(options.problemContext ? { problem: options.problemContext } : {}),
    ...(options.input !== undefined ? { input: options.input } : {}),
    ...(options.signature !== undefined ? { signature: options.signature } : {}),
    ...(options.promptVersion !== undefined ? { promptVersion: options.promptVersion } : {}),
    ...(options.task !== undefined ? { task: options.task } : {}),
    ...(options.parentTraceId !== undefined ? { parentTraceId: options.parentTraceId } : {}),
    ...(options.metadata ? { metadata: options.metadata } : {}),
    maxToolResponseChars: maxToolResponseChars(),
  });
  open.set(recorder.id, { recorder, sink: options.sink });
  return recorder.id;
}

/** Adds a tool call to trace `traceId`; false if no such open trace. */
export function addToolCall(traceId: string, call: ToolCallInput): boolean {
  const t = open.get(traceId);
  t?.recorder.addToolCall(call);
  return t !== undefined;
}

/** Adds a thinking step to trace `traceId`; false if no such open trace. */
export function addThinkingStep(traceId: string, step: ThinkingInput): boolean {
  const t = open.get(traceId);
  t?.recorder.addThinking(step);
  return t !== undefined;
}

/** Adds an LLM call to trace `traceId`; false if no such open trace. */
export function addLlmCall(traceId: string, call: LlmCallInput): boolean {
  const t = open.get(traceId);
  t?.recorder.addLlmCall(call);
  return t !== undefined;
}

/**
 * Adds `usd` to the cost of trace `traceId` (for callers who know what a run cost, e.g. a
 * provider's bill); false if no such open trace. A trace with a cost of its own keeps it: the
 * collector's price table (`model_prices`) only fills in traces that have none.
 */
export function addTraceCost(traceId: string, usd: number): boolean {
  const t = open.get(traceId);
  t?.recorder.addCost(usd);
  return t !== undefined;
}

/** Ends trace `traceId` and hands it to its sink; false if no such open trace. */
export function endAgentTrace(traceId: string, end: EndAgentTraceOptions): boolean {
  const t = open.get(traceId);
  if (!t) return false;
  open.delete(traceId);
  const outcome = { success: end.success, ...(end.score !== undefined ? { score: end.score } : {}), ...(end.feedback !== undefined ? { feedback: end.feedback } : {}), ...(end.expected !== undefined ? { expected: end.expected } : {}) };
  deliver(t.sink, t.recorder.finish({ output: end.finalSubmission, outcome }));
  return true;
}
