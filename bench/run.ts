// `npm run bench [-- --quick]`: runs every benchmark module in bench/*.bench.ts one after the
// other (each in its own process, so one's heap does not skew another's RSS or GC), prints one
// table and writes bench/results/latest.json.
import { readdirSync, writeFileSync, mkdirSync } from "node:fs";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { formatTable, type BenchResult } from "./types.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes("--quick");
const only = process.argv.find((a) => a.startsWith("--only="))?.slice("--only=".length);
const files = readdirSync(here)
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => !only || f.includes(only))
  .sort();

const all: (BenchResult & { file: string })[] = [];
const started = Date.now();
for (const file of files) {
  const t0 = Date.now();
  process.stderr.write(`▶ ${file}${quick ? " (quick)" : ""}\n`);
  const child = spawnSync(process.execPath, ["--import", "tsx", path.join(here, "child.ts"), path.join(here, file), quick ? "--quick" : ""], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 64 * 1024 * 1024,
  });
  const line = child.stdout.split("\n").find((l) => l.startsWith("BENCH_RESULTS "));
  if (child.status !== 0 || !line) {
    process.stderr.write(`✗ ${file} failed (exit ${child.status})\n${child.stdout}\n`);
    all.push({ file, name: file.replace(".bench.ts", ""), value: NaN, unit: "error", baseline: null, ratio: null, target: "runs", met: false });
    continue;
  }
  for (const r of JSON.parse(line.slice("BENCH_RESULTS ".length)) as BenchResult[]) all.push({ file, ...r });
  process.stderr.write(`  done in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
}

console.log(formatTable(all));
mkdirSync(path.join(here, "results"), { recursive: true });
const out = {
  generatedAt: new Date().toISOString(),
  quick,
  durationSeconds: (Date.now() - started) / 1000,
  machine: { cpus: (await import("node:os")).cpus().length, node: process.version },
  results: all.map(({ file: _f, ...r }) => r),
};
writeFileSync(path.join(here, "results", quick ? "latest-quick.json" : "latest.json"), JSON.stringify(out, null, 2) + "\n");
console.log(`\n${all.length} figures in ${out.durationSeconds.toFixed(0)} s → bench/results/${quick ? "latest-quick.json" : "latest.json"}`);
if (all.some((r) => r.unit === "error")) process.exitCode = 1;
