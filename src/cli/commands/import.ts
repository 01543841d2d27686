// `meta-agent import <paths...>`: imports OpenAI chat logs (JSONL or a JSON array) and trace
// files of the file mirror; a directory imports every .json/.jsonl file in it.
import type { Command } from "commander";
import { tenantOption } from "../tenant-option.js";
import { cliContext, reportCliError, withBatchDatabase } from "../context.js";

interface ImportFlags {
  agent?: string;
  messagesField: string;
  outcomeField: string;
  taskField?: string;
  successThreshold: string;
  errorPattern?: string;
  tenant: string;
  json?: boolean;
}

export function registerImport(program: Command): void {
  program
    .command("import")
    .description("import OpenAI chat-format logs (JSONL or JSON array) or exported trace files")
    .argument("<paths...>", "files or directories (every .json/.jsonl inside)")
    .option("--agent <name>", "agent name of imported chat logs (default: the record's agent, else 'imported')")
    .option("--messages-field <path>", "field holding the messages array", "messages")
    .option("--outcome-field <path>", "field holding the outcome: boolean, number (score) or {success, score, feedback, expected}", "outcome")
    .option("--task-field <path>", "field holding the run's task key (a string or number, e.g. task_id): the analyzer compares runs of the same task")
    .option("--success-threshold <n>", "a numeric outcome at or above this is a success", "0.5")
    .option("--error-pattern <regex>", "tool results matching this (case-insensitive, RE2 syntax: linear time, no lookaround) are failed calls")
    .addOption(tenantOption("tenant the traces are imported for"))
    .option("--json", "machine-readable summary")
    .action(async (paths: string[], flags: ImportFlags) => {
      try {
        const ctx = cliContext();
        const threshold = Number(flags.successThreshold);
        if (!Number.isFinite(threshold)) throw Object.assign(new Error(`--success-threshold: expected a number, got "${flags.successThreshold}"`), { code: "invalid_option", status: 400 });
        const { runImport } = await import("../../collector/importers/import-files.js");
        const { compileErrorPattern, errorPatternProblem } = await import("../../collector/importers/error-pattern.js");
        const patternProblem = flags.errorPattern === undefined ? undefined : errorPatternProblem(flags.errorPattern);
        if (patternProblem) throw Object.assign(new Error(`--error-pattern: ${patternProblem}`), { code: "invalid_option", status: 400 });
        const summary = await withBatchDatabase(ctx, (db) =>
          runImport(db.forTenant(flags.tenant).pool, flags.tenant, paths, {
            ...(flags.agent !== undefined ? { agent: flags.agent } : {}),
            messagesField: flags.messagesField,
            outcomeField: flags.outcomeField,
            ...(flags.taskField !== undefined ? { taskField: flags.taskField } : {}),
            successThreshold: threshold,
            ...(flags.errorPattern !== undefined ? { errorPattern: compileErrorPattern(flags.errorPattern) } : {}),
            maxToolResponseChars: ctx.config.maxToolResponseChars,
            prices: ctx.config.modelPrices,
          }),
        );
        if (flags.json) console.log(JSON.stringify(summary));
        else {
          for (const f of summary.files) {
            if (f.error !== undefined) {
              console.log(`${f.file}: could not import: ${f.error}`);
              continue;
            }
            console.log(`${f.file}: ${f.imported} imported, ${f.updated} updated, ${f.skipped} skipped, ${f.invalid} invalid (${f.total} records)`);
            for (const e of f.errors.slice(0, 20)) console.log(`  ${e.line !== undefined ? `line ${e.line}` : `record ${e.index}`}: ${e.errors.map((x) => `${x.path}: ${x.message}`).join("; ")}`);
            if (f.errors.length > 20) console.log(`  … ${f.invalid - 20} more invalid records (use --json for all)`);
          }
          console.log(`Total: ${summary.imported} imported, ${summary.updated} updated, ${summary.skipped} skipped, ${summary.invalid} invalid.`);
        }
        if (summary.failedFiles > 0) process.exitCode = 1;
      } catch (e) {
        reportCliError(e);
      }
    });
}
