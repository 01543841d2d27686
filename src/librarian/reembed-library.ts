// Re-embedding of the Librarian's chunks after the embedder changed: each chunk's text is
// embedded again, so a library need not be re-read from its files (`librarian index --rebuild`).
import type { ReembedTableSpec } from "../memory/reembed-table.js";

export const LIBRARY_CHUNKS_REEMBED: ReembedTableSpec = {
  table: "library_chunks",
  select: `SELECT "id" AS "key", "model", "text" FROM "library_chunks" WHERE "tenant_id" = $1 AND "model" <> $2 ORDER BY "id" LIMIT $3`,
  update: `UPDATE "library_chunks" SET "model" = $4, "dim" = $5, "embedding" = $6::vector WHERE "tenant_id" = $1 AND "id" = $2 AND "model" = $3`,
  count: `SELECT count(*) AS "n" FROM "library_chunks" WHERE "tenant_id" = $1 AND "model" <> $2`,
  textOf: (row) => (typeof row.text === "string" && row.text.length > 0 ? row.text : undefined),
};
