import { describe, expect, it } from "vitest";
import { percentileOfSorted, pooledPercentile, tailDifference } from "../../bench/support/tail-difference.js";
import { createRng } from "../../src/compiler/random.js";

/** Rounds of `size` latencies: a common per-round stall plus per-call noise, shifted by `shift`. */
function rounds(n: number, size: number, shift: number, random: () => number): number[][] {
  return Array.from({ length: n }, () => {
    const stall = random() < 0.05 ? 20 + 40 * random() : 0;
    return Array.from({ length: size }, () => 10 + shift + stall + 5 * random());
  });
}

describe("percentiles", () => {
  it("uses the nearest rank", () => {
    const s = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentileOfSorted(s, 50)).toBe(5);
    expect(percentileOfSorted(s, 99)).toBe(10);
    expect(percentileOfSorted(s, 0)).toBe(1);
    expect(() => percentileOfSorted([], 50)).toThrow(/empty/);
  });

  it("pools the calls of the picked rounds, repeats included", () => {
    const r = [[5, 1], [3], [9, 7]];
    expect(pooledPercentile(r, 100)).toBe(9);
    expect(pooledPercentile(r, 50, [1, 1, 1, 0])).toBe(3);
  });
});

describe("tailDifference", () => {
  it("finds a shift of the whole distribution inside its interval", () => {
    const random = createRng(7);
    const a = rounds(400, 8, 0, random);
    const b = rounds(400, 8, 3, random);
    const d = tailDifference(a, b, 50, { random });
    expect(d.estimate).toBeGreaterThan(2);
    expect(d.estimate).toBeLessThan(4);
    expect(d.low).toBeLessThanOrEqual(3);
    expect(d.high).toBeGreaterThanOrEqual(3);
  });

  it("gives two samples of one distribution an interval around zero, wider at the tail than at the median", () => {
    const random = createRng(11);
    const a = rounds(400, 8, 0, random);
    const b = rounds(400, 8, 0, random);
    const median = tailDifference(a, b, 50, { random });
    const tail = tailDifference(a, b, 99, { random });
    expect(median.low).toBeLessThanOrEqual(0);
    expect(median.high).toBeGreaterThanOrEqual(0);
    expect(tail.low).toBeLessThanOrEqual(0);
    expect(tail.high).toBeGreaterThanOrEqual(0);
    expect(tail.high - tail.low).toBeGreaterThan(median.high - median.low);
  });

  it("resamples rounds, not calls: correlated calls widen the interval", () => {
    const random = createRng(3);
    const a = rounds(200, 16, 0, random);
    const b = rounds(200, 16, 0, random);
    // The same latencies as single-call rounds: resampling them pretends they are independent.
    const single = (r: number[][]) => r.flat().map((x) => [x]);
    const byRound = tailDifference(a, b, 99, { random });
    const byCall = tailDifference(single(a), single(b), 99, { random });
    expect(byRound.high - byRound.low).toBeGreaterThan(byCall.high - byCall.low);
  });

  it("rejects unpaired inputs", () => {
    expect(() => tailDifference([[1]], [], 50, { random: Math.random })).toThrow(/same/);
  });
});
