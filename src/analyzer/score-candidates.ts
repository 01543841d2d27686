// Tests every candidate of a run and decides what is actionable. An association (runs with a
// feature succeed more or less) is judged *within strata* (task × run length): CMH test and
// Mantel–Haenszel risk difference beside the crude Fisher test and difference. Direct evidence
// (a tool's own call errors) is judged on the tool's calls. All tests of a run are corrected
// together (Benjamini–Hochberg); the adjusted p-value becomes a confidence. A finding is
// actionable only with enough traces, enough confidence and — for associations — an adjusted
// effect supported in at least two strata (or the only one) that no large stratum reverses.
// Findings implied by stronger ones are then attached to them (redundancy.ts).
import type { PatternType } from "../domain/pattern.js";
import { testable, type Candidate } from "./candidate.js";
import { describePattern, evidenceSummary } from "./describe-pattern.js";
import { adjustCandidate, requiredStrata, type AdjustedEffect } from "./adjust-candidate.js";
import { fisherExact } from "./statistics/fisher-exact.js";
import { benjaminiHochberg } from "./statistics/multiple-testing.js";
import { confidenceFromPValue } from "./statistics/confidence.js";
import { wilsonInterval } from "./statistics/wilson-interval.js";
import { stratumRiskDifference } from "./statistics/mantel-haenszel.js";
import type { TraceStrata } from "./strata.js";
import type { TraceFeatures } from "./trace-features.js";
import { attachImplied } from "./redundancy.js";

export type EvidenceKind = "direct" | "association";

/** A finding ready to be stored (without run, ids and change status). */
export interface ScoredPattern {
  type: PatternType;
  key: string;
  description: string;
  recommendations: string[];
  support: number;
  frequency: number;
  /** Crude effect: rate with the feature − rate without (all strata pooled naively). */
  effect: number;
  baseline: number;
  confidence: number;
  /** The p-value the finding is judged on: CMH within strata (association) or the call-level test (direct). */
  pValue: number;
  evidenceKind: EvidenceKind;
  /** Mantel–Haenszel risk difference within strata; null when no stratum compares. */
  adjustedEffect: number | null;
  adjustedPValue: number | null;
  /** Key of the stronger finding this one is implied by (then not actionable). */
  impliedBy: string | null;
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
  strata: TraceStrata;
  /** The window's labelled traces with their strata (redundancy checks recount exposures on them). */
  labelled: readonly TraceFeatures[];
  /** Observed (non-actionable) patterns kept per type, strongest first. Default 100. */
  maxObservedPerType?: number;
  /** Raw p-value (crude or adjusted) below which a non-actionable candidate is still kept as observed. Default 0.05. */
  observedPValue?: number;
}

/** A scored pattern with what the redundancy pass and the ordering need. */
export interface Working extends ScoredPattern {
  q: number;
  candidate: Candidate;
  adjusted: AdjustedEffect;
}

const round = (x: number, digits = 4) => Number(x.toFixed(digits));

/** The call-level test a direct finding rests on, in words. */
function directTestOf(c: Candidate): string {
  const comparison = c.stats["comparison"] as { against: string; groups?: number } | undefined;
  return comparison?.against === "other_groups"
    ? `call error rate in the group where it fails most vs its calls in the other groups (Fisher exact, Bonferroni over ${comparison.groups} groups)`
    : "call error rate vs other tools' calls (Fisher exact)";
}

function crudePValueOf(c: Candidate): number {
  return testable(c) ? fisherExact(c.withHits, c.withN - c.withHits, c.withoutHits, c.withoutN - c.withoutHits) : 1;
}

/** Scores all candidates together and returns the patterns to store, sorted by type and strength. */
export function scoreCandidates(candidates: readonly Candidate[], options: ScoreOptions): ScoredPattern[] {
  const crude = candidates.map(crudePValueOf);
  const adjusted = candidates.map((c, i) => adjustCandidate(c, options.strata, crude[i]!));
  const judged = candidates.map((c, i) => c.directPValue ?? (testable(c) ? adjusted[i]!.pValue : 1));
  const qValues = benjaminiHochberg(judged);
  const kept: Working[] = [];
  candidates.forEach((c, i) => {
    const withRate = c.withN === 0 ? 0 : c.withHits / c.withN;
    const baseline = c.withoutN === 0 ? 0 : c.withoutHits / c.withoutN;
    const crudeEffect = withRate - baseline;
    const adj = adjusted[i]!;
    // Simpson's paradox: the within-strata sign is the one reported and used.
    const direction = Math.sign(adj.effect ?? crudeEffect);
    if (c.keepIf === "positive" && !(direction > 0)) return;
    if (c.keepIf === "negative" && !(direction < 0)) return;
    const type: PatternType = c.type === "success_pattern" && direction < 0 ? "failure_pattern" : c.type;
    const direct = c.directPValue !== undefined;
    const q = qValues[i]!;
    const confidence = confidenceFromPValue(q);
    const enough = options.labelledTraces >= options.minTraces && confidence >= options.confidenceThreshold;
    const holdsWithin = adj.effect !== null && adj.supportedStrata >= requiredStrata(adj) && adj.contradictingStrata.length === 0;
    const actionable = enough && (direct || holdsWithin);
    const context = { direction, crudeEffect, crudePValue: crude[i]!, adjusted: adj };
    const text = describePattern(c, context);
    const withCi = wilsonInterval(c.withHits, c.withN);
    const withoutCi = wilsonInterval(c.withoutHits, c.withoutN);
    const crudeCi = stratumRiskDifference({ a: c.withHits, n1: c.withN, c: c.withoutHits, n0: c.withoutN })?.ci;
    kept.push({
      type,
      key: `${type}:${c.key}`,
      ...text,
      support: c.withN,
      frequency: round(c.population === 0 ? 0 : c.withN / c.population),
      effect: round(crudeEffect),
      baseline: round(baseline),
      confidence: round(confidence, 6),
      pValue: judged[i]!,
      evidenceKind: direct ? "direct" : "association",
      adjustedEffect: adj.effect,
      adjustedPValue: adj.effect === null ? null : adj.pValue,
      impliedBy: null,
      actionable,
      evidence: c.evidence,
      stats: {
        ...c.stats,
        outcome: c.outcome,
        tools: c.tools,
        with: { n: c.withN, hits: c.withHits, rate: round(withRate), ci95: [round(withCi.low), round(withCi.high)] },
        without: { n: c.withoutN, hits: c.withoutHits, rate: round(baseline), ci95: [round(withoutCi.low), round(withoutCi.high)] },
        lift: baseline === 0 ? null : round(withRate / baseline),
        crude: { effect: round(crudeEffect), ci95: crudeCi ? [round(crudeCi[0]), round(crudeCi[1])] : null, pValue: crude[i]! },
        adjusted: adj,
        ...(direct ? { direct: { pValue: c.directPValue, test: directTestOf(c) } } : {}),
        qValue: q,
        tests: candidates.length,
        evidenceSummary: evidenceSummary(c, context),
      },
      q,
      candidate: c,
      adjusted: adj,
    });
  });
  attachImplied(kept, options.labelled, options.strata);
  const maxObserved = options.maxObservedPerType ?? 100;
  const observedP = options.observedPValue ?? 0.05;
  const strongest = (x: Working, y: Working) => x.q - y.q || Math.abs(y.effect) - Math.abs(x.effect) || (x.key < y.key ? -1 : 1);
  const out: ScoredPattern[] = [];
  const byType = new Map<PatternType, Working[]>();
  for (const p of kept) byType.set(p.type, [...(byType.get(p.type) ?? []), p]);
  for (const [type, list] of [...byType].sort((x, y) => (x[0] < y[0] ? -1 : 1))) {
    list.sort(strongest);
    let observed = 0;
    for (const { q: _q, candidate: _c, adjusted: _a, ...p } of list) {
      // Every tool's numbers are kept, and implied findings (they are the supporting detail of
      // another); other observed findings when crude or adjusted is nominally significant — a
      // crude effect that vanishes within strata is worth showing as such.
      const nominal = p.pValue <= observedP || ((p.stats["crude"] as { pValue: number }).pValue <= observedP);
      const keep = type === "tool_effectiveness" || p.actionable || p.impliedBy !== null || (nominal && observed++ < maxObserved);
      if (keep) out.push(p);
    }
  }
  return out;
}
