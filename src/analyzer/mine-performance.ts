// performance_pattern candidates: latency, token and cost outliers (above Tukey's upper fence,
// Q3 + 1.5·IQR), whether outliers fail more, and which tools outlier runs have in common.
import type { TraceFeatures } from "./trace-features.js";
import { ExposureCounter, candidateFrom, testable, totalsOf, MIN_GROUP_SIZE, type Candidate } from "./candidate.js";
import { quantileSorted } from "./statistics/quantile.js";

export const PERFORMANCE_METRICS = {
  latency: { unit: "ms", value: (t: TraceFeatures) => t.durationMs },
  tokens: { unit: "tokens", value: (t: TraceFeatures) => t.tokens },
  cost: { unit: "USD", value: (t: TraceFeatures) => t.costUsd },
} as const;
export type PerformanceMetric = keyof typeof PERFORMANCE_METRICS;

/** Mines performance_pattern candidates for every metric with enough outliers; `strata` is the number of strata. */
export function minePerformance(traces: readonly TraceFeatures[], strata = 1): Candidate[] {
  const out: Candidate[] = [];
  for (const [metric, spec] of Object.entries(PERFORMANCE_METRICS) as [PerformanceMetric, (typeof PERFORMANCE_METRICS)[PerformanceMetric]][]) {
    const measured = traces.filter((t) => spec.value(t) !== null);
    if (measured.length === 0) continue;
    const sorted = measured.map((t) => spec.value(t)!).sort((a, b) => a - b);
    const q1 = quantileSorted(sorted, 0.25);
    const q3 = quantileSorted(sorted, 0.75);
    const fence = q3 + 1.5 * (q3 - q1);
    const isOutlier = (t: TraceFeatures) => spec.value(t)! > fence;
    const outliers = measured.filter(isOutlier).length;
    if (outliers < MIN_GROUP_SIZE) continue;
    const stats = { metric, unit: spec.unit, fence: Number(fence.toPrecision(6)), median: Number(quantileSorted(sorted, 0.5).toPrecision(6)), outliers, measured: measured.length };
    // Do outliers fail more (or less) than other runs?
    const byOutcome = new ExposureCounter(strata);
    measured.forEach((t, i) => {
      if (t.success === null) return;
      if (isOutlier(t)) byOutcome.add(0, i, t.success, t.traceId, t.success, t.stratum);
    });
    const slot = byOutcome.slots.get(0);
    if (slot) {
      const c = candidateFrom(slot, totalsOf(measured.filter((t) => t.success !== null), (t) => t.success === true, strata), { type: "performance_pattern", kind: "outliers", key: `${metric}:outliers`, tools: [], outcome: "success", stats });
      if (testable(c)) out.push(c);
    }
    // What outliers have in common: tools whose use makes a run more likely to be an outlier.
    const byTool = new Map<string, ExposureCounter>();
    measured.forEach((t, i) => {
      for (const name of new Set(t.tools)) {
        let counter = byTool.get(name);
        if (!counter) byTool.set(name, (counter = new ExposureCounter(strata)));
        counter.add(0, i, isOutlier(t), t.traceId, t.success, t.stratum);
      }
    });
    const outlierTotals = totalsOf(measured, isOutlier, strata);
    for (const [name, counter] of byTool) {
      const c = candidateFrom(counter.slots.get(0)!, outlierTotals, {
        type: "performance_pattern",
        kind: "outlier_tool",
        key: `${metric}:tool:${name}`,
        tools: [name],
        outcome: "outlier",
        keepIf: "positive",
        stats,
      });
      if (testable(c)) out.push(c);
    }
  }
  return out;
}
