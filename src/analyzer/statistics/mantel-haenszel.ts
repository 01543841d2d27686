// Stratified 2×2 analysis: the Cochran–Mantel–Haenszel test of "no association within strata",
// the Mantel–Haenszel pooled risk difference (Sato's variance) and odds ratio (Robins–Breslow–
// Greenland variance of its log), and the Breslow–Day test of a common odds ratio with Tarone's
// correction. Hand-written because npm has no maintained implementation (jstat, simple-statistics
// and @stdlib lack stratified tables); the tail functions come from @stdlib.
//
// The headline effect is the pooled *risk difference*: it is in points of success rate, the unit
// of the crude effect it is shown beside ("crude −20 pts, within task −2 pts"), and it stays
// defined when a stratum has 0% or 100% success, where odds ratios run off to 0 or ∞. The odds
// ratio is kept because the CMH test and the Breslow–Day check are about it.
import erfc from "@stdlib/math-base-special-erfc";
import gammainc from "@stdlib/math-base-special-gammainc";
import { wilsonInterval } from "./wilson-interval.js";

/** One stratum: `a` hits of `n1` exposed traces, `c` hits of `n0` unexposed traces. */
export interface StratumTable {
  a: number;
  n1: number;
  c: number;
  n0: number;
}

export interface StratifiedResult {
  /** CMH chi-square (1 df, continuity-corrected as R's mantelhaen.test) and its two-sided p-value. */
  chiSquare: number;
  pValue: number;
  /** Mantel–Haenszel risk difference (exposed − unexposed) with its 95% interval (Sato 1989). */
  riskDifference: number | null;
  riskDifferenceCi: [number, number] | null;
  /** Mantel–Haenszel odds ratio with its 95% interval (Robins–Breslow–Greenland); null when 0 or ∞. */
  oddsRatio: number | null;
  oddsRatioCi: [number, number] | null;
  /** Breslow–Day statistic with Tarone's correction and its p-value; null with fewer than 2 informative strata. */
  heterogeneity: { chiSquare: number; df: number; pValue: number } | null;
  /** Strata with both exposed and unexposed traces (the others carry no within-stratum comparison). */
  informativeStrata: number;
}

const Z95 = 1.959963984540054;

/** Two-sided normal tail p-value of a z statistic, accurate far into the tail. */
export function normalTwoSidedP(z: number): number {
  return erfc(Math.abs(z) / Math.SQRT2);
}

/** Upper tail of the chi-square distribution with `df` degrees of freedom. */
export function chiSquareUpperTail(x: number, df: number): number {
  if (!(x > 0)) return 1;
  return gammainc(x / 2, df / 2, true, true);
}

/** Runs the stratified analysis over `tables` (strata without both groups are ignored). */
export function mantelHaenszel(tables: readonly StratumTable[]): StratifiedResult {
  let sumA = 0;
  let sumExpected = 0;
  let sumVariance = 0;
  let r = 0; // Σ a·d / n
  let s = 0; // Σ b·c / n
  let rgbPR = 0;
  let rgbPSQR = 0;
  let rgbQS = 0;
  let weights = 0; // Σ n1·n0 / n
  let rdNumerator = 0;
  let satoP = 0;
  let satoQ = 0;
  const informative: StratumTable[] = [];
  for (const t of tables) {
    const n = t.n1 + t.n0;
    if (t.n1 === 0 || t.n0 === 0) continue;
    informative.push(t);
    const b = t.n1 - t.a;
    const d = t.n0 - t.c;
    const m1 = t.a + t.c;
    const m0 = n - m1;
    sumA += t.a;
    sumExpected += (t.n1 * m1) / n;
    if (n > 1) sumVariance += (t.n1 * t.n0 * m1 * m0) / (n * n * (n - 1));
    const rs = (t.a * d) / n;
    const ss = (b * t.c) / n;
    const p = (t.a + d) / n;
    const q = (b + t.c) / n;
    r += rs;
    s += ss;
    rgbPR += p * rs;
    rgbPSQR += p * ss + q * rs;
    rgbQS += q * ss;
    const w = (t.n1 * t.n0) / n;
    weights += w;
    rdNumerator += (t.a * t.n0 - t.c * t.n1) / n;
    satoP += (t.n1 * t.n1 * t.c - t.n0 * t.n0 * t.a + (t.n1 * t.n0 * (t.n0 - t.n1)) / 2) / (n * n);
    satoQ += (t.a * (t.n0 - t.c) + t.c * (t.n1 - t.a)) / (2 * n);
  }
  const deviation = Math.max(0, Math.abs(sumA - sumExpected) - 0.5);
  const chiSquare = sumVariance > 0 ? (deviation * deviation) / sumVariance : 0;
  const pValue = sumVariance > 0 ? chiSquareUpperTail(chiSquare, 1) : 1;

  let riskDifference: number | null = null;
  let riskDifferenceCi: [number, number] | null = null;
  if (weights > 0) {
    riskDifference = rdNumerator / weights;
    const variance = (riskDifference * satoP + satoQ) / (weights * weights);
    const half = Z95 * Math.sqrt(Math.max(0, variance));
    riskDifferenceCi = [Math.max(-1, riskDifference - half), Math.min(1, riskDifference + half)];
  }
  let oddsRatio: number | null = null;
  let oddsRatioCi: [number, number] | null = null;
  if (r > 0 && s > 0) {
    oddsRatio = r / s;
    const variance = rgbPR / (2 * r * r) + rgbPSQR / (2 * r * s) + rgbQS / (2 * s * s);
    const half = Z95 * Math.sqrt(variance);
    oddsRatioCi = [Math.exp(Math.log(oddsRatio) - half), Math.exp(Math.log(oddsRatio) + half)];
  }
  return { chiSquare, pValue, riskDifference, riskDifferenceCi, oddsRatio, oddsRatioCi, heterogeneity: oddsRatio === null ? null : breslowDay(informative, oddsRatio), informativeStrata: informative.length };
}

/**
 * Breslow–Day test that every stratum shares the odds ratio `or`, with Tarone's correction
 * (needed because `or` is the MH estimate, not the conditional MLE). Strata whose margins leave
 * no room for variation (a column of zeros) carry no information and are skipped.
 */
export function breslowDay(tables: readonly StratumTable[], or: number): { chiSquare: number; df: number; pValue: number } | null {
  let statistic = 0;
  let sumA = 0;
  let sumExpected = 0;
  let sumVariance = 0;
  let strata = 0;
  for (const t of tables) {
    const m1 = t.a + t.c;
    const n = t.n1 + t.n0;
    if (m1 === 0 || m1 === n) continue;
    const expected = expectedUnderOddsRatio(t.n1, t.n0, m1, or);
    const variance = 1 / (1 / expected + 1 / (t.n1 - expected) + 1 / (m1 - expected) + 1 / (t.n0 - m1 + expected));
    if (!(variance > 0) || !Number.isFinite(variance)) continue;
    statistic += ((t.a - expected) * (t.a - expected)) / variance;
    sumA += t.a;
    sumExpected += expected;
    sumVariance += variance;
    strata++;
  }
  if (strata < 2) return null;
  const corrected = Math.max(0, statistic - ((sumA - sumExpected) * (sumA - sumExpected)) / sumVariance);
  return { chiSquare: corrected, df: strata - 1, pValue: chiSquareUpperTail(corrected, strata - 1) };
}

/** Expected exposed hits of a stratum with margins (n1, n0, m1) when its odds ratio is `or`. */
function expectedUnderOddsRatio(n1: number, n0: number, m1: number, or: number): number {
  const lo = Math.max(0, m1 - n0);
  const hi = Math.min(n1, m1);
  if (Math.abs(or - 1) < 1e-12) return (n1 * m1) / (n1 + n0);
  // A·(n0 − m1 + A) = or·(n1 − A)·(m1 − A), a quadratic in A with one root inside [lo, hi].
  const qa = 1 - or;
  const qb = n0 - m1 + or * (n1 + m1);
  const qc = -or * n1 * m1;
  const root = Math.sqrt(Math.max(0, qb * qb - 4 * qa * qc));
  for (const x of [(-qb + root) / (2 * qa), (-qb - root) / (2 * qa)]) if (x >= lo - 1e-9 && x <= hi + 1e-9) return Math.min(hi, Math.max(lo, x));
  return (n1 * m1) / (n1 + n0);
}

/** Risk difference of one stratum with Newcombe's hybrid score interval (from two Wilson intervals). */
export function stratumRiskDifference(t: StratumTable): { effect: number; ci: [number, number] } | null {
  if (t.n1 === 0 || t.n0 === 0) return null;
  const p1 = t.a / t.n1;
  const p0 = t.c / t.n0;
  const w1 = wilsonInterval(t.a, t.n1);
  const w0 = wilsonInterval(t.c, t.n0);
  const d = p1 - p0;
  return { effect: d, ci: [d - Math.sqrt((p1 - w1.low) ** 2 + (w0.high - p0) ** 2), d + Math.sqrt((w1.high - p1) ** 2 + (p0 - w0.low) ** 2)] };
}
