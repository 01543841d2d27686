// Two-sided Fisher exact test for 2×2 tables. Hand-written because npm has no maintained JS
// implementation (jstat and simple-statistics lack it; @stdlib ships only the hypergeometric
// pmf/cdf, whose cdf sums from 0 and is O(n) per call). Exact log-factorials from a cached table
// make each pmf term O(1), and only the tails that count are summed, so tables with 100k+
// observations cost microseconds.

let logFactorials = new Float64Array([0, 0]);

function logFactorial(n: number): number {
  if (n >= logFactorials.length) {
    const next = new Float64Array(Math.max(n + 1, logFactorials.length * 2));
    next.set(logFactorials);
    for (let k = logFactorials.length; k < next.length; k++) next[k] = next[k - 1]! + Math.log(k);
    logFactorials = next;
  }
  return logFactorials[n]!;
}

/**
 * Two-sided p-value of Fisher's exact test for the table [[a, b], [c, d]]: the probability,
 * under independence with fixed margins, of a table at most as likely as the observed one.
 */
export function fisherExact(a: number, b: number, c: number, d: number): number {
  for (const x of [a, b, c, d]) if (!Number.isInteger(x) || x < 0) throw new RangeError(`table cells must be non-negative integers, got ${x}`);
  const row1 = a + b;
  const row2 = c + d;
  const col1 = a + c;
  const n = row1 + row2;
  if (row1 === 0 || row2 === 0 || col1 === 0 || col1 === n) return 1;
  const lo = Math.max(0, col1 - row2);
  const hi = Math.min(row1, col1);
  const constant = logFactorial(row1) + logFactorial(row2) + logFactorial(col1) + logFactorial(n - col1) - logFactorial(n);
  const logPmf = (x: number) => constant - logFactorial(x) - logFactorial(row1 - x) - logFactorial(col1 - x) - logFactorial(row2 - col1 + x);
  const observed = logPmf(a);
  // Relative tolerance, as R and SciPy use, so tables as likely as the observed one count.
  const cutoff = observed + 1e-7;
  const mode = Math.min(hi, Math.max(lo, Math.floor(((row1 + 1) * (col1 + 1)) / (n + 2))));
  // Sum terms exp(logPmf(x) − observed) of a tail, walking outward until they are negligible.
  const sumTail = (from: number, step: 1 | -1): number => {
    let total = 0;
    for (let x = from; x >= lo && x <= hi; x += step) {
      const term = Math.exp(logPmf(x) - observed);
      total += term;
      if (term < 1e-17 * total) break;
    }
    return total;
  };
  // The pmf is unimodal: on each side of the mode, the terms ≤ observed form one outer tail.
  // Find where each tail starts by binary search on the monotone side.
  const tailStart = (side: 1 | -1): number | undefined => {
    let inner = mode;
    let outer = side === 1 ? hi : lo;
    if (logPmf(outer) > cutoff) return undefined;
    if (logPmf(inner) <= cutoff) return inner;
    while (Math.abs(outer - inner) > 1) {
      const mid = Math.trunc((inner + outer) / 2);
      if (logPmf(mid) <= cutoff) outer = mid;
      else inner = mid;
    }
    return outer;
  };
  const right = tailStart(1);
  const left = tailStart(-1);
  let relative = 0;
  if (right !== undefined) relative += sumTail(right, 1);
  // When the mode itself is in both tails (flat pmf), do not count it twice.
  if (left !== undefined) relative += sumTail(left === right ? left - 1 : left, -1);
  return Math.min(1, Math.exp(observed) * relative);
}
