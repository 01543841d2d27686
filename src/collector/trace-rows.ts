// Converts between the domain trace and the `traces` / `trace_steps` rows. Only the collector
// reads and writes these tables (by SQL); the column meanings are documented in schema.prisma.
import type { Trace, TraceData, TraceStep } from "../domain/trace.js";

/** Row shape written to `traces` (snake_case, JSON columns as values). */
export interface TraceRowInput {
  tenant_id: string;
  id: string;
  schema_version: number;
  agent: string;
  signature: string | null;
  prompt_version: string | null;
  task: string | null;
  problem_id: string | null;
  problem: unknown;
  input: unknown;
  output: unknown;
  success: boolean | null;
  score: number | null;
  feedback: string | null;
  /** The outcome's correction (`outcome.expected`). */
  expected_output: unknown;
  started_at: string;
  ended_at: string | null;
  duration_ms: number | null;
  prompt_tokens: number;
  completion_tokens: number;
  cost_usd: number | null;
  metadata: unknown;
  parent_trace_id: string | null;
  step_count: number;
  content_hash: string;
}

export type StepRowInput = ReturnType<typeof stepToRow>;

/** `traces` columns written on insert/update, with their SQL types for jsonb_to_recordset. */
export const TRACE_COLUMNS: ReadonlyArray<[keyof TraceRowInput, string]> = [
  ["tenant_id", "text"], ["id", "text"], ["schema_version", "int"], ["agent", "text"], ["signature", "text"],
  ["prompt_version", "text"], ["task", "text"], ["problem_id", "text"], ["problem", "jsonb"], ["input", "jsonb"], ["output", "jsonb"],
  ["success", "boolean"], ["score", "float8"], ["feedback", "text"], ["expected_output", "jsonb"], ["started_at", "timestamptz"], ["ended_at", "timestamptz"],
  ["duration_ms", "float8"], ["prompt_tokens", "int"], ["completion_tokens", "int"], ["cost_usd", "float8"], ["metadata", "jsonb"],
  ["parent_trace_id", "text"], ["step_count", "int"], ["content_hash", "text"],
];

export const STEP_COLUMNS: ReadonlyArray<[keyof StepRowInput, string]> = [
  ["tenant_id", "text"], ["trace_id", "text"], ["idx", "int"], ["type", "text"], ["name", "text"], ["arguments", "jsonb"],
  ["success", "boolean"], ["response", "text"], ["error", "text"], ["duration_ms", "float8"], ["reasoning", "text"],
  ["tool_choice", "text"], ["justification", "text"], ["model", "text"], ["prompt_tokens", "int"], ["completion_tokens", "int"],
  ["cached_tokens", "int"], ["messages", "jsonb"], ["started_at", "timestamptz"],
];

export function traceToRow(tenant: string, t: TraceData, hash: string): TraceRowInput {
  const durationMs = t.endedAt ? Date.parse(t.endedAt) - Date.parse(t.startedAt) : null;
  return {
    tenant_id: tenant,
    id: t.id,
    schema_version: t.schemaVersion,
    agent: t.agent,
    signature: t.signature ?? null,
    prompt_version: t.promptVersion ?? null,
    task: t.task ?? null,
    problem_id: t.problem?.id ?? null,
    problem: t.problem ?? null,
    input: t.input ?? null,
    output: t.output ?? null,
    success: t.outcome?.success ?? null,
    score: t.outcome?.score ?? null,
    feedback: t.outcome?.feedback ?? null,
    expected_output: t.outcome?.expected ?? null,
    started_at: t.startedAt,
    ended_at: t.endedAt ?? null,
    duration_ms: durationMs,
    prompt_tokens: t.tokens.prompt,
    completion_tokens: t.tokens.completion,
    cost_usd: t.costUsd ?? null,
    metadata: t.metadata,
    parent_trace_id: t.parentTraceId ?? null,
    step_count: t.steps.length,
    content_hash: hash,
  };
}

export function stepToRow(tenant: string, traceId: string, idx: number, s: TraceStep) {
  return {
    tenant_id: tenant,
    trace_id: traceId,
    idx,
    type: s.type,
    name: s.type === "tool_call" ? s.name : null,
    arguments: s.type === "tool_call" ? s.arguments : null,
    success: s.type === "tool_call" ? s.success : null,
    response: s.type === "tool_call" ? (s.response ?? null) : null,
    error: s.type === "tool_call" ? (s.error ?? null) : null,
    duration_ms: s.type === "thinking" ? null : (s.durationMs ?? null),
    reasoning: s.type === "thinking" ? s.reasoning : null,
    tool_choice: s.type === "thinking" ? (s.toolChoice ?? null) : null,
    justification: s.type === "thinking" ? (s.justification ?? null) : null,
    model: s.type === "llm_call" ? s.model : null,
    prompt_tokens: s.type === "llm_call" ? s.tokens.prompt : null,
    completion_tokens: s.type === "llm_call" ? s.tokens.completion : null,
    cached_tokens: s.type === "llm_call" ? (s.tokens.cached ?? null) : null,
    messages: s.type === "llm_call" ? (s.messages ?? null) : null,
    started_at: s.startedAt ?? null,
  };
}

/** A `traces` row as read back (pg returns timestamptz as Date, bigint as string). */
export interface TraceRow extends Omit<TraceRowInput, "started_at" | "ended_at"> {
  seq: string;
  started_at: Date;
  ended_at: Date | null;
  created_at: Date;
  updated_at: Date;
}
export interface StepRow extends Omit<StepRowInput, "started_at"> {
  started_at: Date | null;
}

const iso = (d: Date) => d.toISOString();
/** Drops null/undefined so a read trace has the same shape as the one sent. */
function compact<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined)) as T;
}

export function rowToStep(r: StepRow): TraceStep {
  const startedAt = r.started_at ? iso(r.started_at) : undefined;
  switch (r.type) {
    case "tool_call":
      return compact({ type: "tool_call", name: r.name!, arguments: (r.arguments ?? {}) as Record<string, unknown>, success: r.success ?? false, response: r.response, error: r.error, durationMs: r.duration_ms, startedAt }) as TraceStep;
    case "thinking":
      return compact({ type: "thinking", reasoning: r.reasoning ?? "", toolChoice: r.tool_choice, justification: r.justification, startedAt }) as TraceStep;
    default:
      return compact({ type: "llm_call", model: r.model ?? "", tokens: { prompt: r.prompt_tokens ?? 0, completion: r.completion_tokens ?? 0, ...(r.cached_tokens != null ? { cached: r.cached_tokens } : {}) }, durationMs: r.duration_ms, messages: r.messages as unknown[] | null, startedAt }) as TraceStep;
  }
}

export function rowToTrace(r: TraceRow, steps: TraceStep[]): Trace & { seq: string } {
  const outcome = r.success === null ? undefined : compact({ success: r.success, score: r.score, feedback: r.feedback, expected: r.expected_output as Record<string, unknown> | null });
  return compact({
    id: r.id,
    tenant: r.tenant_id,
    seq: String(r.seq),
    schemaVersion: r.schema_version as 1,
    agent: r.agent,
    signature: r.signature,
    promptVersion: r.prompt_version,
    task: r.task,
    problem: r.problem as Trace["problem"] | null,
    input: r.input,
    output: r.output,
    outcome,
    startedAt: iso(r.started_at),
    endedAt: r.ended_at ? iso(r.ended_at) : null,
    durationMs: r.duration_ms,
    tokens: { prompt: r.prompt_tokens, completion: r.completion_tokens },
    costUsd: r.cost_usd,
    metadata: (r.metadata ?? {}) as Record<string, unknown>,
    parentTraceId: r.parent_trace_id,
    steps,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  }) as Trace & { seq: string };
}

/** The domain part of a stored trace (what a client sent), e.g. for export. */
export function traceDataOf(t: Trace): TraceData {
  const { tenant: _t, createdAt: _c, updatedAt: _u, durationMs: _d, ...data } = t as Trace & { seq?: string };
  delete (data as { seq?: string }).seq;
  return data as TraceData;
}
