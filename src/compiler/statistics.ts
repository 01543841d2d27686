// Evaluation statistics: the confidence interval of a mean score, and the paired bootstrap of the
// difference between two programs scored on the same examples. A mean of pass/fail scores gets a
// Wilson interval: a bootstrap of 20 passes out of 20 is the degenerate 1.000–1.000, which claims
// more than 20 examples can show.
import { createRng } from "./random.js";
import { wilsonInterval } from "../analyzer/statistics/wilson-interval.js";

export interface BootstrapOptions {
  /** Confidence level of the interval. Default 0.95. */
  confidence?: number;
  /** Number of resamples. Default 2000. */
  resamples?: number;
  /** Seed of the resampling, for reproducible reports. Default 1. */
  seed?: number;
}

export interface ScoreSummary {
  mean: number;
  /** Two-sided interval at the configured confidence: Wilson for pass/fail scores (or a bootstrap that collapsed to a point), bootstrap percentiles otherwise. */
  ci: [number, number];
}

export interface PairedComparison {
  /** Mean of candidate − parent over the examples. */
  meanDiff: number;
  /** Two-sided percentile interval of the mean difference. */
  ci: [number, number];
  /** One-sided lower bound at the configured confidence: the gain we are that sure of. */
  lowerBound: number;
  /** Share of resamples in which the candidate did strictly better. */
  probabilityBetter: number;
}

const mean = (xs: readonly number[]) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);
const round = (x: number) => Math.round(x * 1e4) / 1e4;

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const pos = Math.min(sorted.length - 1, Math.max(0, q * (sorted.length - 1)));
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

function resampleMeans(values: readonly number[], options: BootstrapOptions): number[] {
  const rng = createRng(options.seed ?? 1);
  const n = values.length;
  const out: number[] = [];
  for (let r = 0; r < (options.resamples ?? 2000); r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[Math.floor(rng() * n)]!;
    out.push(sum / n);
  }
  return out.sort((a, b) => a - b);
}

/** Two-sided standard normal quantile for `confidence` (0.95 → 1.96), by bisection on erf. */
export function normalQuantile(confidence: number): number {
  const target = 1 - (1 - confidence) / 2;
  let lo = 0;
  let hi = 10;
  for (let i = 0; i < 80; i++) {
    const mid = (lo + hi) / 2;
    if (normalCdf(mid) < target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

// Abramowitz–Stegun 7.1.26 erf (error below 1.5e-7): plenty for a quantile shown to 3 decimals.
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** Mean and confidence interval of per-example scores (rounded to 4 decimals); see the module comment. */
export function summarizeScores(scores: readonly number[], options: BootstrapOptions = {}): ScoreSummary {
  if (scores.length === 0) return { mean: 0, ci: [0, 0] };
  const confidence = options.confidence ?? 0.95;
  const alpha = 1 - confidence;
  const m = mean(scores);
  const binary = scores.every((x) => x === 0 || x === 1);
  const inUnit = scores.every((x) => x >= 0 && x <= 1);
  if (binary) return { mean: round(m), ci: wilson(m, scores.length, confidence) };
  const means = resampleMeans(scores, options);
  const ci: [number, number] = [round(quantile(means, alpha / 2)), round(quantile(means, 1 - alpha / 2))];
  // Every example scored the same: the bootstrap has nothing to resample; treat the mean as a rate.
  if (ci[0] === ci[1] && inUnit) return { mean: round(m), ci: wilson(m, scores.length, confidence) };
  return { mean: round(m), ci };
}

function wilson(rate: number, n: number, confidence: number): [number, number] {
  const { low, high } = wilsonInterval(rate * n, n, normalQuantile(confidence));
  return [round(low), round(high)];
}

/** Paired bootstrap over the same examples: resamples example indices, compares the two means. */
export function pairedBootstrap(candidate: readonly number[], parent: readonly number[], options: BootstrapOptions = {}): PairedComparison {
  if (candidate.length !== parent.length) throw new Error("paired bootstrap needs scores of the same examples");
  if (candidate.length === 0) return { meanDiff: 0, ci: [0, 0], lowerBound: 0, probabilityBetter: 0 };
  const diffs = candidate.map((c, i) => c - parent[i]!);
  const alpha = 1 - (options.confidence ?? 0.95);
  const means = resampleMeans(diffs, options);
  return {
    meanDiff: round(mean(diffs)),
    ci: [round(quantile(means, alpha / 2)), round(quantile(means, 1 - alpha / 2))],
    lowerBound: round(quantile(means, alpha)),
    probabilityBetter: round(means.filter((m) => m > 0).length / means.length),
  };
}
