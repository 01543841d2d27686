// `meta-agent heuristics [list|report|refresh]`: the tenant's shared heuristics library — Q-values,
// sources and where each is used; the team learning report; a refresh on demand.
import type { Command } from "commander";
import { tenantOption } from "../tenant-option.js";
import { cliContext, reportCliError, withBatchDatabase, withReadDatabase } from "../context.js";

export function registerHeuristics(program: Command): void {
  const cmd = program.command("heuristics").description("the shared heuristics library: lessons learnt on one agent, used by every agent they apply to");

  cmd
    .command("list", { isDefault: true })
    .description("heuristics with Q-value, runs, source and the served versions that use them")
    .addOption(tenantOption("tenant"))
    .option("--status <status>", "active or retired")
    .option("--json", "machine-readable output")
    .action(async (opts: { tenant: string; status?: string; json?: boolean }) => {
      try {
        if (opts.status && opts.status !== "active" && opts.status !== "retired") throw Object.assign(new Error("--status: expected active or retired"), { code: "invalid_request", status: 400 });
        const ctx = cliContext();
        const { describeLibrary } = await import("../../heuristics/describe-library.js");
        const view = await withReadDatabase(ctx, (db) => describeLibrary(db, opts.tenant, { capacity: ctx.config.heuristicsReplayCapacity, ...(opts.status ? { status: opts.status as "active" | "retired" } : {}) }));
        if (opts.json) return void console.log(JSON.stringify(view, null, 2));
        if (view.heuristics.length === 0) return void console.log("No heuristics yet: they are distilled from actionable findings and failed runs by learning cycles or `meta-agent heuristics refresh`.");
        const { formatTable } = await import("../format-table.js");
        console.log(
          formatTable(
            ["Q", "RUNS", "STATUS", "FROM", "USED IN", "HEURISTIC"],
            view.heuristics.map((h) => [
              h.qValue.toFixed(3),
              String(h.uses),
              h.status,
              `${h.source.agent} (${h.sourceKind === "pattern" ? `finding ${h.source.patternKey ?? h.source.patternId}` : "reflection"})`,
              h.usedIn.map((u) => `${u.signature} ${u.version}`).join(", ") || "-",
              h.text,
            ]),
          ),
        );
        console.log(`\nReplay buffer: ${view.replay.size} of ${view.replay.capacity} runs.`);
      } catch (e) {
        reportCliError(e);
      }
    });

  cmd
    .command("report")
    .description("the team learning report: agents, shared experiences, each heuristic with its evidence and origin")
    .addOption(tenantOption("tenant"))
    .action(async (opts: { tenant: string }) => {
      try {
        const ctx = cliContext();
        const { describeLibrary, teamLearningReport } = await import("../../heuristics/describe-library.js");
        console.log(teamLearningReport(await withReadDatabase(ctx, (db) => describeLibrary(db, opts.tenant, { capacity: ctx.config.heuristicsReplayCapacity }))));
      } catch (e) {
        reportCliError(e);
      }
    });

  cmd
    .command("refresh")
    .description("distil heuristics from findings (and, with --agent and a model, reflections on failed runs), read outcomes into the replay buffer, update Q-values, retire")
    .addOption(tenantOption("tenant"))
    .option("--agent <name>", "only this agent's findings, and reflect on its failed runs")
    .option("--json", "machine-readable output")
    .action(async (opts: { tenant: string; agent?: string; json?: boolean }) => {
      try {
        const ctx = cliContext();
        const { refreshHeuristics } = await import("../../heuristics/refresh-heuristics.js");
        const { heuristicsSettingsFrom } = await import("../../heuristics/settings.js");
        const { createChatModel, isChatModelConfigured } = await import("../../llm/create-chat-model.js");
        const model = isChatModelConfigured(ctx.config) ? createChatModel(ctx.config, { logger: ctx.logger }) : undefined;
        const r = await withBatchDatabase(ctx, (db) => refreshHeuristics({ db, logger: ctx.logger, settings: heuristicsSettingsFrom(ctx.config), ...(model ? { model } : {}) }, { tenant: opts.tenant, ...(opts.agent ? { agent: opts.agent } : {}) }));
        if (opts.json) return void console.log(JSON.stringify(r, null, 2));
        console.log(
          `From findings: ${r.fromPatterns.added} new, ${r.fromPatterns.known} known. From reflections: ${r.fromReflections.added} new, ${r.fromReflections.known} known, ${r.fromReflections.failed} failed (${r.fromReflections.calls} model call${r.fromReflections.calls === 1 ? "" : "s"}, ${r.fromReflections.tokens} tokens).\n` +
            `Replay buffer: ${r.replay.added} runs read, ${r.replay.evicted} evicted. Q-values updated: ${r.values.updated}; retired: ${r.values.retired.length}.`,
        );
        for (const h of r.values.retired) console.log(`  retired (Q ${h.qValue.toFixed(3)} after ${h.uses} runs): ${h.text}`);
      } catch (e) {
        reportCliError(e);
      }
    });
}
