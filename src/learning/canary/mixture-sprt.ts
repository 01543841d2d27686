// The canary's always-valid test: a mixture sequential probability ratio test (mSPRT, Johari,
// Pekelis & Walsh, "Always valid inference", 2017) on the difference of two arms' mean objective
// per run. With the normal approximation of the difference d̂ (variance v from the two samples)
// and a normal mixture N(0, τ²) over the true difference,
//     Λ = sqrt(v / (v + τ²)) · exp( τ² d̂² / (2 v (v + τ²)) ),
// and "no difference" is rejected once Λ ≥ 1/α. Under no difference Λ is a martingale, so by
// Ville's inequality the chance that it EVER crosses 1/α — however often it is looked at — is at
// most α: checking a canary every few seconds does not inflate the false-promotion rate.
// The matching always-valid confidence interval is d̂ ± sqrt( v(v+τ²)/τ² · (ln((v+τ²)/v) − 2 ln α) ).

export interface ArmSample {
  n: number;
  mean: number;
  /** Sample variance of the per-run values. */
  variance: number;
}

export interface MsprtResult {
  /** Candidate − incumbent. */
  difference: number;
  /** Λ, the mixture likelihood ratio against "no difference". */
  statistic: number;
  /** 1/α. */
  threshold: number;
  /** min(1, 1/Λ) at this look. */
  pValue: number;
  /** Always-valid interval of the difference at 1 − α. */
  interval: [number, number];
  decision: "better" | "worse" | "undecided";
}

/** Sample mean and variance of `values`. */
export function sampleOf(values: readonly number[]): ArmSample {
  const n = values.length;
  if (n === 0) return { n: 0, mean: 0, variance: 0 };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const variance = n > 1 ? values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1) : 0;
  return { n, mean, variance };
}

/**
 * One look of the test. `alpha` = 1 − confidence; `tau` the mixture's standard deviation (the
 * effect size the test finds fastest). The variance has a floor (one success or failure's worth
 * in the larger arm), so two arms that happen to agree perfectly do not yield a zero variance.
 */
export function mixtureSprt(candidate: ArmSample, incumbent: ArmSample, options: { alpha: number; tau: number }): MsprtResult {
  const difference = candidate.mean - incumbent.mean;
  // The variance of d̂ under "no difference": both arms' runs pooled around the grand mean (as a
  // two-proportion z-test pools), which keeps the false-decision rate at α when one arm is small
  // and its own variance estimate unsteady (a 10 % canary).
  const nc = Math.max(1, candidate.n);
  const ni = Math.max(1, incumbent.n);
  const grand = (candidate.n * candidate.mean + incumbent.n * incumbent.mean) / (nc + ni);
  const ss = Math.max(0, candidate.n - 1) * candidate.variance + Math.max(0, incumbent.n - 1) * incumbent.variance + candidate.n * (candidate.mean - grand) ** 2 + incumbent.n * (incumbent.mean - grand) ** 2;
  const pooled = ss / Math.max(1, nc + ni - 1);
  const floor = 0.25 / Math.max(nc, ni) ** 2;
  const v = Math.max(floor, pooled * (1 / nc + 1 / ni));
  const t2 = options.tau ** 2;
  const logLambda = 0.5 * Math.log(v / (v + t2)) + (t2 * difference ** 2) / (2 * v * (v + t2));
  const statistic = Math.exp(Math.min(700, logLambda));
  const threshold = 1 / options.alpha;
  const half = Math.sqrt(((v * (v + t2)) / t2) * (Math.log((v + t2) / v) - 2 * Math.log(options.alpha)));
  const decided = statistic >= threshold;
  return {
    difference,
    statistic,
    threshold,
    pValue: Math.min(1, 1 / statistic),
    interval: [difference - half, difference + half],
    decision: !decided ? "undecided" : difference > 0 ? "better" : "worse",
  };
}
