// `meta-agent run <name> --input '{...}' [--version V] [--json]`: one call of a compiled signature
// (the latest in versions/, or a pinned version), recorded as a trace like any served call.
import type { Command } from "commander";
import { tenantOption } from "../tenant-option.js";
import { cliContext, reportCliError, withDatabase } from "../context.js";

interface RunOptions {
  input: string;
  version?: string;
  tenant: string;
  json?: boolean;
}

export function registerRun(program: Command): void {
  program
    .command("run <signature>")
    .description("run the tenant's served version of a signature (its compiled version, else the baseline) on the configured model")
    .requiredOption("-i, --input <json>", "input fields as a JSON object, e.g. '{\"question\": \"...\"}'")
    .option("--version <version>", "pin an exact version (from its git tag or the database mirror)")
    .addOption(tenantOption("tenant whose served version runs and who owns the trace"))
    .option("--json", "print the whole run (outputs, version, trace id, usage) as JSON")
    .action(async (name: string, opts: RunOptions) => {
      try {
        const { parseSignatureRunRequest } = await import("../../orchestrator/signature-run-request.js");
        const { ValidationError } = await import("../../errors.js");
        let inputs: unknown;
        try {
          inputs = JSON.parse(opts.input);
        } catch (e) {
          throw new ValidationError(`--input is not valid JSON: ${(e as Error).message}`);
        }
        const request = parseSignatureRunRequest({ inputs, ...(opts.version ? { version: opts.version } : {}) });
        const ctx = cliContext();
        const run = await withDatabase(ctx, async (db) => {
          const { createOrchestrator } = await import("../../orchestrator/create-orchestrator.js");
          const orchestrator = await createOrchestrator(ctx.config, db, ctx.logger, { watch: false });
          try {
            return await orchestrator.runSignature(name, request.inputs, { tenant: opts.tenant, ...(request.version ? { version: request.version } : {}) });
          } finally {
            await orchestrator.close();
          }
        });
        if (opts.json) console.log(JSON.stringify(run, null, 2));
        else {
          console.log(JSON.stringify(run.outputs, null, 2));
          console.error(`${run.signature}@${run.version} · ${run.usage.totalTokens} tokens · ${Math.round(run.latencyMs)} ms · trace ${run.traceId}`);
        }
      } catch (e) {
        reportCliError(e);
      }
    });
}
