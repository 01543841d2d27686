// `npm run demo`: the end-to-end demo in a temporary directory, then the dashboard over what it
// did, served until Ctrl-C (`--no-serve`: exit at once). `npm run demo -- --canary` shows canary
// releases rolling back and promoting instead. The directory is removed afterwards unless --keep
// is given. `--port N` chooses the dashboard's port (default: a free one).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { demoConfig, runDemo } from "./run-demo.js";
import { runCanaryDemo } from "./run-canary-demo.js";
import { BANK } from "./demo-scenario.js";
import { startSimulator } from "../simulator/index.js";
import { startService } from "../main.js";
import { silentLogger } from "../log/logger.js";

const keep = process.argv.includes("--keep");
const serve = !process.argv.includes("--no-serve");
const portArg = process.argv.indexOf("--port");
const port = portArg > 0 ? (process.argv[portArg + 1] ?? "0") : "0";
const dir = mkdtempSync(path.join(tmpdir(), "meta-agent-demo-"));

/** Serves the demo's data on loopback until SIGINT or SIGTERM. */
async function serveDashboard(): Promise<void> {
  const sim = await startSimulator({ bank: BANK });
  const service = await startService(demoConfig(dir, sim.baseURL, { PORT: port, HOST: "127.0.0.1", LEARNING_INTERVAL: "86400" }), silentLogger);
  console.log(`\nDashboard: ${service.url}/ui — the traffic, the findings, version 1.0.1 with its diff and score plot, and both learning cycles.`);
  console.log("Press Ctrl-C to stop.");
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await service.close();
  await sim.close();
}

try {
  if (process.argv.includes("--canary")) {
    const result = await runCanaryDemo({ dir, print: (line) => console.log(line) });
    console.log(`\nDone: ${result.rolledBack.candidateVersion} was rolled back and ${result.promoted.candidateVersion} promoted by their canaries, each with a commit.`);
  } else {
    const result = await runDemo({ dir, print: (line) => console.log(line) });
    console.log(
      result.promotedVersion
        ? `\nDone: diagnosis went from ${result.before.correct}/${result.before.runs} to ${result.after.correct}/${result.after.runs} correct after one learning cycle.`
        : "\nDone: no version was promoted in this run.",
    );
    if (serve) await serveDashboard();
  }
  if (keep) console.log(`Kept ${dir} (git repository in agents/, database in data/).`);
} catch (e) {
  console.error("The demo failed:", e);
  process.exitCode = 1;
} finally {
  if (!keep) rmSync(dir, { recursive: true, force: true });
}
