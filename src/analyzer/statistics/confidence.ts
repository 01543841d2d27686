// Turns a multiplicity-adjusted p-value into a confidence in [0.5, 1]: the largest posterior
// probability that the effect is real, at even prior odds, that the data allow. It uses the
// Sellke–Bayarri–Berger bound on the Bayes factor, B ≥ −e·p·ln p (p < 1/e). A p-value is not a
// probability that a pattern is real; this is, and it makes the 0.7 default of
// `confidence_threshold` mean "adjusted p ≈ 0.05", the usual bar. No evidence gives 0.5.

/** Confidence from an adjusted p-value q: 1 / (1 + B), B = −e·q·ln q for q < 1/e, else 1. */
export function confidenceFromPValue(q: number): number {
  if (!(q >= 0)) throw new RangeError(`p-value must be in [0, 1], got ${q}`);
  if (q === 0) return 1;
  const bayesFactor = q < 1 / Math.E ? -Math.E * q * Math.log(q) : 1;
  return 1 / (1 + bayesFactor);
}
