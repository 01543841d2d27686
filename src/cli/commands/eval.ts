// `meta-agent eval <signature>`: runs versions of a signature over a dataset against the
// configured model and prints quality with intervals, the paired difference, tokens and cost;
// writes the JSON report with --out.
import type { Command } from "commander";
import { InvalidArgumentError } from "commander";
import { tenantOption } from "../tenant-option.js";
import { cliContext, reportCliError, withBatchDatabase } from "../context.js";

interface EvalOptions {
  dataset?: string;
  fromTraces?: boolean;
  versions: string;
  metric?: string;
  seed: number;
  concurrency: number;
  retries: number;
  limit?: number;
  out?: string;
  json?: boolean;
  progress: boolean;
  tenant: string;
}

const positiveInt = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${name}: expected a non-negative integer`);
  return n;
};

/** A one-line progress bar on stderr (only on a terminal, so logs and pipes stay clean). */
function progressBar(enabled: boolean) {
  if (!enabled || !process.stderr.isTTY) return undefined;
  return (done: number, total: number) => {
    const width = 30;
    const filled = Math.round((width * done) / total);
    process.stderr.write(`\r[${"#".repeat(filled)}${" ".repeat(width - filled)}] ${done}/${total}${done === total ? "\n" : ""}`);
  };
}

export function registerEval(program: Command): void {
  program
    .command("eval <signature>")
    .description("evaluate versions of a signature on a dataset (JSONL or held-out traces): success with 95% intervals, paired difference, tokens and cost")
    .option("--dataset <file>", "JSONL file, one {\"input\": {...}, \"expected\": {...}} per line")
    .option("--from-traces", "use the held-out split of the tenant's traces (eval_holdout_fraction)")
    .option("--versions <list>", "comma-separated: baseline, served, or version numbers; the first is the reference", "baseline,served")
    .option("--metric <spec>", "exact_match[:field], numeric_tolerance[:tol[:field]], json_fields_match[:f1,f2], llm_judge:<rubric> (default: the signature's)")
    .option("--seed <n>", "seed of the model calls, the bootstrap and --limit's sample", positiveInt("seed"), 1)
    .option("--concurrency <n>", "calls in flight at once", positiveInt("concurrency"), 4)
    .option("--retries <n>", "retries of an item after a retryable error", positiveInt("retries"), 2)
    .option("--limit <n>", "evaluate a seeded sample of n items", positiveInt("limit"))
    .option("--out <file>", "write the JSON report to this file")
    .option("--no-progress", "no progress bar")
    .option("--json", "print the JSON report")
    .addOption(tenantOption("tenant whose versions (and traces) are evaluated"))
    .action(async (signature: string, opts: EvalOptions) => {
      try {
        if (Boolean(opts.dataset) === Boolean(opts.fromTraces)) throw new InvalidArgumentError("give either --dataset <file> or --from-traces");
        const ctx = cliContext();
        const report = await withBatchDatabase(ctx, async (db) => {
          const { createChatModel } = await import("../../llm/create-chat-model.js");
          const { createRegistryDeps } = await import("../../registry/registry-deps.js");
          const { evaluateSignature, evalSettingsFrom } = await import("../../compiler/eval/evaluate-signature.js");
          const registry = await createRegistryDeps(ctx.config, db, ctx.logger);
          const { createEmbedder } = await import("../../llm/create-embedder.js");
          const { createServiceToolRunner } = await import("../../orchestrator/tools/create-tool-runner.js");
          // Signatures with the service's tools are evaluated with them, as they are served.
          const embedder = createEmbedder(ctx.config, { logger: ctx.logger });
          const toolRunner = createServiceToolRunner(ctx.config, { db, embedder: () => embedder, logger: ctx.logger });
          const onProgress = progressBar(opts.progress && !opts.json);
          return evaluateSignature(
            { db, store: registry.store, model: createChatModel(ctx.config, { logger: ctx.logger }), toolRunner, promptsDir: ctx.config.promptsDir, ...evalSettingsFrom(ctx.config) },
            {
              tenant: opts.tenant,
              name: signature,
              versions: opts.versions.split(",").map((v) => v.trim()).filter(Boolean),
              dataset: opts.dataset ? { file: opts.dataset } : { fromTraces: true },
              ...(opts.metric ? { metric: opts.metric } : {}),
              seed: opts.seed,
              concurrency: Math.max(1, opts.concurrency),
              retries: opts.retries,
              ...(opts.limit !== undefined ? { limit: opts.limit } : {}),
              ...(opts.out ? { out: opts.out } : {}),
              ...(onProgress ? { onProgress } : {}),
            },
          );
        });
        if (opts.json) console.log(JSON.stringify(report, null, 2));
        else {
          const { formatEvalReport } = await import("../../compiler/eval/format-eval-report.js");
          console.log(formatEvalReport(report));
          if (opts.out) console.log(`\nJSON report: ${opts.out}`);
        }
      } catch (e) {
        reportCliError(e);
      }
    });
}
