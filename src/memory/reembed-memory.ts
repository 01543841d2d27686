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

/** Trace embeddings: the trace's input (else its problem), as indexTraceEmbeddings embeds it. */
export const TRACE_EMBEDDINGS_REEMBED: ReembedTableSpec = {
  table: "trace_embeddings",
  select: `SELECT e."trace_id" AS "key", e."model", t."input", t."problem" FROM "trace_embeddings" e JOIN "traces" t ON t."tenant_id" = e."tenant_id" AND t."id" = e."trace_id"
           WHERE e."tenant_id" = $1 AND e."model" <> $2 ORDER BY e."trace_id" LIMIT $3`,
  update: `UPDATE "trace_embeddings" SET "model" = $4, "dim" = $5, "embedding" = $6::vector, "created_at" = now() WHERE "tenant_id" = $1 AND "trace_id" = $2 AND "model" = $3`,
  count: `SELECT count(*) AS "n" FROM "trace_embeddings" WHERE "tenant_id" = $1 AND "model" <> $2`,
  textOf: (row) => traceText(row.input, row.problem),
};
