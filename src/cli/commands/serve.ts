// `meta-agent serve`: start the service and stop it gracefully on SIGTERM/SIGINT.
import type { Command } from "commander";
import path from "node:path";
import { reportCliError } from "../context.js";

export function registerServe(program: Command): void {
  program
    .command("serve")
    .description("start the HTTP service (embedded database unless DATABASE_URL is set)")
    .option("-p, --port <port>", "HTTP port (overrides PORT)")
    .option("--host <host>", "bind address (overrides HOST)")
    .option("--simulate", "the playground: the model simulator wired in, on its own workspace (<data_dir>/playground)")
    .action(async (opts: { port?: string; host?: string; simulate?: boolean }) => {
      try {
        const { loadConfig } = await import("../../config/index.js");
        const { createLogger } = await import("../../log/logger.js");
        let config = loadConfig({ overrides: { port: opts.port, host: opts.host } });
        const logger = createLogger(config.logLevel);
        let playground: import("../../demo/playground.js").Playground | undefined;
        if (opts.simulate) {
          const { startPlayground } = await import("../../demo/playground.js");
          playground = await startPlayground(config.dataDir, { logger });
          config = loadConfig({ overrides: { port: opts.port, host: opts.host, ...playground.overrides } });
        }
        // The embedded database takes a second to start in its own thread; the service's modules
        // take most of a second to load on this one: do both at once.
        const { openDatabase } = await import("../../db/database.js");
        const database = openDatabase(config, logger);
        database.catch(() => undefined); // handled where startService awaits it
        const { startService } = await import("../../main.js");
        const service = await startService(config, logger, { database });
        // So that CLI commands run from another shell find this service's database.
        const { announceService } = await import("../../runtime/service-beacons.js");
        const retract = announceService(config.servicesDir, { pid: process.pid, url: service.url, dataDir: config.dataDir, databaseMode: service.db.mode, startedAt: new Date().toISOString(), cwd: process.cwd(), settings: { promptsDir: config.promptsDir, versionsDir: config.versionsDir, promptsRepoDir: path.resolve(config.promptsRepoDir ?? "."), ...(playground ? { ...playground.overrides, playground: true } : {}) } });
        process.on("exit", retract);
        // Announced before "running at" is printed: whoever waits for that line finds the service.
        if (playground) console.log(`Playground: agents in ${path.join(playground.dir, "agents")}, the model simulator at ${playground.sim.baseURL}.`);
        console.log(`meta-agent is running at ${service.url} (database: ${service.db.mode}${service.db.mode === "embedded" ? ` in ${config.dataDir}` : ""}); dashboard: ${service.url}/ui`);
        if (playground) console.log("Send it traffic from another terminal: npx meta-agent playground traffic --count 60");
        let stopping = false;
        const stop = (signal: string) => {
          if (stopping) {
            logger.warn({ name: "forced-exit", signal }, "second signal: exiting now");
            process.exit(1);
          }
          stopping = true;
          logger.info({ name: "signal-received", signal }, "shutting down");
          service.close(`${signal} received`).then(
            async () => {
              retract();
              await playground?.close();
              process.exit(0);
            },
            (e: unknown) => {
              logger.error({ name: "shutdown-failed", err: e }, "shutdown failed");
              process.exit(1);
            },
          );
        };
        process.on("SIGTERM", () => stop("SIGTERM"));
        process.on("SIGINT", () => stop("SIGINT"));
      } catch (e) {
        reportCliError(e);
        process.exit(process.exitCode ?? 1);
      }
    });
}

