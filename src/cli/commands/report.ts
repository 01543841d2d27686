// `meta-agent report [--csv]`: seed 000's benchmark log per signature version.
import type { Command } from "commander";
import { tenantOption } from "../tenant-option.js";
import { cliContext, reportCliError, withDatabase, withReadDatabase } from "../context.js";
import { ValidationError } from "../../errors.js";

export function registerReport(program: Command): void {
  program
    .command("report")
    .description("per signature version: runs, success rate, tokens, latency, token ROI (quality per 1,000 tokens)")
    .option("--csv", "CSV (seed 000's benchmark log) instead of a table")
    .option("--json", "machine-readable output")
    .option("--signature <name>", "only this signature (or agent)")
    .option("--since <date>", "only traces started at or after this ISO date")
    .addOption(tenantOption("tenant"))
    .action(async (opts: { csv?: boolean; json?: boolean; signature?: string; since?: string; tenant: string }) => {
      try {
        const since = opts.since ? new Date(opts.since) : undefined;
        if (since && Number.isNaN(since.getTime())) throw new ValidationError(`--since: expected an ISO date such as 2026-01-31, got ${JSON.stringify(opts.since)}`);
        const { benchmarkReport, toCsv } = await import("../../collector/query/benchmark-report.js");
        const rows = await withReadDatabase(cliContext(), (db) => benchmarkReport(db, { tenant: opts.tenant, ...(opts.signature ? { signature: opts.signature } : {}), ...(since ? { since } : {}) }));
        if (opts.csv) return void process.stdout.write(toCsv(rows));
        if (opts.json) return void console.log(JSON.stringify(rows));
        if (rows.length === 0) return void console.log("No traces yet.");
        const { formatTable } = await import("../format-table.js");
        const f = (v: number | null, d = 3) => (v === null ? "–" : v.toFixed(d));
        console.log(
          formatTable(
            ["signature", "version", "runs", "success", "quality", "avg tokens", "avg latency ms", "token ROI"],
            rows.map((r) => [r.signature, r.version, r.runs, f(r.successRate), f(r.quality), f(r.avgTokens, 0), f(r.avgLatencyMs, 1), f(r.tokenRoi)]),
          ),
        );
      } catch (e) {
        reportCliError(e);
      }
    });
}
