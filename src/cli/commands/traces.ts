// `meta-agent traces list|show|correct|export`: read stored traces, record a correction, mirror them to files.
import type { Command } from "commander";
import { cliContext, reportCliError, withDatabase, withReadDatabase, withBatchDatabase } from "../context.js";
import { tenantOption } from "../tenant-option.js";

export function registerTraces(program: Command): void {
  const traces = program.command("traces").description("stored traces: list, show, correct, export to files");

  traces
    .command("list")
    .description("list traces, newest first")
    .option("--agent <name>", "only this agent")
    .option("--success <bool>", "only successes (true) or failures (false)")
    .option("--since <iso>", "started at or after")
    .option("--until <iso>", "started before")
    .option("--signature <name>", "only this signature")
    .option("--prompt-version <v>", "only this prompt version")
    .option("--task <key>", "only runs of this task")
    .option("--limit <n>", "how many", "20")
    .addOption(tenantOption())
    .option("--cursor <c>", "next page (printed after a full page)")
    .option("--json", "machine-readable output")
    .action(async (flags: Record<string, string | boolean | undefined>) => {
      try {
        const ctx = cliContext();
        const { listTraces } = await import("../../collector/query/list-traces.js");
        const { formatTraceList } = await import("../../collector/query/format-trace.js");
        const query = Object.fromEntries(Object.entries({ agent: flags.agent, success: flags.success, since: flags.since, until: flags.until, signature: flags.signature, promptVersion: flags.promptVersion, task: flags.task, limit: flags.limit, cursor: flags.cursor }).filter(([, v]) => v !== undefined));
        const page = await withReadDatabase(ctx, (db) => listTraces(db.forTenant(String(flags.tenant)).pool, String(flags.tenant), query));
        if (flags.json) console.log(JSON.stringify(page));
        else {
          console.log(formatTraceList(page.traces));
          if (page.nextCursor) console.log(`\nMore: --cursor ${page.nextCursor}`);
        }
      } catch (e) {
        reportCliError(e);
      }
    });

  traces
    .command("show")
    .description("show one trace with its steps")
    .argument("<id>", "trace id")
    .addOption(tenantOption())
    .option("--json", "machine-readable output")
    .action(async (id: string, flags: { tenant: string; json?: boolean }) => {
      try {
        const ctx = cliContext();
        const { getTrace } = await import("../../collector/query/get-trace.js");
        const { formatTrace } = await import("../../collector/query/format-trace.js");
        const trace = await withReadDatabase(ctx, (db) => getTrace(db.forTenant(flags.tenant).pool, flags.tenant, id));
        console.log(flags.json ? JSON.stringify(trace) : formatTrace(trace));
      } catch (e) {
        reportCliError(e);
      }
    });

  traces
    .command("correct")
    .description("record the right output of a run (a correction: the compiler's gold answer for it)")
    .argument("<id>", "trace id")
    .requiredOption("--expected <json>", "the output the run should have produced: a JSON object of the signature's output fields (all, or only the wrong ones)")
    .option("--feedback <text>", "replace the outcome's feedback")
    .option("--success <bool>", "replace the outcome's success flag (default: kept; false when the trace has none)")
    .addOption(tenantOption())
    .option("--json", "machine-readable output")
    .action(async (id: string, flags: { expected: string; feedback?: string; success?: string; tenant: string; json?: boolean }) => {
      try {
        const ctx = cliContext();
        const { correctTrace } = await import("../../collector/query/correct-trace.js");
        const { ValidationError } = await import("../../errors.js");
        if (flags.success !== undefined && !/^(true|false)$/.test(flags.success)) throw new ValidationError(`--success: expected true or false, got ${JSON.stringify(flags.success)}`);
        const trace = await withDatabase(ctx, (db) =>
          correctTrace(db.forTenant(flags.tenant).pool, flags.tenant, id, { expectedJson: flags.expected, ...(flags.feedback !== undefined ? { feedback: flags.feedback } : {}), ...(flags.success !== undefined ? { success: flags.success === "true" } : {}) }),
        );
        console.log(flags.json ? JSON.stringify(trace.outcome) : `Corrected ${trace.id}: expected ${JSON.stringify(trace.outcome?.expected)} (outcome: ${trace.outcome?.success ? "success" : "failure"})`);
      } catch (e) {
        reportCliError(e);
      }
    });

  traces
    .command("export")
    .description("write traces as JSON files <agent>_<problem>_<timestamp>_<id>.json (readable by `meta-agent import`)")
    .option("--dir <dir>", "target directory", "traces")
    .option("--agent <name>", "only this agent")
    .addOption(tenantOption())
    .option("--json", "machine-readable summary")
    .action(async (flags: { dir: string; agent?: string; tenant: string; json?: boolean }) => {
      try {
        const ctx = cliContext();
        const { exportTraces } = await import("../../collector/mirror/export-traces.js");
        const summary = await withBatchDatabase(ctx, (db) => exportTraces(db.forTenant(flags.tenant).pool, flags.tenant, { dir: flags.dir, ...(flags.agent ? { agent: flags.agent } : {}) }));
        console.log(flags.json ? JSON.stringify(summary) : `Wrote ${summary.written} trace file(s) to ${summary.dir}`);
      } catch (e) {
        reportCliError(e);
      }
    });
}
