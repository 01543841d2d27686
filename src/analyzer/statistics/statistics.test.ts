import { describe, it, expect } from "vitest";
import { fisherExact } from "./fisher-exact.js";
import { wilsonInterval } from "./wilson-interval.js";
import { benjaminiHochberg, holm } from "./multiple-testing.js";
import { confidenceFromPValue } from "./confidence.js";
import { quantileSorted } from "./quantile.js";

describe("fisherExact", () => {
  it("matches SciPy's two-sided p-values on small and large tables", () => {
    // Reference values from scipy.stats.fisher_exact.
    const cases: [number[], number][] = [
      [[8, 2, 1, 5], 0.034965034965034975],
      [[6, 2, 1, 4], 0.10256410256410256],
      [[3, 1, 1, 3], 0.48571428571428565],
      [[0, 5, 5, 0], 0.007936507936507938],
      [[1200, 800, 30000, 28000], 2.915861460177859e-13],
    ];
    for (const [[a, b, c, d], p] of cases) expect(fisherExact(a!, b!, c!, d!)).toBeCloseTo(p, 12);
    expect(fisherExact(900, 100, 300, 700) / 1.0745653605983853e-179).toBeCloseTo(1, 6);
  });

  it("gives 1 for a table without association or with an empty margin", () => {
    expect(fisherExact(50, 50, 50, 50)).toBeCloseTo(1, 12);
    expect(fisherExact(0, 0, 4, 6)).toBe(1);
  });

  it("is symmetric in rows and columns", () => {
    expect(fisherExact(7, 3, 2, 9)).toBeCloseTo(fisherExact(2, 9, 7, 3), 14);
    expect(fisherExact(7, 3, 2, 9)).toBeCloseTo(fisherExact(7, 2, 3, 9), 14);
  });

  it("rejects cells that are not counts", () => {
    expect(() => fisherExact(-1, 2, 3, 4)).toThrow(RangeError);
  });
});

describe("wilsonInterval", () => {
  it("matches the textbook interval for 60 of 100", () => {
    const { low, high } = wilsonInterval(60, 100);
    expect(low).toBeCloseTo(0.50201, 4);
    expect(high).toBeCloseTo(0.69061, 4);
  });

  it("stays inside [0, 1] at the extremes and is [0, 1] without data", () => {
    expect(wilsonInterval(0, 10).low).toBe(0);
    expect(wilsonInterval(10, 10).high).toBe(1);
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1 });
  });
});

describe("multiple-testing corrections", () => {
  it("Benjamini–Hochberg q-values match the step-up definition", () => {
    const q = benjaminiHochberg([0.01, 0.04, 0.03, 0.2]);
    [0.04, 0.16 / 3, 0.16 / 3, 0.2].forEach((x, i) => expect(q[i]).toBeCloseTo(x, 12));
  });

  it("Holm adjusted p-values match the step-down definition", () => {
    const q = holm([0.01, 0.04, 0.03, 0.2]);
    [0.04, 0.09, 0.09, 0.2].forEach((x, i) => expect(q[i]).toBeCloseTo(x, 12));
  });
});

describe("confidenceFromPValue", () => {
  it("maps no evidence to 0.5, adjusted p = 0.05 to about 0.71 and p → 0 to 1", () => {
    expect(confidenceFromPValue(1)).toBe(0.5);
    expect(confidenceFromPValue(0.5)).toBe(0.5);
    expect(confidenceFromPValue(0.05)).toBeCloseTo(0.711, 3);
    expect(confidenceFromPValue(1e-12)).toBeGreaterThan(0.9999);
    expect(confidenceFromPValue(0)).toBe(1);
  });

  it("grows as the p-value shrinks", () => {
    const ps = [0.3, 0.1, 0.05, 0.01, 0.001];
    const cs = ps.map(confidenceFromPValue);
    for (let i = 1; i < cs.length; i++) expect(cs[i]!).toBeGreaterThan(cs[i - 1]!);
  });
});

describe("quantileSorted", () => {
  it("interpolates between order statistics like percentile_cont", () => {
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileSorted([10, 20, 30, 40, 50], 0.95)).toBeCloseTo(48, 12);
    expect(quantileSorted([], 0.5)).toBeNaN();
  });
});
