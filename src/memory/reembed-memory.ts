// Re-embedding of the tables memory/ owns (semantic cache entries, trace embeddings) after the
// embedder changed: each row's text is embedded again with the current embedder.
import type { ReembedTableSpec } from "./reembed-table.js";
import { traceText } from "./trace-text.js";

/** Cache entries: the stored normalized input text. */
export const CACHE_ENTRIES_REEMBED: ReembedTableSpec = {
  table: "cache_entries",
  select: `SELECT "id" AS "key", "model", "input_text" AS "text" FROM "cache_entries" WHERE "tenant_id" = $1 AND "model" <> $2 ORDER BY "id" LIMIT $3`,
  update: `UPDATE "cache_entries" SET "model" = $4, "dim" = $5, "embedding" = $6::vector WHERE "tenant_id" = $1 AND "id" = $2 AND "model" = $3`,
  count: `SELECT count(*) AS "n" FROM "cache_entries" WHERE "tenant_id" = $1 AND "model" <> $2`,
  textOf: (row) => (typeof row.text === "string" && row.text.length > 0 ? row.text : undefined),
};

/** Trace embeddings: the trace's input (else its problem), as indexTraceEmbeddings embeds it, read through the collector. */
export const TRACE_EMBEDDINGS_REEMBED: ReembedTableSpec = {
  table: "trace_embeddings",
  select: `SELECT "trace_id" AS "key", "model" FROM "trace_embeddings" WHERE "tenant_id" = $1 AND "model" <> $2 ORDER BY "trace_id" LIMIT $3`,
  async read(tenant, rows, traces) {
    const byId = new Map((await traces.readTraces(tenant, rows.map((r) => String(r.key)))).map((t) => [t.id, t]));
    return rows.map((r) => ({ ...r, input: byId.get(String(r.key))?.input ?? null, problem: byId.get(String(r.key))?.problem ?? null }));
  },
  update: `UPDATE "trace_embeddings" SET "model" = $4, "dim" = $5, "embedding" = $6::vector, "created_at" = now() WHERE "tenant_id" = $1 AND "trace_id" = $2 AND "model" = $3`,
  count: `SELECT count(*) AS "n" FROM "trace_embeddings" WHERE "tenant_id" = $1 AND "model" <> $2`,
  textOf: (row) => traceText(row.input, row.problem),
};
