// Production shape of the orchestrator's latency benchmark (orchestrator.bench.ts): the same
// side-by-side measurement of runSignature against the direct SDK call at concurrency 1 and 32,
// with the database served by another process and reached by DATABASE_URL, as a production
// PostgreSQL would be. The embedded database otherwise runs in a worker thread of the benchmark's
// own process, where its work for the recorded traces shares the process with the calls.
//   npx tsx bench/orchestrator-production.bench.ts [--quick]
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { BenchOptions, BenchResult } from "./types.js";
import { run as runLatency } from "./orchestrator.bench.js";

export function run(options: BenchOptions): Promise<BenchResult[]> {
  return runLatency({ ...options, databaseProcess: true });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  run({ quick: process.argv.includes("--quick") }).then(
    (results) => {
      console.table(results.map((r) => ({ ...r, met: r.met === null ? "—" : r.met ? "yes" : "NO" })));
      process.exit(0);
    },
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
