import { describe, expect, it } from "vitest";
import { normalQuantile, pairedBootstrap, summarizeScores } from "./statistics.js";
import { decidePromotion } from "./gate.js";

const settings = { minImprovement: 0.02, minDevSetSize: 20, confidence: 0.95 };

describe("evaluation statistics and the gate", () => {
  it("gives a confidence interval that contains the mean and narrows with more data", () => {
    const small = summarizeScores([1, 0, 1, 1, 0, 1, 0, 1]);
    const large = summarizeScores(Array.from({ length: 400 }, (_, i) => (i % 8 < 5 ? 1 : 0)));
    expect(small.ci[0]).toBeLessThan(small.mean);
    expect(small.ci[1]).toBeGreaterThan(small.mean);
    expect(large.ci[1] - large.ci[0]).toBeLessThan(small.ci[1] - small.ci[0]);
  });

  it("gives pass/fail scores an honest interval at small samples, never a degenerate point", () => {
    const perfect = summarizeScores(Array.from({ length: 20 }, () => 1));
    expect(perfect.mean).toBe(1);
    // Wilson: 20 of 20 is compatible with a true rate down to about 0.84.
    expect(perfect.ci[0]).toBeCloseTo(0.8389, 3);
    expect(perfect.ci[1]).toBe(1);
    const none = summarizeScores(Array.from({ length: 20 }, () => 0));
    expect(none.ci).toEqual([0, expect.closeTo(0.1611, 3)]);
    // Continuous scores that all agree fall back to the same interval instead of a point.
    const flat = summarizeScores(Array.from({ length: 10 }, () => 0.5));
    expect(flat.ci[1] - flat.ci[0]).toBeGreaterThan(0.3);
    expect(normalQuantile(0.95)).toBeCloseTo(1.96, 2);
    expect(normalQuantile(0.9)).toBeCloseTo(1.645, 2);
  });

  it("promotes a clearly better candidate on a large enough dev set", () => {
    const parent = Array.from({ length: 24 }, (_, i) => (i % 3 === 0 ? 1 : 0));
    const candidate = Array.from({ length: 24 }, (_, i) => (i % 6 === 5 ? 0 : 1));
    const comparison = pairedBootstrap(candidate, parent);
    expect(comparison.meanDiff).toBeCloseTo(0.5, 1);
    expect(decidePromotion({ devSetSize: 24, comparison }, settings)).toMatchObject({ promoted: true });
  });

  it("rejects a candidate that is no better, and says why", () => {
    const scores = Array.from({ length: 24 }, (_, i) => i % 2);
    const verdict = decidePromotion({ devSetSize: 24, comparison: pairedBootstrap(scores, scores) }, settings);
    expect(verdict).toEqual({ promoted: false, reason: expect.stringContaining("not better enough: mean gain +0.000 < min_improvement 0.02") });
  });

  it("rejects a gain carried by one lucky example as not significant", () => {
    const parent = Array.from({ length: 24 }, () => 0.5);
    const candidate = parent.map((s, i) => (i === 0 ? 1 : s));
    const verdict = decidePromotion({ devSetSize: 24, comparison: pairedBootstrap(candidate, parent) }, settings);
    expect(verdict.promoted).toBe(false);
    expect(verdict.reason).toMatch(/gain not significant/);
  });

  it("never promotes on a dev set smaller than configured, nor after a budget stop", () => {
    const comparison = pairedBootstrap([1, 1, 1], [0, 0, 0]);
    expect(decidePromotion({ devSetSize: 3, comparison }, settings).reason).toMatch(/dev set has 3 examples; at least 20/);
    expect(decidePromotion({ devSetSize: 30, comparison, budgetExhausted: "LLM call budget exhausted" }, settings).reason).toMatch(/compilation stopped: LLM call budget/);
  });
});
