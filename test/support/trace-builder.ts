// Builds realistic trace inputs for tests: a diagnosis run with tool calls and a thinking step.
import { randomUUID } from "node:crypto";
import type { TraceInput } from "../../src/domain/trace.js";

export function makeTrace(overrides: Partial<TraceInput> = {}): TraceInput {
  return {
    id: `t-${randomUUID()}`,
    agent: "diagnosis",
    problem: { id: "problem_123", appName: "hotel-reservation", namespace: "hotel-reservation", attributes: {} },
    input: { question: "Why is checkout slow?" },
    output: "Database connection pool exhausted",
    outcome: { success: true, score: 0.9 },
    startedAt: "2026-01-31T12:00:00.000Z",
    endedAt: "2026-01-31T12:00:05.000Z",
    tokens: { prompt: 120, completion: 40 },
    metadata: { run: 1 },
    steps: [
      { type: "thinking", reasoning: "I need to check pod status first", toolChoice: "get_pods", justification: "visibility" },
      { type: "tool_call", name: "get_pods", arguments: { namespace: "hotel-reservation" }, success: true, response: "Found 5 pods running", durationMs: 1200 },
      { type: "llm_call", model: "qwen", tokens: { prompt: 100, completion: 20 }, durationMs: 300 },
      { type: "tool_call", name: "get_logs", arguments: { pod: "db-0" }, success: false, error: "timeout", durationMs: 5000 },
    ],
    ...overrides,
  };
}
