import { describe, expect, it } from "vitest";
import { cosineSimilarity, l2Norm } from "./vector-math.js";

describe("vector math", () => {
  it("measures length and cosine similarity, treating a zero vector as similar to nothing", () => {
    expect(l2Norm([3, 4])).toBe(5);
    expect(l2Norm(new Float64Array([0, 0]))).toBe(0);
    expect(cosineSimilarity([1, 0], [2, 0])).toBeCloseTo(1, 12);
    expect(cosineSimilarity([1, 0], [0, 3])).toBe(0);
    expect(cosineSimilarity([1, 1], [-1, -1])).toBeCloseTo(-1, 12);
    expect(cosineSimilarity([0, 0], [1, 2])).toBe(0);
  });

  it("refuses vectors of different dimensions", () => {
    expect(() => cosineSimilarity([1, 2], [1, 2, 3])).toThrow(/differ in dimension: 2 vs 3/);
  });
});
