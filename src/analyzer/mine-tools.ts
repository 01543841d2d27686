// Per-tool candidates: tool_effectiveness (success and error rate, latency p50/p95, share of
// runs, why its calls fail) and failure points: the tool's own call errors (direct evidence,
// with the runs where it fails as supporting association) and runs that end right after it.
//
// The direct test compares the tool's calls with the other tools' calls. A tool that is the only
// one called has nothing to be compared with that way, so its calls are compared across the kinds
// of input it is called for (task or intent groups): the group where they fail most against its
// calls in the other groups, Bonferroni-corrected for picking that group among them. Without a
// second group either, there is no comparison and no direct finding (p 1).
import type { TraceFeatures } from "./trace-features.js";
import type { TraceStrata } from "./strata.js";
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
  /** Calls and errors per task group (traces left out of the strata are not counted). */
  byGroup: Map<number, { calls: number; errors: number }>;
}

/** What a tool's own error rate was compared with: the other tools' calls, or its calls in other groups. */
export type ToolErrorComparison =
  | { against: "other_tools"; calls: number; errors: number }
  | { against: "other_groups"; group: { kind: string; label: string; calls: number; errors: number }; calls: number; errors: number; groups: number };

/** Fisher exact test of one table (a/n vs c/m), where only a higher first rate counts. */
const higherRate = (a: number, n: number, c: number, m: number) => (m > 0 && n > 0 && a / n > c / m ? fisherExact(a, n - a, c, m - c) : 1);

/** The group where `tool`'s calls fail most, against its calls in the other groups; undefined with fewer than two groups. */
function acrossGroups(tool: ToolTotals, layout: Pick<TraceStrata, "groups">): { comparison: ToolErrorComparison; pValue: number } | undefined {
  const groups = [...tool.byGroup].filter(([, g]) => g.calls > 0);
  if (groups.length < 2) return undefined;
  const [index, worst] = groups.sort(([i, x], [j, y]) => y.errors / y.calls - x.errors / x.calls || y.errors - x.errors || i - j)[0]!;
  const calls = groups.reduce((n, [, g]) => n + g.calls, 0) - worst.calls;
  const errors = groups.reduce((n, [, g]) => n + g.errors, 0) - worst.errors;
  const g = layout.groups[index]!;
  return {
    comparison: { against: "other_groups", group: { kind: g.kind, label: g.label, calls: worst.calls, errors: worst.errors }, calls, errors, groups: groups.length },
    pValue: Math.min(1, groups.length * higherRate(worst.errors, worst.calls, errors, calls)),
  };
}

const round = (x: number, digits = 4) => Number(x.toFixed(digits));

/**
 * Mines tool_effectiveness and failure_pattern candidates; `strata` is the number of strata,
 * `layout` their task groups (for a tool called alone, see the module header).
 */
export function mineTools(traces: readonly TraceFeatures[], strata = 1, layout?: Pick<TraceStrata, "groupOf" | "groups">): Candidate[] {
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
      totals.set(n, { calls: 0, errors: 0, runs: 0, latencies: [], failed: [], byGroup: new Map() });
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
      if (layout && t.stratum >= 0) {
        const group = layout.groupOf[t.stratum]!;
        const counts = tool.byGroup.get(group) ?? { calls: 0, errors: 0 };
        counts.calls++;
        if (!t.toolOk[i]) counts.errors++;
        tool.byGroup.set(group, counts);
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
      const alone = otherCalls === 0 && layout ? acrossGroups(tool, layout) : undefined;
      const comparison: ToolErrorComparison = alone?.comparison ?? { against: "other_tools", calls: otherCalls, errors: otherErrors };
      const callLevel = alone ? alone.pValue : higherRate(tool.errors, tool.calls, otherErrors, otherCalls);
      const c = candidateFrom(errorSlot, outcomeTotals, {
        type: "failure_pattern",
        kind: "tool_error",
        key: `tool_error:${name}`,
        tools: [name],
        outcome: "success",
        directPValue: callLevel,
        exposure: toolFails(name),
        stats: { ...toolStats, otherToolsErrorRate: otherCalls === 0 ? null : round(otherErrors / otherCalls), comparison },
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
