import { describe, it, expect } from "vitest";
import { HashingEmbedder } from "../llm/hashing-embedder.js";
import type { Embedder } from "../llm/embedder.js";
import { createCacheMatcher, matchFeatures, matchProbability, verdictFor, type MatchModel } from "./cache-match.js";
import { lexicalDifference } from "./lexical-difference.js";
import { CALIBRATED_MATCH_MODELS } from "./cache-match-calibration.js";
import { cacheOptionsFromConfig } from "./cache-options.js";
import { loadConfig } from "../config/load-config.js";

/** The hashing embedder, recording each batch it is asked for. */
function recordingEmbedder(): Embedder & { batches: string[][] } {
  const inner = new HashingEmbedder({ dimension: 64 });
  const batches: string[][] = [];
  return { model: inner.model, dimension: inner.dimension, batches, embed: (texts) => (batches.push(texts), inner.embed(texts)) };
}

// A hand-made model for the unit tests: accepts when the differing words' phrases are alike.
const model: MatchModel = { lowerBound: 0.5, mean: [0, 0, 0], scale: [1, 1, 1], weights: [0, 10, 0], bias: -5, minProbability: 0.5, fittedOn: "test" };

describe("the cache's second check", () => {
  it("computes its three measurements from the embeddings of the differing words and of the rest", () => {
    const f = matchFeatures(0.8, { phrases: [[1, 0], [1, 0]], skeletons: [[1, 0], [0, 1]] });
    expect(f).toEqual({ cosine: 0.8, phraseSimilarity: 1, skeletonGain: -0.8 });
    // A side with no differing words has nothing to compare: similarity 0.
    expect(matchFeatures(0.8, { phrases: [[1, 0], null], skeletons: [[1, 0], [1, 0]] })).toEqual({ cosine: 0.8, phraseSimilarity: 0, skeletonGain: 0.19999999999999996 });
  });

  it("scores with the standardized logistic model", () => {
    expect(matchProbability(model, { cosine: 0, phraseSimilarity: 0.5, skeletonGain: 0 })).toBeCloseTo(0.5, 10);
    expect(matchProbability(model, { cosine: 0, phraseSimilarity: 1, skeletonGain: 0 })).toBeCloseTo(1 / (1 + Math.exp(-5)), 10);
    const scaled: MatchModel = { ...model, mean: [0.5, 0, 0], scale: [0.1, 1, 1], weights: [1, 0, 0], bias: 0 };
    expect(matchProbability(scaled, { cosine: 0.6, phraseSimilarity: 0, skeletonGain: 0 })).toBeCloseTo(1 / (1 + Math.exp(-1)), 10);
  });

  it("accepts the same content words, refuses decisive-word edits and conflicting numbers, and lets the model judge reworded texts", () => {
    const same = lexicalDifference("Why does the pod keep crash looping?", "Why is the pod crash looping?");
    expect(verdictFor(same, undefined, model)).toMatchObject({ accept: true, basis: "same" });
    const edit = lexicalDifference("Write a polite reply declining the refund request", "Write a polite reply approving the refund request");
    expect(verdictFor(edit, undefined, model)).toEqual({ accept: false, basis: "minimal", differing: "declining | approving" });
    const numbers = lexicalDifference("Show the top 5 customers by revenue this quarter", "Which 10 clients brought the most money in the last three months?");
    expect(numbers.kind).toBe("reworded");
    expect(verdictFor(numbers, undefined, model)).toMatchObject({ accept: false, basis: "numbers" });
    const otherAnswer = lexicalDifference("Why does the login endpoint return 401 for valid users?", "How long is a session token valid after login?");
    expect(verdictFor(otherAnswer, undefined, model)).toEqual({ accept: false, basis: "answer-type", differing: "reason | quantity" });
    const reworded = lexicalDifference("I forgot my login password and need to change it.", "How do I reset my password?");
    expect(verdictFor(reworded, { cosine: 0.8, phraseSimilarity: 0.9, skeletonGain: 0 }, model)).toMatchObject({ accept: true, basis: "reworded" });
    expect(verdictFor(reworded, { cosine: 0.8, phraseSimilarity: 0.1, skeletonGain: 0 }, model)).toMatchObject({ accept: false, basis: "reworded" });
    // Without a fitted model the cosine threshold, already passed, decides.
    expect(verdictFor(reworded, undefined, undefined)).toMatchObject({ accept: true, basis: "reworded" });
    expect(() => verdictFor(reworded, undefined, model)).toThrow(/needs its features/);
  });

  it("embeds only what reworded candidates need, in one batch, and nothing without a fitted model", async () => {
    const embedder = recordingEmbedder();
    const matcher = createCacheMatcher(embedder, { [embedder.model]: model });
    const verdicts = await matcher.judge("How do I reset my password?", [
      { text: "How do I reset my password please", similarity: 0.99 },
      { text: "How do I change my password?", similarity: 0.9 },
      { text: "I forgot my login password and need to change it.", similarity: 0.7 },
    ]);
    expect(verdicts.map((v) => v.basis)).toEqual(["same", "minimal", "reworded"]);
    expect(verdicts[2]!.probability).toBeTypeOf("number");
    expect(embedder.batches).toEqual([["how reset", "forgot login need change", "do i my password", "i my password and to it"]]);

    const plain = recordingEmbedder();
    const unfitted = await createCacheMatcher(plain, {}).judge("How do I reset my password?", [{ text: "I forgot my login password and need to change it.", similarity: 0.96 }]);
    expect(unfitted).toMatchObject([{ accept: true, basis: "reworded" }]);
    expect(plain.batches).toEqual([]);
  });

  it("is switched by cache_match_check", () => {
    expect(cacheOptionsFromConfig(loadConfig({ env: {}, cwd: "/nonexistent" }))).toMatchObject({ matchCheck: true });
    expect(cacheOptionsFromConfig(loadConfig({ env: { CACHE_MATCH_CHECK: "false" }, cwd: "/nonexistent" }))).toMatchObject({ matchCheck: false });
  });

  it("has fitted coefficients for the local encoder, with a lower bound and a probability threshold in range", () => {
    const fitted = CALIBRATED_MATCH_MODELS["use-lite-512"];
    expect(fitted).toBeDefined();
    expect(fitted!.weights).toHaveLength(3);
    expect(fitted!.lowerBound).toBeGreaterThanOrEqual(0.5);
    expect(fitted!.lowerBound).toBeLessThan(0.97);
    expect(fitted!.minProbability).toBeGreaterThan(0);
    expect(fitted!.minProbability).toBeLessThan(1);
  });
});
