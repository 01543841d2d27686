// Maps configuration onto the semantic cache's options, so the service, the CLI and the
// orchestrator build the cache the same way.
import type { Config } from "../config/index.js";
import type { Logger } from "../log/logger.js";
import type { SemanticCacheOptions } from "./semantic-cache.js";

export type CacheConfig = Pick<Config, "cacheEnabled" | "cacheMatchCheck" | "cacheSimilarityThreshold" | "cacheSimilarityThresholds" | "cacheTtlSeconds" | "vectorEfSearch">;

/** The cache's options from configuration, or null when `cache_enabled` is false. */
export function cacheOptionsFromConfig(config: CacheConfig, logger?: Logger): SemanticCacheOptions | null {
  if (!config.cacheEnabled) return null;
  return {
    ...(config.cacheSimilarityThreshold !== undefined ? { threshold: config.cacheSimilarityThreshold } : {}),
    thresholds: config.cacheSimilarityThresholds,
    matchCheck: config.cacheMatchCheck,
    ttlSeconds: config.cacheTtlSeconds,
    efSearch: config.vectorEfSearch,
    ...(logger ? { logger } : {}),
  };
}
