// Wilson score interval for a binomial proportion: well behaved at small n and near 0 or 1,
// unlike the normal approximation. Five lines, so written here rather than imported.

export interface Interval {
  low: number;
  high: number;
}

/** Wilson interval of `successes` out of `n`; `z` defaults to 1.96 (95%). n = 0 gives [0, 1]. */
export function wilsonInterval(successes: number, n: number, z = 1.96): Interval {
  if (n === 0) return { low: 0, high: 1 };
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, center - half), high: Math.min(1, center + half) };
}
