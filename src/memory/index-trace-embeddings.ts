// Embeds the inputs of an agent's (or signature's) traces for similar-trace retrieval.
// Incremental: only traces never embedded, updated since (their `seq` moved), or embedded by
// another model are (re-)embedded, a batch at a time.
import type { Database } from "../db/database.js";
import type { Embedder } from "../llm/embedder.js";
import type { Logger } from "../log/logger.js";
import { silentLogger } from "../log/logger.js";
import { vectorLiteral } from "../db/vector-index.js";
import { ValidationError } from "../errors.js";
import { traceText } from "./trace-text.js";

export interface TraceMemoryDeps {
  /** The database: trace rows are read and written in the tenant's scope; index creation and statistics run on the owner's connection (`upkeep`). */
  db: Pick<Database, "forTenant" | "upkeep">;
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

interface PendingTrace {
  id: string;
  agent: string;
  signature: string | null;
  success: boolean | null;
  seq: string;
  input: unknown;
  problem: unknown;
}

/** Brings `trace_embeddings` up to date for the selected traces. */
export async function indexTraceEmbeddings(deps: TraceMemoryDeps, input: IndexTraceEmbeddingsInput): Promise<IndexTraceEmbeddingsReport> {
  if (!input.agent && !input.signature) throw new ValidationError("indexing trace embeddings needs an agent or a signature", { field: "agent" });
  const logger = deps.logger ?? silentLogger;
  const batchSize = input.batchSize ?? 256;
  const report: IndexTraceEmbeddingsReport = { embedded: 0, withoutText: 0 };
  const { pool } = deps.db.forTenant(input.tenant);
  for (;;) {
    const pending = await pool.query<PendingTrace>(
      `SELECT t."id", t."agent", t."signature", t."success", t."seq"::text AS "seq", t."input", t."problem"
       FROM "traces" t LEFT JOIN "trace_embeddings" e ON e."tenant_id" = t."tenant_id" AND e."trace_id" = t."id"
       WHERE t."tenant_id" = $1 AND ($2::text IS NULL OR t."agent" = $2) AND ($3::text IS NULL OR t."signature" = $3)
         AND (e."trace_id" IS NULL OR e."trace_seq" < t."seq" OR e."model" <> $4)
         AND ($6::text[] IS NULL OR t."id" = ANY($6::text[]))
       ORDER BY t."seq" LIMIT $5`,
      [input.tenant, input.agent ?? null, input.signature ?? null, deps.embedder.model, batchSize, input.traceIds ? [...input.traceIds] : null],
    );
    if (pending.rows.length === 0) break;
    const texts = pending.rows.map((r) => traceText(r.input, r.problem));
    const withText = pending.rows.flatMap((r, i) => (texts[i] === undefined ? [] : [{ row: r, text: texts[i]! }]));
    const vectors = withText.length > 0 ? await deps.embedder.embed(withText.map((w) => w.text)) : [];
    const dim = vectors[0]?.length ?? 0;
    // DDL is the owner's: under a tenant scope the restricted role may not create the index.
    if (dim > 0) await deps.db.upkeep.ensureVectorIndex("trace_embeddings", { model: deps.embedder.model, dim });
    const vectorOf = new Map(withText.map((w, i) => [w.row.id, vectors[i]!]));
    const values: unknown[] = [];
    const rows = pending.rows.map((r) => {
      const v = vectorOf.get(r.id);
      values.push(input.tenant, r.id, r.agent, r.signature, r.seq, r.success, deps.embedder.model, v ? dim : 0, v ? vectorLiteral(v, dim) : null);
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
    report.withoutText += pending.rows.length - withText.length;
  }
  if (report.embedded > 0) await deps.db.upkeep.analyzeVectorTable("trace_embeddings");
  logger.info({ name: "trace-embeddings-indexed", agent: input.agent, signature: input.signature, ...report }, "trace embeddings up to date");
  return report;
}
