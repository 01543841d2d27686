// Similar-trace retrieval for the compiler's demo selection: the successful traces whose inputs
// are nearest to a dev-set input. Run indexTraceEmbeddings first so recent traces are included.
import { searchNearest } from "../db/vector-search.js";
import { ValidationError } from "../errors.js";
import type { TraceMemoryDeps } from "./index-trace-embeddings.js";
import { traceText } from "./trace-text.js";

export interface NearestSuccessfulTracesInput {
  tenant: string;
  /** At least one of agent and signature. */
  agent?: string;
  signature?: string;
  /** The dev-set input (signature input fields, or text). */
  input: Record<string, unknown> | string;
  /** Traces to return. Default 5. */
  k?: number;
  /** Traces never to return (e.g. the dev-set item's own trace). */
  excludeTraceIds?: readonly string[];
  /** Only these traces may be returned (e.g. the compiler's training examples). Default: any. */
  onlyTraceIds?: readonly string[];
  /** HNSW ef_search for this query. Default 40. */
  efSearch?: number;
}

export interface SimilarTrace {
  traceId: string;
  /** Cosine similarity of the trace's input to `input`. */
  similarity: number;
  input: unknown;
  output: unknown;
  score: number | null;
  promptVersion: string | null;
}

/** The `k` successful traces nearest to `input`, most similar first. */
export async function nearestSuccessfulTraces(deps: TraceMemoryDeps, q: NearestSuccessfulTracesInput): Promise<SimilarTrace[]> {
  if (!q.agent && !q.signature) throw new ValidationError("similar-trace retrieval needs an agent or a signature", { field: "agent" });
  if (q.onlyTraceIds?.length === 0) return [];
  const text = traceText(q.input);
  if (!text) throw new ValidationError("input: must not be empty", { field: "input" });
  const [vector] = await deps.embedder.embed([text]);
  if (!vector) return [];
  const space = { model: deps.embedder.model, dim: vector.length };
  await deps.db.upkeep.ensureVectorIndex("trace_embeddings", space);
  const rows = await searchNearest<{ trace_id: string }>(deps.db.forTenant(q.tenant).pool, {
    table: "trace_embeddings",
    space,
    vector,
    k: q.k ?? 5,
    efSearch: q.efSearch,
    select: `v."trace_id"`,
    // Success as of the last indexing (it re-embeds a trace whose outcome changed: its seq moved).
    where: (p) =>
      [
        `v."tenant_id" = ${p(q.tenant)}`,
        `v."success" = true`,
        q.agent ? `v."agent" = ${p(q.agent)}` : "",
        q.signature ? `v."signature" = ${p(q.signature)}` : "",
        q.excludeTraceIds?.length ? `NOT (v."trace_id" = ANY(${p(q.excludeTraceIds)}::text[]))` : "",
        q.onlyTraceIds ? `v."trace_id" = ANY(${p(q.onlyTraceIds)}::text[])` : "",
      ]
        .filter(Boolean)
        .join(" AND "),
  });
  // The content comes from the collector; a trace no longer successful (not re-indexed yet) is left out.
  const traces = new Map((await deps.traces.readTraces(q.tenant, rows.map((r) => r.trace_id))).map((t) => [t.id, t]));
  return rows.flatMap((r) => {
    const t = traces.get(r.trace_id);
    if (t?.outcome?.success !== true) return [];
    return [{ traceId: r.trace_id, similarity: 1 - r.distance, input: t.input ?? null, output: t.output ?? null, score: t.outcome.score ?? null, promptVersion: t.promptVersion ?? null }];
  });
}
