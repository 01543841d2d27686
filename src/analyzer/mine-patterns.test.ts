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

describe("a tool's own errors when it is the only tool", () => {
  const alone = (id: string, task: string | null, ok: boolean) => ({ ...trace(id, ["run_program"], ok, [ok]), task, toolError: [ok ? null : "ReferenceError: percentOf is not defined"] });
  const options = { minTraces: 10, confidenceThreshold: 0.7 };
  const toolError = (traces: TraceFeatures[]) => minePatterns(traces, options).patterns.find((p) => p.key === "failure_pattern:tool_error:run_program");

  it("is direct evidence when its calls for one kind of input fail more than for the others, Bonferroni-corrected for picking that kind", () => {
    const traces = [...Array.from({ length: 12 }, (_, i) => alone(`p${i}`, "percent", false)), ...Array.from({ length: 8 }, (_, i) => alone(`s${i}`, "sum", true))];
    const found = toolError(traces)!;
    // 12/12 vs 0/8: Fisher p = 1/C(20,8); two groups to pick from.
    const p = 2 / 125_970;
    expect(found.pValue).toBeCloseTo(p, 12);
    expect(found).toMatchObject({ evidenceKind: "direct", actionable: true });
    expect(found.stats).toMatchObject({ otherToolsErrorRate: null, comparison: { against: "other_groups", group: { kind: "task", label: "percent", calls: 12, errors: 12 }, calls: 8, errors: 0, groups: 2 } });
    expect(found.stats["direct"]).toMatchObject({ test: expect.stringContaining("Bonferroni over 2 groups") });
    expect(found.description).toContain('(12/20, 95% CI 39%–78%; for task "percent" 12/12 vs 0/8 for its other task)');
    expect(found.stats["evidenceSummary"]).toBe(`direct: run_program fails in 60% of its calls (12/20, 95% CI 39%–78%, for task "percent" 12/12 vs 0/8 for its other task, p 2e-5 Bonferroni over 2 tasks); 'referenceerror: percentof is not defined' 12/12`);
    expect(found.recommendations[0]).toBe('Before calling run_program, rule out its most common failure, "referenceerror: percentof is not defined" (12 of its 12 failed calls).');
  });

  it("is no finding when it fails as often for every kind of input, or when there is only one kind to compare", () => {
    const uniform = [0, 1, 2, 3].flatMap((k) => Array.from({ length: 6 }, (_, i) => alone(`${k}-${i}`, `task${k}`, i % 2 === 0)));
    expect(toolError(uniform)?.actionable ?? false).toBe(false);
    const oneKind = [...Array.from({ length: 12 }, (_, i) => alone(`p${i}`, null, false)), ...Array.from({ length: 8 }, (_, i) => alone(`s${i}`, null, true))];
    const found = toolError(oneKind)!;
    expect(found).toMatchObject({ pValue: 1, actionable: false });
    expect(found.description).toContain("no other tool called to compare with");
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
