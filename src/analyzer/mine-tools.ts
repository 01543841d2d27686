// Per-tool candidates: tool_effectiveness (success and error rate, latency p50/p95, share of
// runs, why its calls fail) and failure points: the tool's own call errors (direct evidence,
// with the runs where it fails as supporting association) and runs that end right after it.
import type { TraceFeatures } from "./trace-features.js";
import { ExposureCounter, candidateFrom, emptySlot, testable, totalsOf, type Candidate } from "./candidate.js";
import { clusterFailureReasons, type FailedCall } from "./failure-reasons.js";
import { endsWith, toolFails, usesTool } from "./exposures.js";
import { fisherExact } from "./statistics/fisher-exact.js";
import { wilsonInterval } from "./statistics/wilson-interval.js";
import { quantileSorted } from "./statistics/quantile.js";

interface ToolTotals {
  calls: number;
  errors: number;
  runs: number;
  latencies: number[];
  failed: FailedCall[];
}

const round = (x: number, digits = 4) => Number(x.toFixed(digits));

/** Mines tool_effectiveness and failure_pattern candidates; `strata` is the number of strata. */
export function mineTools(traces: readonly TraceFeatures[], strata = 1): Candidate[] {
  const totals = new Map<string, ToolTotals>();
  const used = new ExposureCounter(strata);
  const errored = new ExposureCounter(strata);
  const lastTool = new ExposureCounter(strata);
  const ids = new Map<string, number>();
  const names: string[] = [];
  const idOf = (n: string) => {
    let id = ids.get(n);
    if (id === undefined) {
      id = names.length;
      ids.set(n, id);
      names.push(n);
      totals.set(n, { calls: 0, errors: 0, runs: 0, latencies: [], failed: [] });
    }
    return id;
  };
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
      if (!t.toolOk[i]) {
        tool.errors++;
        tool.failed.push({ text: t.toolError[i] ?? null, traceId: t.traceId });
      }
      if (t.success === null) return;
      used.add(id, index, t.success, t.traceId, t.success, t.stratum);
      if (!t.toolOk[i]) errored.add(id, index, t.success, t.traceId, t.success, t.stratum);
    });
    if (t.success === null) return;
    if (t.tools.length > 0) lastTool.add(idOf(t.tools[t.tools.length - 1]!), index, t.success, t.traceId, t.success, t.stratum);
  });
  const outcomeTotals = totalsOf(traces.filter((t) => t.success !== null), (t) => t.success === true, strata);
  const empty = emptySlot(strata);
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
      failureReasons: clusterFailureReasons(tool.failed),
    };
    // Always reported: a user wants every tool's numbers, significant or not.
    out.push(candidateFrom(usedSlot, outcomeTotals, { type: "tool_effectiveness", kind: "tool", key: `tool:${name}`, tools: [name], outcome: "success", stats: toolStats, exposure: usesTool(name) }));
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
        directPValue: callLevel,
        exposure: toolFails(name),
        stats: { ...toolStats, otherToolsErrorRate: round(otherCalls === 0 ? 0 : otherErrors / otherCalls) },
      });
      if (testable(c) || callLevel < 1) out.push(c);
    }
    const lastSlot = lastTool.slots.get(id);
    if (lastSlot) {
      const c = candidateFrom(lastSlot, outcomeTotals, { type: "failure_pattern", kind: "last_tool", key: `last_tool:${name}`, tools: [name], outcome: "success", keepIf: "negative", exposure: endsWith(name) });
      if (testable(c)) out.push(c);
    }
  });
  return out;
}
