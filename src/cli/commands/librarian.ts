// `meta-agent librarian index [DIR]` and `meta-agent librarian search "<query>"`.
import type { Command } from "commander";
import { tenantOption } from "../tenant-option.js";
import { cliContext, reportCliError, withDatabase, withReadDatabase, withBatchDatabase } from "../context.js";


export function registerLibrarian(program: Command): void {
  const librarian = program.command("librarian").description("the document library (RAG over text, Markdown and PDF files)");

  librarian
    .command("index [dir]")
    .description("index a folder (default: library_dir, `data`) incrementally: unchanged files are skipped, deleted files removed")
    .addOption(tenantOption("tenant that owns the library"))
    .option("--rebuild", "drop the library and re-embed every file (e.g. after changing the embedding model)")
    .option("--json", "machine-readable output")
    .action(async (dir: string | undefined, opts: { tenant: string; rebuild?: boolean; json?: boolean }) => {
      try {
        const ctx = cliContext();
        const [{ createEmbedder }, { indexLibrary }] = await Promise.all([import("../../llm/create-embedder.js"), import("../../librarian/index-library.js")]);
        const embedder = createEmbedder(ctx.config, { logger: ctx.logger });
        const report = await withBatchDatabase(ctx, (db) =>
          indexLibrary(
            { db, embedder, logger: ctx.logger },
            { tenant: opts.tenant, dir: dir ?? ctx.config.libraryDir, rebuild: opts.rebuild ?? false, chunkChars: ctx.config.libraryChunkChars, overlap: ctx.config.libraryChunkOverlap },
          ),
        );
        if (opts.json) console.log(JSON.stringify(report));
        else {
          console.log(`Indexed ${report.dir}: ${report.indexed.length} indexed, ${report.unchanged.length} unchanged, ${report.removed.length} removed, ${report.failed.length} failed.`);
          for (const d of report.indexed) console.log(`  + ${d.path} (${d.chunks} chunks${d.pages === null ? "" : `, ${d.pages} pages`})`);
          for (const p of report.removed) console.log(`  - ${p}`);
          for (const f of report.failed) console.log(`  ! ${f.path}: ${f.error}`);
        }
        if (report.failed.length > 0) process.exitCode = 1;
      } catch (e) {
        reportCliError(e);
      }
    });

  librarian
    .command("search <query>")
    .description("find the library passages nearest to a query, with citations")
    .option("-k, --top-k <n>", "passages to return (1-50)", "5")
    .addOption(tenantOption("tenant that owns the library"))
    .option("--json", "machine-readable output")
    .action(async (query: string, opts: { topK: string; tenant: string; json?: boolean }) => {
      try {
        const ctx = cliContext();
        const [{ createEmbedder }, { searchLibrary }, { citationOf }] = await Promise.all([
          import("../../llm/create-embedder.js"),
          import("../../librarian/search-library.js"),
          import("../../librarian/research.js"),
        ]);
        const embedder = createEmbedder(ctx.config, { logger: ctx.logger });
        const passages = await withReadDatabase(ctx, (db) =>
          searchLibrary({ db, embedder, logger: ctx.logger }, { tenant: opts.tenant, query, k: opts.topK, efSearch: ctx.config.vectorEfSearch }),
        );
        if (opts.json) console.log(JSON.stringify({ query, passages: passages.map((p) => ({ ...p, citation: citationOf(p) })) }));
        else if (passages.length === 0) console.log("No passages found (is the library indexed? run `meta-agent librarian index`).");
        else for (const p of passages) console.log(`[${p.rank}] ${citationOf(p)}  (score ${p.score.toFixed(3)})\n${indent(p.text)}\n`);
      } catch (e) {
        reportCliError(e);
      }
    });
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((l) => `    ${l}`)
    .join("\n");
}
