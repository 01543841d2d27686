import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { createRng } from "../../compiler/random.js";
import { mixtureSprt, sampleOf } from "./mixture-sprt.js";

/**
 * One simulated canary: runs arrive one by one (share of them to the candidate), the test looks
 * after every `lookEvery` labelled runs once both arms have `minRuns`, and stops at the first
 * decision or at `maxRuns`.
 */
function simulate(seed: number, pIncumbent: number, pCandidate: number, o = { share: 0.5, alpha: 0.05, tau: 0.1, minRuns: 30, maxRuns: 2000, lookEvery: 10 }) {
  const rng = createRng(seed);
  const inc: number[] = [];
  const cand: number[] = [];
  for (let i = 1; i <= o.maxRuns; i++) {
    if (rng() < o.share) cand.push(rng() < pCandidate ? 1 : 0);
    else inc.push(rng() < pIncumbent ? 1 : 0);
    if (i % o.lookEvery !== 0 || inc.length < o.minRuns || cand.length < o.minRuns) continue;
    const r = mixtureSprt(sampleOf(cand), sampleOf(inc), { alpha: o.alpha, tau: o.tau });
    if (r.decision !== "undecided") return r.decision;
  }
  return "undecided" as const;
}

describe("the canary's mixture SPRT", () => {
  it("promotes a candidate that is not better in at most α of canaries, however often it looks (property)", () => {
    // Many canaries under no difference, at several base rates and shares; a look every 10 runs.
    fc.assert(
      fc.property(fc.constantFrom(0.2, 0.5, 0.8), fc.constantFrom(0.1, 0.5), fc.integer({ min: 0, max: 1_000_000 }), (p, share, seed0) => {
        const sims = 200;
        let promoted = 0;
        let rolledBack = 0;
        for (let s = 0; s < sims; s++) {
          const d = simulate(seed0 * 1000 + s, p, p, { share, alpha: 0.05, tau: 0.1, minRuns: 30, maxRuns: 1500, lookEvery: 10 });
          if (d === "better") promoted++;
          if (d === "worse") rolledBack++;
        }
        // Any decision under no difference is an error; together they stay within α = 0.05.
        expect(promoted / sims).toBeLessThanOrEqual(0.05);
        expect((promoted + rolledBack) / sims).toBeLessThanOrEqual(0.05);
      }),
      { numRuns: 12, seed: 27 },
    );
  });

  it("finds a real difference in either direction", () => {
    const better = Array.from({ length: 40 }, (_, s) => simulate(s, 0.5, 0.7)).filter((d) => d === "better").length;
    const worse = Array.from({ length: 40 }, (_, s) => simulate(s, 0.7, 0.4)).filter((d) => d === "worse").length;
    expect(better).toBeGreaterThanOrEqual(36);
    expect(worse).toBeGreaterThanOrEqual(38);
  });

  it("reports an interval that contains the difference and excludes 0 exactly when it decides", () => {
    const r = mixtureSprt(sampleOf([...Array(200).fill(1), ...Array(100).fill(0)]), sampleOf([...Array(100).fill(1), ...Array(200).fill(0)]), { alpha: 0.05, tau: 0.1 });
    expect(r.decision).toBe("better");
    expect(r.interval[0]).toBeGreaterThan(0);
    expect(r.interval[0]).toBeLessThan(r.difference);
    const same = mixtureSprt(sampleOf([1, 0, 1, 0, 1, 0]), sampleOf([1, 0, 1, 0, 1, 0]), { alpha: 0.05, tau: 0.1 });
    expect(same.decision).toBe("undecided");
    expect(same.interval[0]).toBeLessThan(0);
    expect(same.interval[1]).toBeGreaterThan(0);
  });
});
