// What a hierarchical task answers (POST /v1/tasks, GET /v1/tasks/:id): the answer, the trace
// tree, tokens used against the budget and latency.

export type TaskStatus = "running" | "completed" | "budget_interrupted" | "failed";

export interface TraceNode {
  /** Null when the call was refused before it started (budget), so no trace exists. */
  traceId: string | null;
  role: "task" | "analyst" | "worker" | "synthesizer";
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
  children?: TraceNode[];
}

export interface SubTaskResult {
  id: string;
  description: string;
  wave: number;
  kind: string;
  status: "completed" | "failed" | "skipped_budget" | "not_run";
  answer?: string;
  error?: string;
  traceId?: string | null;
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
  error?: { code: string; message: string };
  createdAt?: string;
}
