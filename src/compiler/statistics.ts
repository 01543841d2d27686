// Bootstrap statistics for evaluation: the confidence interval of a mean score, and the paired
// bootstrap of the difference between two programs scored on the same examples.
import { createRng } from "./random.js";

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
  /** Two-sided bootstrap percentile interval at the configured confidence. */
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

/** Mean and bootstrap confidence interval of per-example scores (rounded to 4 decimals). */
export function summarizeScores(scores: readonly number[], options: BootstrapOptions = {}): ScoreSummary {
  if (scores.length === 0) return { mean: 0, ci: [0, 0] };
  const alpha = 1 - (options.confidence ?? 0.95);
  const means = resampleMeans(scores, options);
  return { mean: round(mean(scores)), ci: [round(quantile(means, alpha / 2)), round(quantile(means, 1 - alpha / 2))] };
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
