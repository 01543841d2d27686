// `meta-agent sim-llm`: run the simulated OpenAI-compatible model server (for tests and the demo;
// it is a simulator, not a model) until SIGTERM/SIGINT.
import type { Command } from "commander";
import { ValidationError } from "../../errors.js";
import { reportCliError } from "../context.js";

export function registerSimLlm(program: Command): void {
  program
    .command("sim-llm")
    .description("run the model simulator: an OpenAI-compatible /v1 server driven by a task bank (tests and demos)")
    .option("-p, --port <port>", "port (0 picks a free one)", "8000")
    .option("--host <host>", "bind address", "127.0.0.1")
    .option("--bank <file>", "task bank (YAML); default: empty bank, generic answers")
    .action(async (opts: { port: string; host: string; bank?: string }) => {
      try {
        // zod is imported lazily like every heavy module, so `meta-agent --help` stays fast.
        const { z } = await import("zod");
        const port = z.coerce.number().int().min(0).max(65535).safeParse(opts.port);
        if (!port.success) throw new ValidationError(`--port: expected an integer between 0 and 65535 (got ${JSON.stringify(opts.port)})`);
        const { loadConfig } = await import("../../config/index.js");
        const { createLogger } = await import("../../log/logger.js");
        const { startSimulator, loadBankFile } = await import("../../simulator/index.js");
        const logger = createLogger(loadConfig().logLevel);
        const bank = opts.bank ? loadBankFile(opts.bank) : {};
        const sim = await startSimulator({ port: port.data, host: opts.host, bank, logger });
        console.log(`meta-agent model simulator is running at ${sim.baseURL} (${sim.bank.families.length} task families)`);
        const stop = (signal: string) => {
          logger.info({ name: "signal-received", signal }, "stopping the model simulator");
          sim.close().then(() => process.exit(0), () => process.exit(1));
        };
        process.once("SIGTERM", () => stop("SIGTERM"));
        process.once("SIGINT", () => stop("SIGINT"));
      } catch (e) {
        reportCliError(e);
        process.exit(process.exitCode ?? 1);
      }
    });
}
