// Quantiles with linear interpolation between order statistics (type 7, as R, NumPy and
// Postgres' percentile_cont use), over an already sorted array.

/** The q-quantile (0..1) of ascending `sorted`; NaN for an empty array. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}
