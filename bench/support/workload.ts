// Deterministic trace batches for the ingest-side benchmarks and the load test.
import type { TraceInput } from "../../src/domain/trace.js";

/** A diagnosis-style trace with `steps` steps (tool calls, thinking, llm calls), id `<prefix>-<n>`. */
export function benchTrace(prefix: string, n: number, steps = 10): TraceInput {
  return {
    id: `${prefix}-${n}`,
    agent: "bench-agent",
    problem: { id: `p${n % 50}`, appName: "shop", namespace: "prod", attributes: { region: "eu" } },
    input: { question: `Why is checkout slow? #${n}` },
    output: "connection pool exhausted",
    outcome: { success: n % 3 !== 0, score: (n % 10) / 10 },
    startedAt: "2026-11-01T10:00:00.000Z",
    endedAt: "2026-11-01T10:00:04.000Z",
    tokens: { prompt: 800, completion: 120 },
    metadata: { bench: true },
    steps: Array.from({ length: steps }, (_, i) =>
      i % 3 === 0
        ? { type: "thinking" as const, reasoning: `step ${i}: check the pods first`, toolChoice: "get_pods", justification: "visibility" }
        : i % 3 === 1
          ? { type: "tool_call" as const, name: i % 2 ? "get_pods" : "get_logs", arguments: { namespace: "prod", i }, success: i % 7 !== 0, response: "pod-a Running\npod-b CrashLoopBackOff", durationMs: 40 + i }
          : { type: "llm_call" as const, model: "qwen", tokens: { prompt: 80, completion: 20 }, durationMs: 300 },
    ),
  };
}

/** `{ traces: [...] }` body of `size` traces numbered from `start`. */
export function benchBatch(prefix: string, start: number, size: number, steps = 10): { traces: TraceInput[] } {
  return { traces: Array.from({ length: size }, (_, i) => benchTrace(prefix, start + i, steps)) };
}
