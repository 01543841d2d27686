// What a hierarchical task answers (POST /v1/tasks, GET /v1/tasks/:id): the answer, the trace
// tree, tokens used against the budget and latency.

export type TaskStatus = "running" | "completed" | "budget_interrupted" | "failed";

export interface TraceNode {
  /** Null when the call was refused before it started (budget), so no trace exists. */
  traceId: string | null;
  role: "task" | "analyst" | "worker" | "engineer" | "synthesizer";
  signature: string | null;
  /** The compiled version that ran. */
  version: string | null;
  status: "ok" | "failed" | "refused";
  tokens: number;
  latencyMs: number;
  subTaskId?: string;
  error?: { code: string; message: string };
  /** True on the synthesizer call that turned partial results into the answer after the budget ran out. */
  interruptionSynthesis?: boolean;
  /** Engineer calls: how the generated program ran in the sandbox. */
  program?: { ok: boolean; durationMs: number; error?: string };
  /** Worker calls of research sub-tasks: the sources of the passages given, as [n] lists them. */
  references?: string[];
  /** Worker calls that stand in for a failed engineer: why the engineer's answer was not used. */
  fallbackFrom?: { role: "engineer"; reason: string };
  children?: TraceNode[];
}

/** A library passage given to a research sub-task, numbered as the worker saw it. */
export interface Citation {
  /** The number the worker cites it by: [n]. */
  n: number;
  /** `data/report.pdf, page 2, chunk 5`. */
  source: string;
  path: string;
  page: number | null;
  chunk: number;
}

export interface SubTaskResult {
  id: string;
  description: string;
  wave: number;
  kind: string;
  status: "completed" | "failed" | "skipped_budget" | "not_run";
  answer?: string;
  error?: string;
  /** The trace of the call whose answer was used (or of the last call tried). */
  traceId?: string | null;
  /** Who produced the answer: the engineer's program (compute) or a worker (everything else, and fallbacks). */
  answeredBy?: "worker" | "engineer";
  /** Set when a compute sub-task fell back to the worker: why the engineer's program was not used. */
  fallback?: { from: "engineer"; reason: string };
  /** Research sub-tasks: the passages given to the worker. */
  references?: Citation[];
  /** Research sub-tasks: the passages the answer cites by [n]. */
  citations?: Citation[];
  /** How the route was chosen (with a router): the arm, the rule (learned policy or fixed), its probability. */
  routing?: { arm: string; rule: "learned" | "fixed"; probability: number; policyVersion: number | null; reason?: string };
}

export interface TaskResult {
  id: string;
  status: TaskStatus;
  taskDescription: string;
  answer: string | null;
  caveats?: string;
  budget: { total: number; used: number; remaining: number; interrupted: boolean };
  latencyMs: number | null;
  rootTraceId: string;
  traceTree: TraceNode | null;
  subTasks: SubTaskResult[];
  /** The library passages cited by the sub-task answers (research), in sub-task order. */
  citations?: Array<Citation & { subTaskId: string }>;
  error?: { code: string; message: string };
  createdAt?: string;
}
