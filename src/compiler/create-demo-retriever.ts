// Builds the optimizer's DemoRetriever from similar-trace retrieval: on first use it brings the
// signature's trace embeddings up to date (incremental), then asks, for every dev-set input, for
// the nearest successful traces among the optimizer's candidates. Dev-set traces are excluded
// twice over (not candidates, and excluded by id), so a demo never answers its own test.
import type { Logger } from "../log/logger.js";
import type { SimilarTraces } from "../memory/similar-traces.js";
import { traceText } from "../memory/trace-text.js";
import type { Example } from "./example.js";
import type { DemoRetriever, RetrievedDemo } from "./optimizers/optimizer.js";

export interface CreateDemoRetrieverInput {
  tenant: string;
  /** Signature whose traces are indexed and searched. */
  signature: string;
  /** The inputs the compiled version will be judged on: the dev-set examples. */
  targets: readonly Example[];
  logger: Logger;
  /** HNSW ef_search of each query. Default: the vector search default (40). */
  efSearch?: number;
}

/** pgvector's HNSW search returns at most this many rows per query (see buildNearestQuery). */
const MAX_K = 1000;

/**
 * Candidates retrieval looks at, most recent last. Each new trace costs an embedding and an HNSW
 * insert (milliseconds on the embedded database); a few thousand recent successes are plenty to
 * find close demos, and the first cycle on a large backlog stays bounded.
 */
export const MAX_RETRIEVAL_POOL = 2000;

/**
 * The retriever handed to the optimizer. Retrieval is an improvement, not a requirement: when the
 * embedder or the index fails, the failure is logged and the retriever answers nothing, so the
 * optimizer falls back to diverse demos from the whole pool.
 */
export function createDemoRetriever(memory: SimilarTraces, input: CreateDemoRetrieverInput): DemoRetriever {
  const { tenant, signature, logger } = input;
  const targetIds = input.targets.map((t) => t.id);
  const excluded = new Set(targetIds);
  // Inputs with nothing to embed cannot be searched for.
  const queries = input.targets.filter((t) => traceText(t.input) !== undefined);
  // Only the optimizer's candidates are embedded (incrementally: already embedded ones are skipped).
  const ensureIndexed = (traceIds: readonly string[]) =>
    memory.index({ tenant, signature, traceIds }).then(
      () => true,
      (error: unknown) => {
        logger.warn({ name: "demo-retrieval-failed", signature, stage: "index", err: error }, "similar-trace index unavailable; demos chosen from the whole pool");
        return false;
      },
    );

  return async (candidates, perInput) => {
    const onlyTraceIds = candidates.map((c) => c.id).filter((id) => !excluded.has(id)).slice(-MAX_RETRIEVAL_POOL);
    if (onlyTraceIds.length === 0 || queries.length === 0 || perInput < 1) return [];
    if (!(await ensureIndexed(onlyTraceIds))) return [];
    const k = Math.min(perInput, onlyTraceIds.length, MAX_K);
    const best = new Map<string, number>();
    try {
      for (const target of queries) {
        const near = await memory.nearest({ tenant, signature, input: target.input, k, excludeTraceIds: targetIds, onlyTraceIds, ...(input.efSearch ? { efSearch: input.efSearch } : {}) });
        for (const n of near) best.set(n.traceId, Math.max(best.get(n.traceId) ?? -Infinity, n.similarity));
      }
    } catch (error) {
      logger.warn({ name: "demo-retrieval-failed", signature, stage: "search", err: error }, "similar-trace search failed; demos chosen from the whole pool");
      return [];
    }
    const retrieved: RetrievedDemo[] = [...best].map(([id, similarity]) => ({ id, similarity }));
    retrieved.sort((a, b) => b.similarity - a.similarity || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    logger.debug({ name: "demo-candidates-retrieved", signature, targets: queries.length, perInput: k, candidates: onlyTraceIds.length, retrieved: retrieved.length }, "demo candidates near the dev-set inputs");
    return retrieved;
  };
}
