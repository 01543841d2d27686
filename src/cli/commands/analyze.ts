// `meta-agent analyze [--agent NAME]` and `meta-agent patterns [--agent NAME] [--type T] [--json]`.
import type { Command } from "commander";
import { tenantOption } from "../tenant-option.js";
import { cliContext, reportCliError, withDatabase, withReadDatabase, withBatchDatabase } from "../context.js";

interface AnalyzeFlags {
  agent?: string;
  windowDays?: string;
  full?: boolean;
  tenant: string;
  json?: boolean;
}

interface PatternsFlags {
  agent?: string;
  type?: string;
  minConfidence?: string;
  actionable?: boolean;
  observed?: boolean;
  strata?: boolean;
  tenant: string;
  json?: boolean;
}

export function registerAnalyze(program: Command): void {
  program
    .command("analyze")
    .description("mine the traces of one agent (or all agents) for patterns; incremental unless --full")
    .option("--agent <name>", "only this agent (default: every agent with traces)")
    .option("--window-days <n>", "days of traces to analyze, 0 = all (default: analysis_window_days)")
    .option("--full", "re-read every trace instead of only new and updated ones")
    .addOption(tenantOption())
    .option("--json", "machine-readable output")
    .action(async (flags: AnalyzeFlags) => {
      try {
        const ctx = cliContext();
        const { parseWindowDays, printAnalysis } = await import("../format-patterns.js");
        const windowDays = parseWindowDays(flags.windowDays, ctx.config.analysisWindowDays);
        const { analyzeAll } = await import("../../analyzer/analyze-agent.js");
        const { createEmbedder } = await import("../../llm/create-embedder.js");
        // The configured embedder groups inputs without a task key into intents (loaded only if some need embedding).
        const embedder = createEmbedder(ctx.config, { logger: ctx.logger });
        const results = await withBatchDatabase(ctx, (db) =>
          analyzeAll(db, {
            tenant: flags.tenant,
            ...(flags.agent ? { agents: [flags.agent] } : {}),
            full: flags.full,
            windowDays,
            minTraces: ctx.config.minTracesForAnalysis,
            confidenceThreshold: ctx.config.confidenceThreshold,
            intents: { embedder, sampleSize: ctx.config.analyzerIntentSample },
            logger: ctx.logger,
          }),
        );
        printAnalysis(results, Boolean(flags.json));
      } catch (e) {
        reportCliError(e);
      }
    });

  program
    .command("patterns")
    .description("show the patterns of the latest analysis run, with the pattern summary")
    .option("--agent <name>", "only this agent")
    .option("--type <type>", "success_pattern, failure_pattern, tool_effectiveness, thinking_pattern or performance_pattern")
    .option("--min-confidence <x>", "minimum confidence (0..1)")
    .option("--actionable", "only actionable patterns")
    .option("--observed", "only observed (not actionable) patterns")
    .option("--strata", "show the groups findings were compared within (task keys or intents) instead of the patterns")
    .addOption(tenantOption())
    .option("--json", "print a JSON array of patterns")
    .action(async (flags: PatternsFlags) => {
      try {
        const ctx = cliContext();
        const { PatternFilterSchema, getPatternSummary } = await import("../../analyzer/list-patterns.js");
        const { parseFilters, printPatterns, printStrata } = await import("../format-patterns.js");
        const { tenant, strata: strataOnly, ...rest } = flags;
        const filters = parseFilters(PatternFilterSchema, rest);
        const { patterns, summary, strata } = await withReadDatabase(ctx, (db) => getPatternSummary(db, { ...filters, tenant, confidenceThreshold: ctx.config.confidenceThreshold }));
        if (strataOnly) printStrata(strata, Boolean(flags.json));
        else printPatterns(patterns, summary, Boolean(flags.json), strata);
      } catch (e) {
        reportCliError(e);
      }
    });
}
