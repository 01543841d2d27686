// thinking_pattern candidates: reasoning present or absent, long or short reasoning, and
// justified tool choices, each against run outcome.
import type { TraceFeatures } from "./trace-features.js";
import { ExposureCounter, candidateFrom, emptySlot, testable, totalsOf, type Candidate, type CandidateKind } from "./candidate.js";
import { quantileSorted } from "./statistics/quantile.js";

/** Mines thinking_pattern candidates from traces with a known outcome; `strata` is the number of strata. */
export function mineThinking(traces: readonly TraceFeatures[], strata = 1): Candidate[] {
  const labelled = traces.filter((t) => t.success !== null);
  const withThinking = labelled.filter((t) => t.thinkingSteps > 0);
  const out: Candidate[] = [];
  const add = (kind: CandidateKind, population: readonly TraceFeatures[], exposed: (t: TraceFeatures) => boolean, stats: Record<string, unknown>) => {
    const counter = new ExposureCounter(strata);
    population.forEach((t, i) => {
      if (exposed(t)) counter.add(0, i, t.success === true, t.traceId, t.success, t.stratum);
    });
    const slot = counter.slots.get(0) ?? emptySlot(strata);
    const c = candidateFrom(slot, totalsOf(population, (t) => t.success === true, strata), { type: "thinking_pattern", kind, key: kind, tools: [], outcome: "success", stats, population: labelled.length });
    if (testable(c)) out.push(c);
  };
  add("thinking_present", labelled, (t) => t.thinkingSteps > 0, {});
  if (withThinking.length > 0) {
    // Long means at or above the median reasoning length per step of runs that reason.
    const perStep = withThinking.map((t) => t.thinkingChars / t.thinkingSteps).sort((a, b) => a - b);
    const median = quantileSorted(perStep, 0.5);
    add("thinking_long", withThinking, (t) => t.thinkingChars / t.thinkingSteps >= median && median > 0, { medianCharsPerStep: Math.round(median) });
    add("thinking_justified", withThinking, (t) => t.justifiedSteps * 2 >= t.thinkingSteps, {});
  }
  return out;
}
