// Production shape of the orchestrator's latency benchmark (orchestrator.bench.ts): the same
// side-by-side measurement of runSignature against the direct SDK call at concurrency 1 and 32,
// with the database served by another process and reached by DATABASE_URL, as a production
// PostgreSQL would be. The embedded database otherwise runs in a worker thread of the benchmark's
// own process, where its work for the recorded traces shares the process with the calls.
//   npx tsx bench/orchestrator-production.bench.ts [--quick]
import { pathToFileURL } from "node:url";
import { runAsScript, type BenchOptions, type BenchResult } from "./types.js";
import { run as runLatency } from "./orchestrator.bench.js";

export function run(options: BenchOptions): Promise<BenchResult[]> {
  return runLatency({ ...options, databaseProcess: true });
}

// Script entry only: bench/child.ts imports this module and must not run it twice.
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await runAsScript({ run });
