// `meta-agent status [--json]`: seed 003's learning status.
import type { Command } from "commander";
import { tenantOption } from "../tenant-option.js";
import { cliContext, reportCliError, withReadDatabase } from "../context.js";

export function registerStatus(program: Command): void {
  program
    .command("status")
    .description("learning status: cycles run, last learning time, patterns learned, readiness, active versions")
    .addOption(tenantOption("tenant"))
    .option("--json", "machine-readable output")
    .action(async (opts: { tenant: string; json?: boolean }) => {
      try {
        const ctx = cliContext();
        const { createLearningDeps } = await import("../../learning/create-learning-deps.js");
        const { getLearningStatus } = await import("../../learning/get-learning-status.js");
        const { describeEmbedder } = await import("../../memory/describe-embedder.js");
        const { status, embedder } = await withReadDatabase(ctx, async (db) => {
          const learning = createLearningDeps({ config: ctx.config, db, logger: ctx.logger });
          const targets = await learning.listTargets(opts.tenant);
          await learning.syncVersions!(opts.tenant, targets.map((t) => t.signature));
          const status = await getLearningStatus(db, {
            tenant: opts.tenant,
            minTracesForAnalysis: ctx.config.minTracesForAnalysis,
            devSetSize: ctx.config.devSetSize,
            targets,
            measureDevSet: (t) => learning.measureDevSet!(opts.tenant, t),
          });
          return { status, embedder: await describeEmbedder(db, ctx.config, opts.tenant) };
        });
        if (opts.json) return void console.log(JSON.stringify({ ...status, embedder }, null, 2));
        const { formatTable } = await import("../format-table.js");
        console.log(`Tenant:                 ${status.tenant}`);
        console.log(`Learning cycles:        ${status.learning_cycles}`);
        console.log(`Last learning time:     ${status.last_learning_time ?? "never"}${status.last_cycle ? ` (${status.last_cycle.status}: ${status.last_cycle.reason ?? ""})` : ""}`);
        console.log(`Total patterns learned: ${status.total_patterns_learned}`);
        console.log(`Ready for learning:     ${status.ready_for_learning ? "yes" : "no"} (min_traces_for_analysis = ${status.min_traces_for_analysis}, dev_set_size = ${status.dev_set_size ?? "?"})`);
        for (const s of status.signatures) for (const m of s.missing) console.log(`  ${s.name}: ${m}`);
        if (status.running_cycle) console.log(`Running cycle:          ${status.running_cycle}`);
        console.log(`Embedder:               ${embedder.summary}`);
        if (embedder.state === "fallback") console.log(`  WARNING: the local sentence encoder could not load (${embedder.reason ?? "unknown"}); the service embeds with ${embedder.model}.`);
        if (embedder.staleVectors > 0) console.log(`  ${embedder.staleVectors} stored vector(s) from another embedder are not matched until \`meta-agent embeddings reembed\` runs.`);
        if (status.signatures.length > 0) {
          console.log("");
          console.log(
            formatTable(
              ["signature", "agent", "active", "proposed", "new traces", "dev set", "ready", "score trend"],
              status.signatures.map((s) => [s.name, s.agent, s.active_version ?? "–", s.proposed_versions.join(", ") || "–", s.new_traces, s.dev_examples === null ? "–" : `${s.dev_examples}/${s.dev_set_size}`, s.ready ? "yes" : "no", s.score_trend.map((p) => `${p.version}:${p.score?.toFixed(3) ?? "?"}`).join(" → ") || "–"]),
            ),
          );
        }
      } catch (e) {
        reportCliError(e);
      }
    });
}
