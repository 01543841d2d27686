import { describe, expect, it } from "vitest";
import { objectiveValues, tokenRoi } from "./objective.js";
import { preferFinalists } from "./compile-signature.js";

const runs = (scores: number[], tokens: number) => scores.map((score) => ({ score, tokens }));

describe("the promotion objective", () => {
  it("turns each objective into one number per run", () => {
    const r = runs([1, 0], 2000);
    expect(objectiveValues(r, { objective: "quality", tokenPenalty: 0.1 }, r)).toEqual([1, 0]);
    expect(objectiveValues(r, { objective: "quality_cost", tokenPenalty: 0.1 }, r)).toEqual([0.8, -0.2]);
  });

  it("compares token ROI as the quality beyond what the reference's quality per token buys", () => {
    const reference = runs([1, 0, 1, 0], 1000); // 0.5 per 1,000 tokens
    const cheaper = runs([1, 0, 1, 0], 500); // same quality, half the tokens: ROI 1.0
    expect(tokenRoi(reference)).toBe(0.5);
    expect(tokenRoi(cheaper)).toBe(1);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(objectiveValues(reference, { objective: "token_roi", tokenPenalty: 0 }, reference))).toBeCloseTo(0, 12);
    expect(mean(objectiveValues(cheaper, { objective: "token_roi", tokenPenalty: 0 }, reference))).toBeGreaterThan(0);
  });

  it("prefers the cheaper of two finalists equal within their interval, and the better one otherwise", () => {
    const scores = Array.from({ length: 40 }, (_, i) => (i % 3 === 0 ? 0 : 1));
    const costly = runs(scores, 900);
    const cheap = runs(scores.map((s, i) => (i === 5 ? 1 - s : s)), 400);
    const pick = (prefs: number[]) => prefs.indexOf(Math.max(...prefs));
    expect(pick(preferFinalists([costly, cheap], { objective: "quality", tokenPenalty: 0 }, 0.95))).toBe(1);
    const better = runs(scores.map(() => 1), 900);
    expect(pick(preferFinalists([better, runs(scores, 100)], { objective: "quality", tokenPenalty: 0 }, 0.95))).toBe(0);
  });
});
