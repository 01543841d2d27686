// Logistic regression for the cache's second check (bench/calibrate-cache-match.ts): standardized
// features, L2 penalty, Newton's method. Hand-written on purpose: it fits three coefficients once,
// at calibration time, and never runs in the service; a library would bring a matrix package for
// a 4×4 solve.

export interface LogisticFit {
  mean: number[];
  scale: number[];
  weights: number[];
  bias: number;
}

/** Solves A x = b for a small dense system (Gaussian elimination with partial pivoting). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    [m[c], m[p]] = [m[p]!, m[c]!];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]! / m[c]![c]!;
      for (let k = c; k <= n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  return m.map((row, i) => row[n]! / row[i]!);
}

/**
 * Fits P(y = 1 | x) = σ(bias + Σ wᵢ (xᵢ − meanᵢ) / scaleᵢ).
 * `l2`: penalty on the standardized weights (not the bias), default 1 — with ~100 rows it keeps
 * the fit from chasing the few pairs that separate perfectly. `signs`: per feature +1 (weight ≥ 0),
 * −1 (≤ 0) or 0 (free), for what the data may not overrule (a closer sentence is never evidence
 * of a different request).
 */
export function fitLogistic(rows: readonly number[][], labels: readonly number[], options: { l2?: number; iterations?: number; signs?: readonly number[] } = {}): LogisticFit {
  const d = rows[0]?.length ?? 0;
  // Sign constraints by active set: a weight that comes out with the wrong sign is held at 0 and
  // the others refitted, until every free weight has its sign (at most d refits).
  const fixed = new Set<number>();
  for (;;) {
    const fit = fitFree(rows, labels, options, fixed);
    const wrong = fit.weights.findIndex((w, j) => !fixed.has(j) && (options.signs?.[j] ?? 0) * w < 0);
    if (wrong < 0) return fit;
    fixed.add(wrong);
  }
}

function fitFree(rows: readonly number[][], labels: readonly number[], options: { l2?: number; iterations?: number }, fixed: ReadonlySet<number>): LogisticFit {
  const l2 = options.l2 ?? 1;
  const d = rows[0]?.length ?? 0;
  const mean = Array.from({ length: d }, (_, j) => rows.reduce((s, r) => s + r[j]!, 0) / rows.length);
  const scale = Array.from({ length: d }, (_, j) => Math.sqrt(rows.reduce((s, r) => s + (r[j]! - mean[j]!) ** 2, 0) / rows.length) || 1);
  const z = rows.map((r) => [1, ...r.map((x, j) => (x - mean[j]!) / scale[j]!)]);
  let beta = new Array<number>(d + 1).fill(0);
  for (let it = 0; it < (options.iterations ?? 50); it++) {
    const grad = new Array<number>(d + 1).fill(0);
    const hess = Array.from({ length: d + 1 }, () => new Array<number>(d + 1).fill(0));
    z.forEach((x, i) => {
      const p = 1 / (1 + Math.exp(-x.reduce((s, v, j) => s + v * beta[j]!, 0)));
      const w = p * (1 - p);
      for (let j = 0; j <= d; j++) {
        grad[j]! += (p - labels[i]!) * x[j]!;
        for (let k = 0; k <= d; k++) hess[j]![k]! += w * x[j]! * x[k]!;
      }
    });
    for (let j = 1; j <= d; j++) {
      grad[j]! += l2 * beta[j]!;
      hess[j]![j]! += l2;
    }
    // A weight held at 0 takes no step: its row and column become the identity.
    for (const j of fixed) {
      for (let k = 0; k <= d; k++) hess[j + 1]![k] = hess[k]![j + 1] = 0;
      hess[j + 1]![j + 1] = 1;
      grad[j + 1] = 0;
    }
    const step = solve(hess, grad);
    beta = beta.map((b, j) => b - step[j]!);
    if (Math.max(...step.map(Math.abs)) < 1e-10) break;
  }
  return { mean, scale, weights: beta.slice(1), bias: beta[0]! };
}
