// Tests every candidate of a run (Fisher exact), corrects across all of them
// (Benjamini–Hochberg), turns the adjusted p-value into a confidence, decides what is
// actionable, and keeps the findings worth storing.
import type { PatternType } from "../domain/pattern.js";
import { testable, type Candidate } from "./candidate.js";
import { describePattern } from "./describe-pattern.js";
import { fisherExact } from "./statistics/fisher-exact.js";
import { benjaminiHochberg } from "./statistics/multiple-testing.js";
import { confidenceFromPValue } from "./statistics/confidence.js";
import { wilsonInterval } from "./statistics/wilson-interval.js";

/** A finding ready to be stored (without run, ids and change status). */
export interface ScoredPattern {
  type: PatternType;
  key: string;
  description: string;
  recommendations: string[];
  support: number;
  frequency: number;
  effect: number;
  baseline: number;
  confidence: number;
  pValue: number;
  actionable: boolean;
  evidence: { success: string[]; failure: string[] };
  stats: Record<string, unknown>;
}

export interface ScoreOptions {
  /** Traces with a known outcome in the window; below `minTraces` nothing is actionable. */
  labelledTraces: number;
  /** `min_traces_for_analysis`. */
  minTraces: number;
  /** `confidence_threshold`. */
  confidenceThreshold: number;
  /** Observed (non-actionable) patterns kept per type, strongest first. Default 100. */
  maxObservedPerType?: number;
  /** Raw p-value below which a non-actionable candidate is still kept as observed. Default 0.05. */
  observedPValue?: number;
}

const round = (x: number, digits = 4) => Number(x.toFixed(digits));

function pValueOf(c: Candidate): number {
  const ps = testable(c) ? [fisherExact(c.withHits, c.withN - c.withHits, c.withoutHits, c.withoutN - c.withoutHits)] : [];
  ps.push(...(c.extraPValues ?? []));
  if (ps.length === 0) return 1;
  // Bonferroni within one finding tested in several ways.
  return Math.min(1, ps.length * Math.min(...ps));
}

/** Scores all candidates together and returns the patterns to store, sorted by type and strength. */
export function scoreCandidates(candidates: readonly Candidate[], options: ScoreOptions): ScoredPattern[] {
  const pValues = candidates.map(pValueOf);
  const qValues = benjaminiHochberg(pValues);
  const kept: (ScoredPattern & { q: number })[] = [];
  candidates.forEach((c, i) => {
    const withRate = c.withN === 0 ? 0 : c.withHits / c.withN;
    const baseline = c.withoutN === 0 ? 0 : c.withoutHits / c.withoutN;
    const effect = withRate - baseline;
    if (c.keepIf === "positive" && !(effect > 0)) return;
    if (c.keepIf === "negative" && !(effect < 0)) return;
    // Sequences that hurt are failure patterns; the key carries the type, so a flip reads as
    // one pattern vanishing and another appearing.
    const type: PatternType = c.type === "success_pattern" && effect < 0 ? "failure_pattern" : c.type;
    const q = qValues[i]!;
    const confidence = confidenceFromPValue(q);
    const actionable = options.labelledTraces >= options.minTraces && confidence >= options.confidenceThreshold;
    const text = describePattern(c, effect);
    const withCi = wilsonInterval(c.withHits, c.withN);
    const withoutCi = wilsonInterval(c.withoutHits, c.withoutN);
    kept.push({
      type,
      key: `${type}:${c.key}`,
      ...text,
      support: c.withN,
      frequency: round(c.population === 0 ? 0 : c.withN / c.population),
      effect: round(effect),
      baseline: round(baseline),
      confidence: round(confidence, 6),
      pValue: pValues[i]!,
      actionable,
      evidence: c.evidence,
      stats: {
        ...c.stats,
        outcome: c.outcome,
        tools: c.tools,
        with: { n: c.withN, hits: c.withHits, rate: round(withRate), ci95: [round(withCi.low), round(withCi.high)] },
        without: { n: c.withoutN, hits: c.withoutHits, rate: round(baseline), ci95: [round(withoutCi.low), round(withoutCi.high)] },
        lift: baseline === 0 ? null : round(withRate / baseline),
        qValue: q,
        tests: candidates.length,
      },
      q,
    });
  });
  const maxObserved = options.maxObservedPerType ?? 100;
  const observedP = options.observedPValue ?? 0.05;
  const strongest = (x: { q: number; effect: number; key: string }, y: { q: number; effect: number; key: string }) => x.q - y.q || Math.abs(y.effect) - Math.abs(x.effect) || (x.key < y.key ? -1 : 1);
  const out: ScoredPattern[] = [];
  const byType = new Map<PatternType, (ScoredPattern & { q: number })[]>();
  for (const p of kept) byType.set(p.type, [...(byType.get(p.type) ?? []), p]);
  for (const [type, list] of [...byType].sort((x, y) => (x[0] < y[0] ? -1 : 1))) {
    list.sort(strongest);
    let observed = 0;
    for (const { q: _q, ...p } of list) {
      // Every tool's numbers are reported; other observed findings only when nominally significant.
      const keep = type === "tool_effectiveness" || p.actionable || (p.pValue <= observedP && observed++ < maxObserved);
      if (keep) out.push(p);
    }
  }
  return out;
}
