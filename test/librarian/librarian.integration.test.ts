import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { testEmbedder } from "../support/embedder.js";
import { makeTempDir } from "../support/temp-dir.js";
import { writePdf } from "../support/pdf.js";
import { indexLibrary } from "../../src/librarian/index-library.js";
import { searchLibrary } from "../../src/librarian/search-library.js";
import { research } from "../../src/librarian/research.js";

describe("the Librarian", () => {
  let t: TestDatabase;
  let root: string;
  const embedder = testEmbedder();
  const deps = () => ({ db: t.db, embedder });
  beforeAll(async () => {
    t = await createTestDatabase();
    root = makeTempDir().dir;
    mkdirSync(path.join(root, "data", "runbooks"), { recursive: true });
    writeFileSync(
      path.join(root, "data", "runbooks", "oom.md"),
      "# OOMKilled pods\n\nWhen a pod is OOMKilled, raise the container memory limit and check for leaks in the heap profile.\n\n## Disk pressure\n\nNodes under disk pressure evict pods; prune unused images with crictl.\n",
    );
    writeFileSync(path.join(root, "data", "notes.txt"), "The on-call rotation changes every Monday at 09:00 UTC.\n");
    writeFileSync(path.join(root, "data", "diagram.png"), "not text");
    await writePdf(path.join(root, "data", "report.pdf"), [
      ["Quarterly report, first quarter.", "Revenue grew twelve percent over the previous quarter."],
      ["Infrastructure costs.", "The GPU cluster for vLLM inference cost 41000 dollars per month."],
    ]);
  });
  afterAll(async () => t.close());

  it("indexes Markdown, text and PDF files into chunks and skips other files", async () => {
    const report = await indexLibrary(deps(), { tenant: "default", dir: "data", baseDir: root });
    expect(report.indexed.map((d) => d.path)).toEqual(["data/notes.txt", "data/report.pdf", "data/runbooks/oom.md"]);
    expect(report.indexed.find((d) => d.path === "data/report.pdf")).toMatchObject({ pages: 2, chunks: 2 });
    expect(report.ignored).toEqual(["data/diagram.png"]);
    expect(report.failed).toEqual([]);
  });

  it("retrieves a PDF passage with its page as the citation", async () => {
    const [best] = await searchLibrary(deps(), { tenant: "default", query: "how much does the GPU cluster for inference cost per month", k: 3 });
    expect(best).toMatchObject({ rank: 1, path: "data/report.pdf", page: 2, chunk: 1 });
    expect(best!.text).toContain("41000 dollars");
  });

  it("retrieves a Markdown section and renders it as prompt context with citations", async () => {
    const { context, passages } = await research(deps(), { tenant: "default", question: "a pod was OOMKilled, what memory limit should I change?", k: 2 });
    expect(passages[0]).toMatchObject({ path: "data/runbooks/oom.md", page: null, chunk: 0 });
    expect(context).toContain("[1] (data/runbooks/oom.md, chunk 0)\n# OOMKilled pods");
    expect(context).toMatch(/cite them by number/);
  });

  it("keeps one tenant's library invisible to another", async () => {
    await t.db.pool.query(`INSERT INTO tenants (id, name) VALUES ('other', 'Other') ON CONFLICT DO NOTHING`);
    expect(await searchLibrary(deps(), { tenant: "other", query: "GPU cluster cost" })).toEqual([]);
  });

  it("skips unchanged files on re-index, re-embeds changed ones and drops deleted ones", async () => {
    writeFileSync(path.join(root, "data", "notes.txt"), "The on-call rotation now changes every Friday at 17:00 UTC.\n");
    rmSync(path.join(root, "data", "runbooks", "oom.md"));
    const calls = embedder.calls;
    const report = await indexLibrary(deps(), { tenant: "default", dir: "data", baseDir: root });
    expect(report.unchanged).toEqual(["data/report.pdf"]);
    expect(report.indexed.map((d) => d.path)).toEqual(["data/notes.txt"]);
    expect(report.removed).toEqual(["data/runbooks/oom.md"]);
    expect(embedder.calls).toBe(calls + 1); // only the changed file was embedded
    const chunks = await t.db.pool.query(`SELECT count(*)::int AS n FROM library_chunks c JOIN library_documents d ON d.id = c.document_id WHERE d.path = 'data/runbooks/oom.md'`);
    expect(chunks.rows[0].n).toBe(0);
    const [best] = await searchLibrary(deps(), { tenant: "default", query: "when does the on-call rotation change", k: 1 });
    expect(best).toMatchObject({ path: "data/notes.txt" });
    expect(best!.text).toContain("Friday");
    const again = await indexLibrary(deps(), { tenant: "default", dir: "data", baseDir: root });
    expect(again.indexed).toEqual([]);
    expect(again.unchanged).toHaveLength(2);
  });

  it("reports an unreadable PDF without losing the other files", async () => {
    writeFileSync(path.join(root, "data", "broken.pdf"), "%PDF-1.4 this is not really a pdf");
    const report = await indexLibrary(deps(), { tenant: "default", dir: "data", baseDir: root });
    expect(report.failed.map((f) => f.path)).toEqual(["data/broken.pdf"]);
    expect(report.unchanged).toHaveLength(2);
  });

  it("rejects an empty query and a folder that does not exist, naming the problem", async () => {
    await expect(searchLibrary(deps(), { tenant: "default", query: "  " })).rejects.toThrow(/query: must not be empty/);
    await expect(searchLibrary(deps(), { tenant: "default", query: "x", k: 0 })).rejects.toThrow(/k: must be at least 1/);
    await expect(indexLibrary(deps(), { tenant: "default", dir: "missing", baseDir: root })).rejects.toThrow(/library folder not found/);
  });
});

describe("the Librarian after a change of embedding model", () => {
  it("never answers from another model's vectors, and --rebuild moves the library to the new model", async () => {
    const t = await createTestDatabase();
    try {
      const root = makeTempDir().dir;
      mkdirSync(path.join(root, "data"));
      writeFileSync(path.join(root, "data", "a.md"), "# Alerts\n\nPage the on-call engineer when error budgets burn too fast.\n");
      await indexLibrary({ db: t.db, embedder: testEmbedder({ model: "model-a" }) }, { tenant: "default", dir: "data", baseDir: root });
      const modelB = testEmbedder({ model: "model-b" });
      expect(await searchLibrary({ db: t.db, embedder: modelB }, { tenant: "default", query: "who gets paged" })).toEqual([]);
      const rebuilt = await indexLibrary({ db: t.db, embedder: modelB }, { tenant: "default", dir: "data", baseDir: root, rebuild: true });
      expect(rebuilt.indexed.map((d) => d.path)).toEqual(["data/a.md"]);
      const [best] = await searchLibrary({ db: t.db, embedder: modelB }, { tenant: "default", query: "who gets paged when error budgets burn" });
      expect(best).toMatchObject({ path: "data/a.md" });
    } finally {
      await t.close();
    }
  });
});
