// The trace model (versioned): what clients send to the collector and what is stored.
// Field names follow seed 003's trace collector (tool calls, thinking steps, problem context).
import { z } from "zod";
import { jsonObject, pgCount, pgTimestamp } from "./input-safety.js";

export const TRACE_SCHEMA_VERSION = 1;

const id = z.string().min(1, "must not be empty").max(200, "at most 200 characters");
const name = z.string().min(1, "must not be empty").max(200, "at most 200 characters");
// Dates and counts are sized to their columns (input-safety.ts); JSON objects keep every key.
const isoDate = pgTimestamp;
const json = z.unknown();

/** Seed 003's ProblemContext: what the agent was asked to solve. */
export const ProblemContextSchema = z.object({
  id: z.string().max(200).optional(),
  appName: z.string().max(200).optional(),
  namespace: z.string().max(200).optional(),
  description: z.string().max(10_000).optional(),
  attributes: jsonObject.default({}),
});
export type ProblemContext = z.infer<typeof ProblemContextSchema>;

export const ToolCallStepSchema = z.object({
  type: z.literal("tool_call"),
  name,
  arguments: jsonObject.default({}),
  success: z.boolean(),
  /** Truncated by the collector to `max_tool_response_chars`. */
  response: z.string().optional(),
  error: z.string().optional(),
  durationMs: z.number().nonnegative().optional(),
  startedAt: isoDate.optional(),
});

export const ThinkingStepSchema = z.object({
  type: z.literal("thinking"),
  reasoning: z.string(),
  toolChoice: z.string().optional(),
  justification: z.string().optional(),
  startedAt: isoDate.optional(),
});

export const TokenUsageSchema = z.object({
  prompt: pgCount.default(0),
  completion: pgCount.default(0),
  /** Of `prompt`, the tokens the provider served from its prompt cache (priced at `cached_input`). */
  cached: pgCount.optional(),
});
export type TokenUsage = z.infer<typeof TokenUsageSchema>;

export const LlmCallStepSchema = z.object({
  type: z.literal("llm_call"),
  model: name,
  tokens: TokenUsageSchema.default({ prompt: 0, completion: 0 }),
  durationMs: z.number().nonnegative().optional(),
  messages: z.array(json).optional(),
  startedAt: isoDate.optional(),
});

export const TraceStepSchema = z.discriminatedUnion("type", [ToolCallStepSchema, ThinkingStepSchema, LlmCallStepSchema]);
export type TraceStep = z.infer<typeof TraceStepSchema>;
export type ToolCallStep = z.infer<typeof ToolCallStepSchema>;
export type ThinkingStep = z.infer<typeof ThinkingStepSchema>;
export type LlmCallStep = z.infer<typeof LlmCallStepSchema>;

/** Largest correction accepted, as JSON text (the same bound as `feedback`). */
export const MAX_EXPECTED_CHARS = 100_000;

export const OutcomeSchema = z.object({
  success: z.boolean(),
  score: z.number().min(0).max(1).optional(),
  feedback: z.string().max(100_000).optional(),
  /**
   * A correction: the output the run should have produced, as an object of the signature's output
   * fields (set by whoever knows the right answer, e.g. a support lead). The compiler's
   * gold-comparing metrics compare with it, and a failed run that carries it is a gold example.
   */
  expected: jsonObject
    .refine((v) => JSON.stringify(v).length <= MAX_EXPECTED_CHARS, { message: `at most ${MAX_EXPECTED_CHARS} characters as JSON` })
    .describe("A correction: an object of the signature's output fields the run should have produced (all, or only those it got wrong); at most 100000 characters as JSON.")
    .optional(),
});
export type Outcome = z.infer<typeof OutcomeSchema>;

/** A trace as a client sends it. `id` is client-generated and is the idempotency key. */
export const TraceInputSchema = z.object({
  id,
  schemaVersion: z.literal(TRACE_SCHEMA_VERSION).default(TRACE_SCHEMA_VERSION),
  agent: name,
  signature: name.optional(),
  promptVersion: z.string().max(100).optional(),
  /**
   * The task the run is for (e.g. a benchmark task id or a request type). The analyzer compares
   * runs of the same task with each other; without it, runs are grouped by the intent of their input.
   */
  task: name.optional(),
  problem: ProblemContextSchema.optional(),
  input: json.optional(),
  output: json.optional(),
  outcome: OutcomeSchema.optional(),
  startedAt: isoDate,
  endedAt: isoDate.optional(),
  tokens: TokenUsageSchema.default({ prompt: 0, completion: 0 }),
  costUsd: z.number().nonnegative().optional(),
  metadata: jsonObject.default({}),
  parentTraceId: id.optional(),
  steps: z.array(TraceStepSchema).max(10_000, "at most 10000 steps per trace").default([]),
}).refine((t) => t.endedAt === undefined || Date.parse(t.endedAt) >= Date.parse(t.startedAt), { path: ["endedAt"], message: "must not be before startedAt (the duration would be negative)" });
export type TraceInput = z.input<typeof TraceInputSchema>;
export type TraceData = z.output<typeof TraceInputSchema>;

/** A stored trace: the validated input plus what the server adds. */
export type Trace = TraceData & {
  tenant: string;
  durationMs?: number;
  createdAt: string;
  updatedAt: string;
};
