// Difference of a percentile between two latency samples taken side by side, with a bootstrap
// confidence interval. Samples come in groups (the calls of a round, or the rounds of a block,
// run together and share their stalls), so the bootstrap resamples whole groups: resampling
// single calls would treat 32 correlated latencies as 32 independent ones and report an
// interval far too narrow. Below, a "round" is any such group.
// Written here rather than taken from a library: the round-level (cluster) resampling is the
// point, and the whole estimator is a sort and a loop.

/** The p-th percentile (nearest rank) of an ascending-sorted sample. */
export function percentileOfSorted(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) throw new Error("percentile of an empty sample");
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

/** The p-th percentile (nearest rank) of the calls of the given rounds. */
export function pooledPercentile(rounds: readonly number[][], p: number, pick?: ArrayLike<number>): number {
  const indices = pick ?? rounds.map((_, i) => i);
  let n = 0;
  for (let k = 0; k < indices.length; k++) n += rounds[indices[k]!]!.length;
  const all = new Float64Array(n);
  let at = 0;
  for (let k = 0; k < indices.length; k++) for (const x of rounds[indices[k]!]!) all[at++] = x;
  return percentileOfSorted(all.sort(), p);
}

export interface TailDifference {
  /** percentile(b) − percentile(a) over all rounds. */
  estimate: number;
  /** Bounds of the two-sided confidence interval (`level`, default 90 %). */
  low: number;
  high: number;
}

export interface TailDifferenceOptions {
  /** Bootstrap resamples. Default 200. */
  resamples?: number;
  /** Confidence level of the interval. Default 0.9. */
  level?: number;
  /** Uniform random numbers in [0, 1) (seeded in benchmarks so a run can be reproduced). */
  random: () => number;
}

/**
 * percentile(b) − percentile(a), where `a[i]` and `b[i]` are the latencies of the i-th pair of
 * rounds, measured next to each other. Each resample draws round pairs with replacement, so
 * conditions that drift during the run stay paired.
 */
export function tailDifference(a: readonly number[][], b: readonly number[][], p: number, options: TailDifferenceOptions): TailDifference {
  if (a.length !== b.length || a.length === 0) throw new Error("tailDifference needs the same, non-zero number of rounds on both sides");
  const resamples = options.resamples ?? 200;
  const level = options.level ?? 0.9;
  const estimate = pooledPercentile(b, p) - pooledPercentile(a, p);
  const diffs = new Float64Array(resamples);
  const pick = new Uint32Array(a.length);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < pick.length; i++) pick[i] = Math.floor(options.random() * a.length);
    diffs[r] = pooledPercentile(b, p, pick) - pooledPercentile(a, p, pick);
  }
  diffs.sort();
  const tail = ((1 - level) / 2) * 100;
  return { estimate, low: percentileOfSorted(diffs, tail), high: percentileOfSorted(diffs, 100 - tail) };
}

/** A target's verdict: met, missed, or not resolved (null), with the reason when it is not. */
export interface Verdict {
  met: boolean | null;
  reason?: string;
}

/**
 * Met only when the whole interval is within `limit`, missed only when it is wholly beyond it.
 * The control (the baseline measured against itself) must be consistent with no difference:
 * when its interval excludes 0, intervals at this percentile are demonstrably too narrow on this
 * machine and no verdict is given.
 */
export function judge(difference: TailDifference, limit: number, control: TailDifference): Verdict {
  if (control.low > 0 || control.high < 0) return { met: null, reason: "the direct-vs-direct control's interval excludes 0, so the intervals at this percentile are too narrow to judge by" };
  if (difference.high <= limit) return { met: true };
  if (difference.low > limit) return { met: false };
  return { met: null, reason: "the interval spans the target" };
}
