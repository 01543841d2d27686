// GET /v1/library/search?q=&k= — semantic search over the tenant's library, with citations.
import { Router } from "express";
import { z } from "zod";
import { parseInput } from "../../domain/input-safety.js";
import { tenantOf } from "../tenant.js";
import type { LibraryPassage } from "../../librarian/search-library.js";
import { citationOf } from "../../librarian/research.js";

export interface LibraryRouteDeps {
  /** searchLibrary bound to the database and embedder. */
  search(input: { tenant: string; query: string; k: number }): Promise<LibraryPassage[]>;
}

export const SearchQuerySchema = z.object({
  q: z.string({ message: "is required" }).trim().min(1, "must not be empty").max(10_000, "at most 10000 characters"),
  k: z.coerce.number({ message: "must be an integer" }).int("must be an integer").min(1, "must be at least 1").max(50, "must be at most 50").default(5),
});

export function libraryRoutes(deps: LibraryRouteDeps): Router {
  const router = Router();
  router.get("/v1/library/search", async (req, res) => {
    const { q, k } = parseInput(SearchQuerySchema, req.query, "query");
    const passages = await deps.search({ tenant: tenantOf(res), query: q, k });
    res.json({ query: q, k, passages: passages.map((p) => ({ ...p, citation: citationOf(p) })) });
  });
  return router;
}
