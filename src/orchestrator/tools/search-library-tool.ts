// `search_library`: the Librarian as a tool. Searches the caller's tenant's indexed documents (and
// only those: the search runs in the tenant's database scope) and returns the nearest passages,
// each with its document id and citation.
import { z } from "zod";
import { searchLibrary } from "../../librarian/search-library.js";
import { citationOf } from "../../librarian/research.js";
import type { LibraryDeps } from "../../librarian/index-library.js";
import type { ServiceTool } from "./service-tool.js";

export interface SearchLibraryToolSettings {
  /** Passages returned when the model asks for no `k` (config `orchestrator_research_passages`). */
  defaultPassages: number;
}

const SearchLibraryArgs = z.strictObject({
  query: z.string().trim().min(1, "must not be empty").max(10_000, "at most 10000 characters"),
  k: z.number().int("must be an integer").min(1, "must be at least 1").max(20, "must be at most 20").optional(),
});

/** `library()` is called on first use: the embedder is built only when a signature searches. */
export function searchLibraryTool(library: () => LibraryDeps, settings: SearchLibraryToolSettings): ServiceTool<z.infer<typeof SearchLibraryArgs>> {
  return {
    name: "search_library",
    description: "Searches the indexed document library for passages relevant to a query. Returns the best passages, each with its document id, citation and text.",
    parameters: {
      type: "object",
      properties: {
        query: { type: "string", description: "What to look for, in words." },
        k: { type: "integer", minimum: 1, maximum: 20, description: "How many passages to return." },
      },
      required: ["query"],
      additionalProperties: false,
    },
    args: SearchLibraryArgs,
    async call(args, context) {
      const passages = await searchLibrary(library(), { tenant: context.tenant, query: args.query, k: args.k ?? settings.defaultPassages });
      return {
        ok: true,
        response: JSON.stringify({
          passages: passages.map((p) => ({ rank: p.rank, documentId: p.documentId, citation: citationOf(p), score: Math.round(p.score * 1000) / 1000, text: p.text })),
        }),
      };
    },
  };
}
