// The orchestrator's "research" capability: retrieve library passages for a question and render
// them as prompt context whose every passage carries a numbered source citation.
import type { LibraryDeps } from "./index-library.js";
import { searchLibrary, type LibraryPassage } from "./search-library.js";

export interface ResearchContextOptions {
  /** Upper bound on the rendered context, in characters; lower-ranked passages are dropped first. Default 6000. */
  maxChars?: number;
}

/** `data/report.pdf, page 2, chunk 5` */
export function citationOf(p: Pick<LibraryPassage, "path" | "page" | "chunk">): string {
  return `${p.path}${p.page === null ? "" : `, page ${p.page}`}, chunk ${p.chunk}`;
}

/**
 * Formats passages for a prompt: an instruction to cite, then `[n] (source) text` blocks.
 * Returns an empty context when there is nothing to cite, so callers can leave the block out.
 */
export function formatResearchContext(passages: readonly LibraryPassage[], options: ResearchContextOptions = {}): { context: string; cited: LibraryPassage[] } {
  const maxChars = options.maxChars ?? 6000;
  if (passages.length === 0) return { context: "", cited: [] };
  const header = "Research notes from the document library. Use them when relevant and cite them by number, e.g. [1].";
  let context = header;
  const cited: LibraryPassage[] = [];
  for (const p of passages) {
    const n = cited.length + 1;
    const block = `\n\n[${n}] (${citationOf(p)})\n${p.text}`;
    if (context.length + block.length > maxChars && cited.length > 0) break;
    // The best passage is always kept, trimmed if it alone exceeds the budget.
    context += block.length > maxChars ? block.slice(0, Math.max(0, maxChars - context.length)) : block;
    cited.push({ ...p, rank: n });
  }
  return { context, cited };
}

/** Searches the library and returns ready-to-use prompt context plus the passages it cites. */
export async function research(
  deps: LibraryDeps,
  input: { tenant: string; question: string; k?: number; efSearch?: number } & ResearchContextOptions,
): Promise<{ context: string; passages: LibraryPassage[] }> {
  const passages = await searchLibrary(deps, { tenant: input.tenant, query: input.question, k: input.k ?? 5, efSearch: input.efSearch });
  const { context, cited } = formatResearchContext(passages, input);
  return { context, passages: cited };
}
