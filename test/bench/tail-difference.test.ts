import { describe, expect, it } from "vitest";
import { judge, percentileOfSorted, pooledPercentile, tailDifference } from "../../bench/support/tail-difference.js";
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

describe("judge", () => {
  const d = (estimate: number, low: number, high: number) => ({ estimate, low, high }) as Parameters<typeof judge>[0];
  const calm = d(0.1, -0.5, 0.6);
  it("meets a target only when the whole interval is within it, and misses it only when wholly beyond", () => {
    expect(judge(d(0.5, 0.2, 0.9), 1, calm)).toEqual({ met: true });
    expect(judge(d(3, 1.5, 4), 1, calm)).toEqual({ met: false });
    expect(judge(d(0.8, 0.2, 1.4), 1, calm)).toEqual({ met: null, reason: expect.stringMatching(/spans the target/) });
  });
  it("gives no verdict when the control's interval excludes 0, whichever side", () => {
    expect(judge(d(-5, -10, 2), 5, d(-9, -13.6, -1.4))).toEqual({ met: null, reason: expect.stringMatching(/control/) });
    expect(judge(d(0.5, 0.2, 0.9), 1, d(2, 0.5, 3))).toEqual({ met: null, reason: expect.stringMatching(/control/) });
  });
});
