import { describe, it, expect } from "vitest";
import { citationOf, formatResearchContext } from "./research.js";
import type { LibraryPassage } from "./search-library.js";

const passage = (rank: number, text: string, page: number | null = null): LibraryPassage => ({ rank, documentId: `doc-${rank}`, path: `data/doc${rank}.md`, page, chunk: rank - 1, text, score: 0.9 });

describe("formatResearchContext", () => {
  it("numbers passages and cites path, page and chunk", () => {
    const { context, cited } = formatResearchContext([passage(1, "Alpha.", 3), passage(2, "Beta.")]);
    expect(context).toContain("[1] (data/doc1.md, page 3, chunk 0)\nAlpha.");
    expect(context).toContain("[2] (data/doc2.md, chunk 1)\nBeta.");
    expect(cited.map((c) => c.rank)).toEqual([1, 2]);
  });

  it("drops lower-ranked passages that do not fit the budget but always keeps the best one", () => {
    const { context, cited } = formatResearchContext([passage(1, "x".repeat(300)), passage(2, "y".repeat(300))], { maxChars: 500 });
    expect(cited).toHaveLength(1);
    expect(context.length).toBeLessThanOrEqual(500);
  });

  it("returns no context when there is nothing to cite", () => {
    expect(formatResearchContext([])).toEqual({ context: "", cited: [] });
    expect(citationOf({ path: "a.pdf", page: 2, chunk: 4 })).toBe("a.pdf, page 2, chunk 4");
  });
});
