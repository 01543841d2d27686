import { describe, expect, it } from "vitest";
import { citationsOf, citedIn, withSources } from "./cite-references.js";

const passages = [1, 2, 3].map((rank) => ({ rank, documentId: `doc-${rank}`, path: `data/doc${rank}.md`, page: rank === 2 ? 4 : null, chunk: rank, text: "t", score: 0.9 }));

describe("research citations", () => {
  it("numbers passages as the prompt shows them, with their source", () => {
    expect(citationsOf(passages)[1]).toEqual({ n: 2, source: "data/doc2.md, page 4, chunk 2", path: "data/doc2.md", page: 4, chunk: 2 });
  });

  it("lists only the passages the answer cites, in any common bracket form", () => {
    const all = citationsOf(passages);
    expect(citedIn("Revenue grew [3].", all).map((c) => c.n)).toEqual([3]);
    expect(citedIn("See [1, 3] and [2][9].", all).map((c) => c.n)).toEqual([1, 2, 3]);
    expect(citedIn("No citation here.", all)).toEqual([]);
  });

  it("appends the cited sources to an answer for the synthesizer", () => {
    const cited = citedIn("A [1].", citationsOf(passages));
    expect(withSources("A [1].", cited)).toBe("A [1].\nSources: [1] data/doc1.md, chunk 1");
    expect(withSources("A.", [])).toBe("A.");
  });
});
