// The embeddings of trace inputs, for grouping traces into intents (clustering): brings the
// selected traces' embeddings up to date with the shared embedder, then returns them with the
// model that made them. Only vectors of the current model come back, so a grouping never mixes
// embedders (rows of an earlier one are re-embedded on the way, as indexTraceEmbeddings does).
import { indexTraceEmbeddings, type TraceMemoryDeps } from "./index-trace-embeddings.js";
import { ValidationError } from "../errors.js";

export interface TraceInputVectorsInput {
  tenant: string;
  /** At least one of agent and signature. */
  agent?: string;
  signature?: string;
  /** Only these traces. Default: every trace of the agent / signature. */
  traceIds?: readonly string[];
  /** Most traces returned, most recent first. Default 10 000. */
  limit?: number;
}

export interface TraceInputVectors {
  /** Model id of every vector (the embedder's `model`). */
  model: string;
  dim: number;
  traces: { traceId: string; vector: number[] }[];
}

export async function traceInputVectors(deps: TraceMemoryDeps, input: TraceInputVectorsInput): Promise<TraceInputVectors> {
  if (!input.agent && !input.signature) throw new ValidationError("trace input vectors need an agent or a signature", { field: "agent" });
  await indexTraceEmbeddings(deps, { tenant: input.tenant, ...(input.agent ? { agent: input.agent } : {}), ...(input.signature ? { signature: input.signature } : {}), ...(input.traceIds ? { traceIds: input.traceIds } : {}) });
  // Read after indexing: the model is the one the vectors were just made with.
  const model = deps.embedder.model;
  const rows = await deps.db.forTenant(input.tenant).pool.query<{ trace_id: string; embedding: string; dim: number }>(
    `SELECT "trace_id", "embedding"::text AS "embedding", "dim" FROM "trace_embeddings"
     WHERE "tenant_id" = $1 AND "model" = $2 AND "dim" > 0 AND ($3::text IS NULL OR "agent" = $3) AND ($4::text IS NULL OR "signature" = $4)
       AND ($5::text[] IS NULL OR "trace_id" = ANY($5::text[]))
     ORDER BY "trace_seq" DESC LIMIT $6`,
    [input.tenant, model, input.agent ?? null, input.signature ?? null, input.traceIds ? [...input.traceIds] : null, input.limit ?? 10_000],
  );
  return {
    model,
    dim: rows.rows[0]?.dim ?? 0,
    // pgvector's text form is a JSON array.
    traces: rows.rows.map((r) => ({ traceId: r.trace_id, vector: JSON.parse(r.embedding) as number[] })),
  };
}
