// `meta-agent embeddings reembed`: converts stored vectors of an earlier embedder to the current one.
import type { Command } from "commander";
import { cliContext, reportCliError, withBatchDatabase } from "../context.js";

export function registerEmbeddings(program: Command): void {
  const embeddings = program.command("embeddings").description("the stored vectors of the semantic cache, the library and similar-trace retrieval");
  embeddings
    .command("reembed")
    .description("re-embed every stored vector made by another embedder (cache entries, library chunks, trace embeddings) with the configured one; old vectors are not matched until then")
    .option("--tenant <id>", "only this tenant (default: every tenant)")
    .option("--batch-size <n>", "rows embedded per batch", "256")
    .option("--json", "machine-readable output")
    .action(async (opts: { tenant?: string; batchSize: string; json?: boolean }) => {
      try {
        const batchSize = Number(opts.batchSize);
        if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) throw new Error(`--batch-size must be an integer from 1 to 10000 (got ${opts.batchSize})`);
        const ctx = cliContext();
        const [{ createEmbedder }, { reembedVectors }, { createTraceSource }] = await Promise.all([import("../../llm/create-embedder.js"), import("../../memory/reembed-vectors.js"), import("../../collector/query/create-trace-source.js")]);
        const embedder = createEmbedder(ctx.config, { logger: ctx.logger });
        const report = await withBatchDatabase(ctx, (db) =>
          reembedVectors(
            { db, embedder, traces: createTraceSource(db), logger: ctx.logger },
            {
              batchSize,
              ...(opts.tenant ? { tenant: opts.tenant } : {}),
              // Progress goes to stderr so --json output stays parseable.
              onProgress: (p) => process.stderr.write(`${p.table} (tenant ${p.tenant}): ${p.done}/${p.total}\n`),
            },
          ),
        );
        if (opts.json) return void console.log(JSON.stringify(report));
        const converted = report.tables.reduce((n, t) => n + t.converted, 0);
        console.log(`Re-embedded ${converted} stored vector(s) with ${report.model}.`);
        for (const t of report.tables) console.log(`  ${t.table} (tenant ${t.tenant}): ${t.converted} converted${t.skipped ? `, ${t.skipped} rewritten meanwhile` : ""}`);
        for (const r of report.released) console.log(`  ${r.table}: dropped the index of ${r.models.join(", ")}`);
      } catch (e) {
        reportCliError(e);
      }
    });
}
