import { describe, it, expect } from "vitest";
import { mantelHaenszel, stratumRiskDifference, chiSquareUpperTail, normalTwoSidedP } from "./mantel-haenszel.js";
import { createRng } from "../../compiler/random.js";

// UC Berkeley admissions by department (exposed: male applicants; hit: admitted). Reference
// values are R's mantelhaen.test(UCBAdmissions) and the Breslow–Day test of the same table.
const UCB = [[512, 313, 89, 19], [353, 207, 17, 8], [120, 205, 202, 391], [138, 279, 131, 244], [53, 138, 94, 299], [22, 351, 24, 317]].map(([a, b, c, d]) => ({ a: a!, n1: a! + b!, c: c!, n0: c! + d! }));

describe("mantelHaenszel", () => {
  it("matches R's mantelhaen.test and the Breslow–Day test on the Berkeley admissions (Simpson's paradox)", () => {
    const r = mantelHaenszel(UCB);
    expect(r.chiSquare).toBeCloseTo(1.4269, 4);
    expect(r.pValue).toBeCloseTo(0.2323, 4);
    expect(r.oddsRatio).toBeCloseTo(0.9046968, 6);
    expect(r.oddsRatioCi![0]).toBeCloseTo(0.7719074, 6);
    expect(r.oddsRatioCi![1]).toBeCloseTo(1.0603298, 6);
    expect(r.heterogeneity!.chiSquare).toBeCloseTo(18.83, 2);
    expect(r.heterogeneity!.df).toBe(5);
    expect(r.heterogeneity!.pValue).toBeCloseTo(0.00207, 4);
    // Crude, men are admitted 14 points more often; within departments slightly less.
    const crude = UCB.reduce((s, t) => ({ a: s.a + t.a, n1: s.n1 + t.n1, c: s.c + t.c, n0: s.n0 + t.n0 }), { a: 0, n1: 0, c: 0, n0: 0 });
    expect(crude.a / crude.n1 - crude.c / crude.n0).toBeGreaterThan(0.14);
    expect(r.riskDifference!).toBeLessThan(0);
  });

  it("gives a 95% interval of the pooled risk difference that covers the true one about 95% of the time (Sato's variance)", () => {
    const random = createRng(5);
    const strata = [{ n1: 40, n0: 60, p0: 0.2 }, { n1: 80, n0: 20, p0: 0.7 }, { n1: 15, n0: 15, p0: 0.5 }, { n1: 5, n0: 45, p0: 0.9 }];
    const truth = -0.08;
    let covered = 0;
    const runs = 2000;
    for (let i = 0; i < runs; i++) {
      const tables = strata.map((s) => {
        let a = 0;
        let c = 0;
        for (let k = 0; k < s.n1; k++) if (random() < s.p0 + truth) a++;
        for (let k = 0; k < s.n0; k++) if (random() < s.p0) c++;
        return { a, n1: s.n1, c, n0: s.n0 };
      });
      const ci = mantelHaenszel(tables).riskDifferenceCi!;
      if (ci[0] <= truth && truth <= ci[1]) covered++;
    }
    expect(covered / runs).toBeGreaterThan(0.93);
    expect(covered / runs).toBeLessThan(0.97);
  });

  it("ignores strata without both groups and reports no effect without any comparison", () => {
    const r = mantelHaenszel([{ a: 5, n1: 10, c: 0, n0: 0 }, { a: 0, n1: 0, c: 3, n0: 9 }]);
    expect(r).toMatchObject({ pValue: 1, riskDifference: null, oddsRatio: null, heterogeneity: null, informativeStrata: 0 });
  });

  it("finds no within-strata association where the crude one comes from the strata alone", () => {
    // Stratum 1: everyone exposed-or-not succeeds 30%; stratum 2: 90%; exposure lives in stratum 1.
    const r = mantelHaenszel([{ a: 60, n1: 200, c: 6, n0: 20 }, { a: 18, n1: 20, c: 180, n0: 200 }]);
    expect(r.pValue).toBeGreaterThan(0.5);
    expect(Math.abs(r.riskDifference!)).toBeLessThan(0.01);
  });
});

describe("tails and one-stratum intervals", () => {
  it("computes chi-square and normal tails", () => {
    expect(chiSquareUpperTail(3.841458820694124, 1)).toBeCloseTo(0.05, 10);
    expect(chiSquareUpperTail(11.070497693516351, 5)).toBeCloseTo(0.05, 10);
    expect(normalTwoSidedP(1.959963984540054)).toBeCloseTo(0.05, 10);
    expect(normalTwoSidedP(10)).toBeGreaterThan(0);
  });

  it("gives a Newcombe interval around one stratum's risk difference", () => {
    const r = stratumRiskDifference({ a: 56, n1: 70, c: 48, n0: 80 })!;
    expect(r.effect).toBeCloseTo(0.2, 10);
    // Newcombe (1998), example (b): 0.2 [0.0524, 0.3339].
    expect(r.ci[0]).toBeCloseTo(0.0524, 3);
    expect(r.ci[1]).toBeCloseTo(0.3339, 3);
  });
});
