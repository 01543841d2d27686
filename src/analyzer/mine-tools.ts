// Per-tool candidates: tool_effectiveness (success and error rate, latency p50/p95, share of
// runs) and failure points (runs where the tool errors; runs that end right after it).
import type { TraceFeatures } from "./trace-features.js";
import { ExposureCounter, candidateFrom, testable, type Candidate } from "./candidate.js";
import { fisherExact } from "./statistics/fisher-exact.js";
import { wilsonInterval } from "./statistics/wilson-interval.js";
import { quantileSorted } from "./statistics/quantile.js";

interface ToolTotals {
  calls: number;
  errors: number;
  runs: number;
  latencies: number[];
}

const round = (x: number, digits = 4) => Number(x.toFixed(digits));

/** Mines tool_effectiveness and failure_pattern candidates. */
export function mineTools(traces: readonly TraceFeatures[]): Candidate[] {
  const totals = new Map<string, ToolTotals>();
  const used = new ExposureCounter();
  const errored = new ExposureCounter();
  const lastTool = new ExposureCounter();
  const ids = new Map<string, number>();
  const names: string[] = [];
  const idOf = (n: string) => {
    let id = ids.get(n);
    if (id === undefined) {
      id = names.length;
      ids.set(n, id);
      names.push(n);
      totals.set(n, { calls: 0, errors: 0, runs: 0, latencies: [] });
    }
    return id;
  };
  let labelled = 0;
  let successes = 0;
  traces.forEach((t, index) => {
    const seen = new Set<string>();
    t.tools.forEach((name, i) => {
      const id = idOf(name);
      const tool = totals.get(name)!;
      tool.calls++;
      if (!seen.has(name)) tool.runs++;
      seen.add(name);
      const ms = t.toolMs[i];
      if (ms !== null && ms !== undefined) tool.latencies.push(ms);
      if (!t.toolOk[i]) tool.errors++;
      if (t.success === null) return;
      used.add(id, index, t.success, t.traceId, t.success);
      if (!t.toolOk[i]) errored.add(id, index, t.success, t.traceId, t.success);
    });
    if (t.success === null) return;
    labelled++;
    if (t.success) successes++;
    if (t.tools.length > 0) lastTool.add(idOf(t.tools[t.tools.length - 1]!), index, t.success, t.traceId, t.success);
  });
  const outcomeTotals = { n: labelled, hits: successes };
  const empty = { n: 0, hits: 0, success: [], failure: [] };
  const allCalls = [...totals.values()].reduce((s, x) => s + x.calls, 0);
  const allErrors = [...totals.values()].reduce((s, x) => s + x.errors, 0);
  const out: Candidate[] = [];
  names.forEach((name, id) => {
    const tool = totals.get(name)!;
    tool.latencies.sort((a, b) => a - b);
    const errorRate = tool.calls === 0 ? 0 : tool.errors / tool.calls;
    const errorCi = wilsonInterval(tool.errors, tool.calls);
    const usedSlot = used.slots.get(id) ?? empty;
    const successCi = wilsonInterval(usedSlot.hits, usedSlot.n);
    const toolStats = {
      calls: tool.calls,
      errors: tool.errors,
      errorRate: round(errorRate),
      errorRateCi: [round(errorCi.low), round(errorCi.high)],
      runs: tool.runs,
      shareOfRuns: round(traces.length === 0 ? 0 : tool.runs / traces.length),
      successRate: round(usedSlot.n === 0 ? 0 : usedSlot.hits / usedSlot.n),
      successRateCi: [round(successCi.low), round(successCi.high)],
      latencyP50Ms: tool.latencies.length ? round(quantileSorted(tool.latencies, 0.5), 1) : null,
      latencyP95Ms: tool.latencies.length ? round(quantileSorted(tool.latencies, 0.95), 1) : null,
    };
    // Always reported: a user wants every tool's numbers, significant or not.
    out.push(candidateFrom(usedSlot, outcomeTotals, { type: "tool_effectiveness", kind: "tool", key: `tool:${name}`, tools: [name], outcome: "success", stats: toolStats }));
    const errorSlot = errored.slots.get(id);
    if (errorSlot) {
      // A failure point is both "runs fail when it errors" and "it errors more than other tools";
      // the call-level test is the second p-value of the same finding.
      const otherCalls = allCalls - tool.calls;
      const otherErrors = allErrors - tool.errors;
      const callLevel = otherCalls > 0 && errorRate > otherErrors / otherCalls ? fisherExact(tool.errors, tool.calls - tool.errors, otherErrors, otherCalls - otherErrors) : 1;
      const c = candidateFrom(errorSlot, outcomeTotals, {
        type: "failure_pattern",
        kind: "tool_error",
        key: `tool_error:${name}`,
        tools: [name],
        outcome: "success",
        extraPValues: [callLevel],
        stats: { ...toolStats, otherToolsErrorRate: round(otherCalls === 0 ? 0 : otherErrors / otherCalls) },
      });
      if (testable(c) || callLevel < 1) out.push(c);
    }
    const lastSlot = lastTool.slots.get(id);
    if (lastSlot) {
      const c = candidateFrom(lastSlot, outcomeTotals, { type: "failure_pattern", kind: "last_tool", key: `last_tool:${name}`, tools: [name], outcome: "success", keepIf: "negative" });
      if (testable(c)) out.push(c);
    }
  });
  return out;
}
