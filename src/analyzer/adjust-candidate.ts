// The within-strata ("adjusted") view of a candidate: its per-stratum 2×2 tables through the
// CMH test and the Mantel–Haenszel pooled risk difference, how many strata support it, whether
// a large stratum says the opposite, and — when the crude effect is significant but the
// adjusted one is not — which stratification explains it away.
import { MIN_GROUP_SIZE, type Candidate } from "./candidate.js";
import { mantelHaenszel, stratumRiskDifference, type StratumTable } from "./statistics/mantel-haenszel.js";
import { stratumLabel, type TraceStrata } from "./strata.js";

/** Both groups of a stratum need this many traces for the stratum to count as support. */
export const MIN_STRATUM_GROUP = MIN_GROUP_SIZE;
/** Both groups of a "large" stratum have at least this many traces; one of them contradicting the pooled sign blocks a finding. */
export const LARGE_STRATUM_GROUP = 20;
/** Nominal level of "significant" in explanations ("explained by task") and stratum contradictions. */
export const NOMINAL_ALPHA = 0.05;
const SHOWN_STRATA = 8;

export interface StratumEffect {
  stratum: string;
  withN: number;
  withRate: number;
  withoutN: number;
  withoutRate: number;
  effect: number;
  ci95: [number, number];
}

export interface AdjustedEffect {
  /** What was held fixed: "task and run length", "intent", "run length", or "" (one stratum: adjusted = crude). */
  adjustedFor: string;
  /** Mantel–Haenszel risk difference (exposed − unexposed) and its 95% interval; null when no stratum compares. */
  effect: number | null;
  ci95: [number, number] | null;
  /** CMH test (continuity-corrected). */
  pValue: number;
  oddsRatio: number | null;
  oddsRatioCi95: [number, number] | null;
  /** Breslow–Day (Tarone) test of one odds ratio across strata. */
  heterogeneity: { chiSquare: number; df: number; pValue: number } | null;
  /** Strata with both groups; with both groups of at least MIN_STRATUM_GROUP; strata the population occupies. */
  informativeStrata: number;
  supportedStrata: number;
  populatedStrata: number;
  /** Large strata whose own interval lies wholly on the other side of zero from the pooled effect. */
  contradictingStrata: string[];
  /** When the crude effect is significant and the adjusted one is not: what explains it. */
  explainedBy?: string;
  /** Share of successful runs, in the strata where the feature occurs, that have it (success outcomes only). */
  shareOfSuccessfulRuns?: number;
  /** The largest strata's own effects. */
  byStratum: StratumEffect[];
}

const round = (x: number, digits = 4) => Number(x.toFixed(digits));

function tablesOf(c: Candidate, count: number): StratumTable[] {
  const s = c.strata;
  return Array.from({ length: count }, (_, i) => ({ a: s.withHits[i]!, n1: s.withN[i]!, c: s.totalHits[i]! - s.withHits[i]!, n0: s.totalN[i]! - s.withN[i]! }));
}

/** Sums tables over strata that share a key (collapsing one stratification). */
function collapse(tables: readonly StratumTable[], keyOf: (s: number) => number): StratumTable[] {
  const out = new Map<number, StratumTable>();
  tables.forEach((t, s) => {
    const k = keyOf(s);
    const acc = out.get(k) ?? { a: 0, n1: 0, c: 0, n0: 0 };
    out.set(k, { a: acc.a + t.a, n1: acc.n1 + t.n1, c: acc.c + t.c, n0: acc.n0 + t.n0 });
  });
  return [...out.values()];
}

/** Adjusted effect of `c` within `strata`; `crudePValue` decides whether an explanation is due. */
export function adjustCandidate(c: Candidate, strata: TraceStrata, crudePValue: number): AdjustedEffect {
  const tables = tablesOf(c, strata.count);
  const pooled = mantelHaenszel(tables);
  const sign = Math.sign(pooled.riskDifference ?? 0);
  let supported = 0;
  let populated = 0;
  const contradicting: string[] = [];
  const effects: (StratumEffect & { weight: number })[] = [];
  let successesWith = 0;
  let successesWhereUsed = 0;
  tables.forEach((t, s) => {
    if (t.n1 + t.n0 >= 2 * MIN_STRATUM_GROUP) populated++;
    if (t.n1 > 0) {
      successesWith += t.a;
      successesWhereUsed += t.a + t.c;
    }
    if (t.n1 >= MIN_STRATUM_GROUP && t.n0 >= MIN_STRATUM_GROUP) supported++;
    const rd = stratumRiskDifference(t);
    if (!rd) return;
    const label = stratumLabel(strata, s);
    if (t.n1 >= LARGE_STRATUM_GROUP && t.n0 >= LARGE_STRATUM_GROUP && sign !== 0 && (sign > 0 ? rd.ci[1] < 0 : rd.ci[0] > 0)) contradicting.push(label);
    effects.push({ stratum: label, withN: t.n1, withRate: round(t.a / t.n1), withoutN: t.n0, withoutRate: round(t.c / t.n0), effect: round(rd.effect), ci95: [round(rd.ci[0]), round(rd.ci[1])], weight: (t.n1 * t.n0) / (t.n1 + t.n0) });
  });
  const adjusted: AdjustedEffect = {
    adjustedFor: strata.adjustedFor,
    effect: pooled.riskDifference === null ? null : round(pooled.riskDifference),
    ci95: pooled.riskDifferenceCi ? [round(pooled.riskDifferenceCi[0]), round(pooled.riskDifferenceCi[1])] : null,
    pValue: pooled.pValue,
    oddsRatio: pooled.oddsRatio === null ? null : round(pooled.oddsRatio),
    oddsRatioCi95: pooled.oddsRatioCi ? [round(pooled.oddsRatioCi[0]), round(pooled.oddsRatioCi[1])] : null,
    heterogeneity: pooled.heterogeneity ? { chiSquare: round(pooled.heterogeneity.chiSquare), df: pooled.heterogeneity.df, pValue: pooled.heterogeneity.pValue } : null,
    informativeStrata: pooled.informativeStrata,
    supportedStrata: supported,
    populatedStrata: populated,
    contradictingStrata: contradicting,
    byStratum: effects
      .sort((x, y) => y.weight - x.weight || (x.stratum < y.stratum ? -1 : 1))
      .slice(0, SHOWN_STRATA)
      .map(({ weight: _w, ...e }) => e),
  };
  if (c.outcome === "success" && successesWhereUsed > 0) adjusted.shareOfSuccessfulRuns = round(successesWith / successesWhereUsed);
  if (crudePValue < NOMINAL_ALPHA && pooled.pValue >= NOMINAL_ALPHA && strata.adjustedFor) adjusted.explainedBy = explanation(tables, strata);
  return adjusted;
}

/** Which stratification alone already removes the association. */
function explanation(tables: readonly StratumTable[], strata: TraceStrata): string {
  const taskWord = strata.adjustedFor.replace(/ and run length$/, "");
  const hasTasks = strata.groups.length > 1;
  const hasBands = strata.bands.length > 1;
  if (!(hasTasks && hasBands)) return strata.adjustedFor;
  const byTask = mantelHaenszel(collapse(tables, (s) => strata.groupOf[s]!));
  if (byTask.pValue >= NOMINAL_ALPHA) return taskWord;
  const byLength = mantelHaenszel(collapse(tables, (s) => strata.bandOf[s]!));
  if (byLength.pValue >= NOMINAL_ALPHA) return "run length";
  return `${taskWord} and run length together`;
}

/** Strata a finding must be supported in: two, or the only one when the window has one. */
export function requiredStrata(adjusted: Pick<AdjustedEffect, "populatedStrata">): number {
  return Math.max(1, Math.min(2, adjusted.populatedStrata));
}
