// `meta-agent compile <signature>`: propose a new version, evaluate it against the current one,
// print the diff and the gate's verdict; records the outcome (commit, or versions/<name>.yaml)
// unless it is a dry run.
import type { Command } from "commander";
import { tenantOption } from "../tenant-option.js";
import { cliContext, reportCliError, withBatchDatabase } from "../context.js";

interface CompileOptions {
  optimizer?: string;
  dryRun?: boolean;
  tenant: string;
  json?: boolean;
}

/** Optimizers that cannot propose a candidate without a model. */
const NEEDS_MODEL = new Set(["search", "reflective"]);

export function registerCompile(program: Command): void {
  program
    .command("compile <signature>")
    .description("compile a signature from its traces and patterns; promote the candidate only if it wins on the dev set")
    .option("--optimizer <name>", "search, bootstrap-few-shot, guideline-induction or reflective (default: compile_optimizer)")
    .option("--dry-run", "evaluate and show the diff and verdict, save nothing")
    .addOption(tenantOption("tenant whose traces and patterns are used"))
    .option("--json", "print the report as JSON")
    .action(async (signature: string, opts: CompileOptions) => {
      try {
        const ctx = cliContext();
        // A dry run shows a candidate without a model where an optimizer can make one: search and
        // reflective need a model, guideline-induction (patterns) and bootstrap-few-shot (demos) do not.
        const { isChatModelConfigured } = await import("../../llm/create-chat-model.js");
        if (opts.dryRun && !opts.optimizer && !isChatModelConfigured(ctx.config) && NEEDS_MODEL.has(ctx.config.compileOptimizer)) {
          opts.optimizer = "guideline-induction";
          console.error(
            `No model configured (LLM_BASE_URL, LLM_MODEL): the ${ctx.config.compileOptimizer} optimizer needs one, so this dry run shows the guideline-induction candidate ` +
              "(guidelines from actionable patterns). --optimizer bootstrap-few-shot shows the few-shot demos instead. Without a model no candidate can be evaluated or promoted.",
          );
        }
        const result = await withBatchDatabase(ctx, async (db) => {
          const { createCompileDeps } = await import("../../compiler/create-compile-deps.js");
          const { compileAndRecord } = await import("../../compiler/compile-and-record.js");
          const { createEmbedder } = await import("../../llm/create-embedder.js");
          const { createServiceToolRunner } = await import("../../orchestrator/tools/create-tool-runner.js");
          // Signatures with the service's tools are evaluated with them, as they are served.
          const embedder = createEmbedder(ctx.config, { logger: ctx.logger });
          const toolRunner = createServiceToolRunner(ctx.config, { db, embedder: () => embedder, logger: ctx.logger });
          return compileAndRecord(await createCompileDeps({ config: ctx.config, db, logger: ctx.logger, embedder, toolRunner }), {
            tenant: opts.tenant,
            name: signature,
            ...(opts.optimizer ? { optimizer: opts.optimizer } : {}),
            dryRun: Boolean(opts.dryRun),
          });
        });
        if (opts.json) {
          const { candidateDiff } = await import("../../compiler/format-compile-report.js");
          // The provenance leaves (one per trace, thousands) stay out: the root and counts are in
          // candidate.provenance, the leaves in version_sources (`meta-agent verify`).
          const { sources: _sources, ...report } = result.report;
          console.log(JSON.stringify({ ...report, dryRun: result.dryRun, recorded: result.recorded, saved: [result.recorded?.baseline, result.recorded?.saved].filter(Boolean), diff: candidateDiff(result.report) }, null, 2));
        } else {
          const { formatCompileReport } = await import("../../compiler/format-compile-report.js");
          console.log(formatCompileReport(result));
        }
      } catch (e) {
        reportCliError(e);
      }
    });
}
