// The similar-trace retrieval port the compiler holds: keep a signature's trace embeddings up to
// date, then find the successful traces nearest to an input. One object, so the compiler's deps
// carry the pool, the trace source and the embedder that made the index together.
import { indexTraceEmbeddings, type IndexTraceEmbeddingsInput, type IndexTraceEmbeddingsReport, type TraceMemoryDeps } from "./index-trace-embeddings.js";
import { nearestSuccessfulTraces, type NearestSuccessfulTracesInput, type SimilarTrace } from "./nearest-successful-traces.js";

export interface SimilarTraces {
  /** Embeds the selected traces not embedded yet (or changed since); see indexTraceEmbeddings. */
  index(input: IndexTraceEmbeddingsInput): Promise<IndexTraceEmbeddingsReport>;
  /** The successful traces nearest to an input; see nearestSuccessfulTraces. */
  nearest(input: NearestSuccessfulTracesInput): Promise<SimilarTrace[]>;
}

/** Similar-trace retrieval over `trace_embeddings` with `deps.embedder`. */
export function createSimilarTraces(deps: TraceMemoryDeps): SimilarTraces {
  return {
    index: (input) => indexTraceEmbeddings(deps, input),
    nearest: (input) => nearestSuccessfulTraces(deps, input),
  };
}
