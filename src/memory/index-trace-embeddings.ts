// Embeds the inputs of an agent's (or signature's) traces for similar-trace retrieval.
// Incremental: only traces never embedded, updated since (their `seq` moved), or embedded by
// another model are (re-)embedded, a batch at a time. The traces come from the collector through
// the TraceSource port (memory/ sits below collector/); this file writes only `trace_embeddings`.
import type { Database } from "../db/database.js";
import type { Embedder } from "../llm/embedder.js";
import type { Logger } from "../log/logger.js";
import { silentLogger } from "../log/logger.js";
import { vectorLiteral } from "../db/vector-index.js";
import { ValidationError } from "../errors.js";
import { traceText } from "./trace-text.js";
import type { TraceSource } from "./trace-source.js";

export interface TraceMemoryDeps {
  /** The database: embedding rows are read and written in the tenant's scope; index creation and statistics run on the owner's connection (`upkeep`). */
  db: Pick<Database, "forTenant" | "upkeep">;
  /** The traces, read through the collector (collector/query/create-trace-source.ts). */
  traces: TraceSource;
  embedder: Embedder;
  logger?: Logger;
}

export interface IndexTraceEmbeddingsInput {
  tenant: string;
  /** Restrict to one agent and/or one signature (at least one is required). */
  agent?: string;
  signature?: string;
  /** Only these traces (e.g. the candidates a compiler may pick demos from). Default: all selected. */
  traceIds?: readonly string[];
  /** Traces embedded per round trip. Default 256. */
  batchSize?: number;
}

export interface IndexTraceEmbeddingsReport {
  embedded: number;
  /** Traces with neither input nor problem: recorded so they are not read again, never returned. */
  withoutText: number;
}

/** Brings `trace_embeddings` up to date for the selected traces. */
export async function indexTraceEmbeddings(deps: TraceMemoryDeps, input: IndexTraceEmbeddingsInput): Promise<IndexTraceEmbeddingsReport> {
  if (!input.agent && !input.signature) throw new ValidationError("indexing trace embeddings needs an agent or a signature", { field: "agent" });
  const logger = deps.logger ?? silentLogger;
  const batchSize = input.batchSize ?? 256;
  const report: IndexTraceEmbeddingsReport = { embedded: 0, withoutText: 0 };
  const { pool } = deps.db.forTenant(input.tenant);
  const selection = { ...(input.agent ? { agent: input.agent } : {}), ...(input.signature ? { signature: input.signature } : {}), ...(input.traceIds ? { traceIds: input.traceIds } : {}) };
  const traces = await deps.traces.listTraceSeqs(input.tenant, selection);
  const embedded = await pool.query<{ trace_id: string; trace_seq: string; model: string }>(
    `SELECT "trace_id", "trace_seq"::text AS "trace_seq", "model" FROM "trace_embeddings" WHERE "tenant_id" = $1 AND "trace_id" = ANY($2::text[])`,
    [input.tenant, traces.map((t) => t.id)],
  );
  const current = new Map(embedded.rows.map((e) => [e.trace_id, e]));
  // Never embedded, updated since (seq moved), or embedded by another model; in seq order.
  const stale = traces.filter((t) => {
    const e = current.get(t.id);
    return !e || BigInt(e.trace_seq) < t.seq || e.model !== deps.embedder.model;
  });
  for (let start = 0; start < stale.length; start += batchSize) {
    const ids = stale.slice(start, start + batchSize).map((t) => t.id);
    const byId = new Map((await deps.traces.readTraces(input.tenant, ids)).map((t) => [t.id, t]));
    const pending = ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
    if (pending.length === 0) continue;
    const texts = pending.map((r) => traceText(r.input, r.problem));
    const withText = pending.flatMap((r, i) => (texts[i] === undefined ? [] : [{ row: r, text: texts[i]! }]));
    const vectors = withText.length > 0 ? await deps.embedder.embed(withText.map((w) => w.text)) : [];
    const dim = vectors[0]?.length ?? 0;
    // DDL is the owner's: under a tenant scope the restricted role may not create the index.
    if (dim > 0) await deps.db.upkeep.ensureVectorIndex("trace_embeddings", { model: deps.embedder.model, dim });
    const vectorOf = new Map(withText.map((w, i) => [w.row.id, vectors[i]!]));
    const values: unknown[] = [];
    const rows = pending.map((r) => {
      const v = vectorOf.get(r.id);
      values.push(input.tenant, r.id, r.agent, r.signature ?? null, r.seq.toString(), r.outcome?.success ?? null, deps.embedder.model, v ? dim : 0, v ? vectorLiteral(v, dim) : null);
      const b = values.length - 9;
      return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}::bigint, $${b + 6}::boolean, $${b + 7}, $${b + 8}::int, $${b + 9}::vector)`;
    });
    await pool.query(
      `INSERT INTO "trace_embeddings" ("tenant_id", "trace_id", "agent", "signature", "trace_seq", "success", "model", "dim", "embedding") VALUES ${rows.join(",")}
       ON CONFLICT ("tenant_id", "trace_id") DO UPDATE SET "agent" = EXCLUDED."agent", "signature" = EXCLUDED."signature", "trace_seq" = EXCLUDED."trace_seq",
         "success" = EXCLUDED."success", "model" = EXCLUDED."model", "dim" = EXCLUDED."dim", "embedding" = EXCLUDED."embedding", "created_at" = now()`,
      values,
    );
    report.embedded += withText.length;
    report.withoutText += pending.length - withText.length;
  }
  if (report.embedded > 0) await deps.db.upkeep.analyzeVectorTable("trace_embeddings");
  logger.info({ name: "trace-embeddings-indexed", agent: input.agent, signature: input.signature, ...report }, "trace embeddings up to date");
  return report;
}
