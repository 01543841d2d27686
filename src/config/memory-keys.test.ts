import { describe, it, expect } from "vitest";
import { loadConfig } from "./load-config.js";

describe("vector memory configuration keys", () => {
  it("defaults to a conservative cache threshold, a 7-day TTL and the data/ library", () => {
    const c = loadConfig({ env: {}, cwd: "/nonexistent" });
    expect(c).toMatchObject({ cacheEnabled: true, cacheSimilarityThresholds: {}, cacheTtlSeconds: 604800, vectorEfSearch: 40, libraryDir: "data" });
    // Unset: the embedder's calibrated threshold applies (defaultCacheThreshold).
    expect(c.cacheSimilarityThreshold).toBeUndefined();
  });

  it("runs the cache's second check unless cache_match_check is false", () => {
    expect(loadConfig({ env: {}, cwd: "/nonexistent" }).cacheMatchCheck).toBe(true);
    expect(loadConfig({ env: { CACHE_MATCH_CHECK: "false" }, cwd: "/nonexistent" }).cacheMatchCheck).toBe(false);
  });

  it("reads per-signature thresholds from the environment as name=value pairs", () => {
    const c = loadConfig({ env: { CACHE_SIMILARITY_THRESHOLDS: "diagnose=0.9, triage = 0.97" }, cwd: "/nonexistent" });
    expect(c.cacheSimilarityThresholds).toEqual({ diagnose: 0.9, triage: 0.97 });
  });

  it("names the key when a threshold is out of range", () => {
    expect(() => loadConfig({ env: { CACHE_SIMILARITY_THRESHOLDS: "diagnose=1.5" }, cwd: "/nonexistent" })).toThrow(/CACHE_SIMILARITY_THRESHOLDS.*between 0 and 1/);
    expect(() => loadConfig({ env: { VECTOR_EF_SEARCH: "0" }, cwd: "/nonexistent" })).toThrow(/VECTOR_EF_SEARCH/);
  });
});
