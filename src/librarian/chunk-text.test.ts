import { describe, it, expect } from "vitest";
import { chunkPages } from "./chunk-text.js";

describe("chunkPages", () => {
  it("keeps short paragraphs of a page together in one chunk", () => {
    expect(chunkPages([{ page: null, text: "Alpha one.\n\nBeta two.\n" }])).toEqual([{ idx: 0, page: null, text: "Alpha one.\n\nBeta two." }]);
  });

  it("never crosses a PDF page and numbers chunks across the document", () => {
    const chunks = chunkPages([
      { page: 1, text: "Page one text." },
      { page: 2, text: "Page two text." },
    ]);
    expect(chunks.map((c) => [c.idx, c.page, c.text])).toEqual([
      [0, 1, "Page one text."],
      [1, 2, "Page two text."],
    ]);
  });

  it("splits long text into chunks of at most the target size that overlap", () => {
    const text = Array.from({ length: 60 }, (_, i) => `Sentence number ${i} talks about pods and nodes.`).join(" ");
    const chunks = chunkPages([{ page: null, text }], { chunkChars: 300, overlap: 60 });
    expect(chunks.length).toBeGreaterThan(5);
    for (const c of chunks) expect(c.text.length).toBeLessThanOrEqual(300);
    const firstTail = chunks[0]!.text.slice(-30);
    expect(chunks[1]!.text).toContain(firstTail.slice(firstTail.indexOf(" ") + 1));
  });

  it("starts a new chunk at each Markdown heading", () => {
    const chunks = chunkPages([{ page: null, text: "# Install\n\nRun npm install.\n\n## Configure\n\nSet PORT." }]);
    expect(chunks.map((c) => c.text)).toEqual(["# Install\n\nRun npm install.", "## Configure\n\nSet PORT."]);
  });
});
