import { describe, it, expect } from "vitest";
import type { TraceFeatures } from "./trace-features.js";
import { mineSequences } from "./mine-sequences.js";
import { mineTools } from "./mine-tools.js";
import { minePatterns } from "./mine-patterns.js";

const trace = (id: string, tools: string[], success: boolean | null, ok: boolean[] = tools.map(() => true)): TraceFeatures => ({
  traceId: id,
  task: null,
  stratum: 0,
  success,
  tools,
  toolOk: ok,
  toolMs: tools.map((_, i) => 100 + i),
  toolError: ok.map((x) => (x ? null : "boom")),
  thinkingSteps: 0,
  thinkingChars: 0,
  justifiedSteps: 0,
  durationMs: 1000,
  tokens: 100,
  costUsd: 0.001,
});

describe("mineSequences", () => {
  it("counts an ordered pair once per trace and only when the first call precedes the second", () => {
    const traces = [
      ...Array.from({ length: 6 }, (_, i) => trace(`ab${i}`, ["a", "x", "b", "a", "b"], true)),
      ...Array.from({ length: 6 }, (_, i) => trace(`ba${i}`, ["b", "x", "a"], false)),
    ];
    const before = mineSequences(traces).find((c) => c.key === "before:a>b")!;
    expect(before).toMatchObject({ withN: 6, withHits: 6, withoutN: 6, withoutHits: 0, tools: ["a", "b"] });
    expect(before.evidence.success).toEqual(["ab0", "ab1", "ab2", "ab3", "ab4"]);
    const bigram = mineSequences(traces).find((c) => c.key === "ngram:a>b");
    expect(bigram).toMatchObject({ withN: 6, withHits: 6 });
  });
});

describe("mineTools", () => {
  it("reports call error rates and the share of runs per tool, including runs without an outcome", () => {
    const traces = [trace("1", ["a", "a"], true, [false, true]), trace("2", ["a", "b"], null, [true, true]), trace("3", ["b"], false)];
    const a = mineTools(traces).find((c) => c.key === "tool:a")!;
    expect(a.stats).toMatchObject({ calls: 3, errors: 1, errorRate: 0.3333, runs: 2, shareOfRuns: 0.6667, latencyP50Ms: 100 });
  });
});

describe("minePatterns", () => {
  it("is deterministic: the same features give the same patterns", () => {
    const traces = Array.from({ length: 200 }, (_, i) => trace(`t${i}`, i % 3 === 0 ? ["a", "b", "c"] : ["c", "b", "a"], i % 3 === 0 || i % 5 === 0));
    const options = { minTraces: 10, confidenceThreshold: 0.7 };
    expect(minePatterns(traces, options)).toEqual(minePatterns(traces, options));
    const found = minePatterns(traces, options).patterns.find((p) => p.key === "success_pattern:before:a>b")!;
    expect(found.actionable).toBe(true);
    expect(found.recommendations).toEqual(["Call a before b."]);
  });
});
