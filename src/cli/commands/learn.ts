// `meta-agent learn [--agent NAME] [--continuous]`: run a learning cycle now, or keep running
// them on `learning_interval` (seed 003's continuous learning).
import type { Command } from "commander";
import { tenantOption } from "../tenant-option.js";
import { cliContext, reportCliError, withBatchDatabase } from "../context.js";

interface LearnOptions {
  agent?: string;
  tenant: string;
  continuous?: boolean;
  json?: boolean;
}

export function registerLearn(program: Command): void {
  program
    .command("learn")
    .description("run a learning cycle now: analyze → compile → evaluate → gate → commit")
    .option("--agent <name>", "only this agent's signatures")
    .addOption(tenantOption("tenant to learn for"))
    .option("--continuous", "keep running cycles every learning_interval until interrupted")
    .option("--json", "machine-readable output")
    .action(async (opts: LearnOptions) => {
      try {
        const ctx = cliContext();
        const { createLearningDeps } = await import("../../learning/create-learning-deps.js");
        const { runLearningCycle } = await import("../../learning/run-learning-cycle.js");
        const { describeCycleResult } = await import("../describe-cycle.js");
        const { abortReason } = await import("../../learning/cycle-aborted.js");
        // SIGTERM/SIGINT stop the running cycle (recorded as aborted, claim released) and then the
        // command, which exits 0; a second signal exits at once.
        const stop = new AbortController();
        const onSignal = (signal: NodeJS.Signals) => {
          if (stop.signal.aborted) {
            ctx.logger.warn({ name: "forced-exit", signal }, "second signal: exiting now");
            process.exit(1);
          }
          ctx.logger.info({ name: "signal-received", signal }, "stopping the learning cycle");
          stop.abort(`${signal} received`);
        };
        process.on("SIGINT", onSignal);
        process.on("SIGTERM", onSignal);
        await withBatchDatabase(ctx, async (db) => {
          const cycleCtx = { db, logger: ctx.logger, deps: createLearningDeps({ config: ctx.config, db, logger: ctx.logger }), config: ctx.config };
          if (!opts.continuous) {
            const result = await runLearningCycle(cycleCtx, { tenant: opts.tenant, trigger: "cli", signal: stop.signal, ...(opts.agent ? { agent: opts.agent } : {}) });
            console.log(opts.json ? JSON.stringify(result) : describeCycleResult(result));
            if (result.status === "failed") process.exitCode = 1;
            if (result.status === "skipped") process.exitCode = 3;
            return;
          }
          const { startLearningScheduler } = await import("../../learning/scheduler.js");
          const { runWithRetry } = await import("../../learning/run-with-retry.js");
          const stopped = new Promise<void>((resolve) => stop.signal.addEventListener("abort", () => resolve(), { once: true }));
          console.log(`Continuous learning every ${typeof ctx.config.learningInterval === "number" ? `${ctx.config.learningInterval} s` : `"${ctx.config.learningInterval}"`}; Ctrl-C stops.`);
          const scheduler = startLearningScheduler({
            interval: ctx.config.learningInterval,
            logger: ctx.logger,
            runImmediately: true,
            tick: async (signal) => {
              const result = await runWithRetry(() => runLearningCycle(cycleCtx, { tenant: opts.tenant, trigger: "continuous", signal, ...(opts.agent ? { agent: opts.agent } : {}) }), { logger: ctx.logger, signal });
              console.log(opts.json ? JSON.stringify(result) : `[${new Date().toISOString()}] ${describeCycleResult(result)}`);
            },
          });
          await stopped;
          await scheduler.stop(abortReason(stop.signal));
        });
      } catch (e) {
        reportCliError(e);
      }
    });
}
