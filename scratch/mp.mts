import { minePatterns } from "../src/analyzer/mine-patterns.ts";
const trace = (id: string, tools: string[], success: boolean | null) => ({ traceId: id, task: null, stratum: 0, success, tools, toolOk: tools.map(() => true), toolMs: tools.map((_, i) => 100 + i), toolError: tools.map(() => null), thinkingSteps: 0, thinkingChars: 0, justifiedSteps: 0, durationMs: 1000, tokens: 100, costUsd: 0.001 });
const traces = Array.from({ length: 200 }, (_, i) => trace(`t${i}`, i % 3 === 0 ? ["a", "b", "c"] : ["c", "b", "a"], i % 3 === 0 || i % 5 === 0));
const r = minePatterns(traces, { minTraces: 10, confidenceThreshold: 0.7 });
const f = r.patterns.find((p) => p.key === "success_pattern:before:a>b")!;
console.log(f.actionable, f.impliedBy, f.description, JSON.stringify(f.stats.adjusted).slice(0, 400));
console.log(r.patterns.filter(p=>p.actionable).map(p=>p.key));
