// Semantic search over the tenant's library: the passages nearest to a query, each with the
// citation (path, page, chunk) needed to quote it.
import { z } from "zod";
import { searchNearest } from "../db/vector-search.js";
import { ValidationError } from "../errors.js";
import { formatZodIssues } from "../domain/format-issues.js";
import type { LibraryDeps } from "./index-library.js";

export const LibrarySearchInputSchema = z.object({
  tenant: z.string().min(1),
  query: z.string().trim().min(1, "must not be empty").max(10_000, "at most 10000 characters"),
  /** Passages to return. Default 5. */
  k: z.coerce.number().int("must be an integer").min(1, "must be at least 1").max(50, "must be at most 50").default(5),
  /** HNSW ef_search for this query. Default 40. */
  efSearch: z.number().int().min(1).max(1000).optional(),
});
export type LibrarySearchInput = z.input<typeof LibrarySearchInputSchema>;

export interface LibraryPassage {
  /** 1-based rank, used as the citation number [n]. */
  rank: number;
  /** The document's id in the tenant's library (`library_documents.id`). */
  documentId: string;
  path: string;
  /** 1-based PDF page, null for text files. */
  page: number | null;
  /** 0-based chunk index within the document. */
  chunk: number;
  text: string;
  /** Cosine similarity to the query (1 = same direction). */
  score: number;
}

/** Returns the `k` passages nearest to `query`, best first. */
export async function searchLibrary(deps: LibraryDeps, input: LibrarySearchInput): Promise<LibraryPassage[]> {
  const parsed = LibrarySearchInputSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError(`invalid library search: ${formatZodIssues(parsed.error.issues)}`, parsed.error.issues);
  const { tenant, query, k, efSearch } = parsed.data;
  const [vector] = await deps.embedder.embed([query]);
  if (!vector) return [];
  const space = { model: deps.embedder.model, dim: vector.length };
  // Refuses, with a clear error, a library indexed with another embedding model.
  await deps.db.upkeep.ensureVectorIndex("library_chunks", space);
  const rows = await searchNearest<{ document_id: string; path: string; page: number | null; idx: number; text: string }>(deps.db.forTenant(tenant).pool, {
    table: "library_chunks",
    space,
    vector,
    k,
    efSearch,
    select: `d."id" AS "document_id", d."path", v."page", v."idx", v."text"`,
    join: `JOIN "library_documents" d ON d."id" = v."document_id"`,
    where: (p) => `v."tenant_id" = ${p(tenant)}`,
  });
  return rows.map((r, i) => ({ rank: i + 1, documentId: r.document_id, path: r.path, page: r.page, chunk: r.idx, text: r.text, score: 1 - r.distance }));
}
