// `npm run bench [-- --quick]`: runs every benchmark module in bench/*.bench.ts one after the
// other (each in its own process, so one's heap does not skew another's RSS or GC), prints one
// table and writes bench/results/latest.json. With --only=NAME the figures of the modules that
// ran replace theirs in the results file and the other modules' figures are kept, each row
// saying which module and run it comes from.
import { readdirSync, writeFileSync, mkdirSync, readFileSync } from "node:fs";
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
const resultsFile = path.join(here, "results", quick ? "latest-quick.json" : "latest.json");
const generatedAt = new Date().toISOString();
type Row = BenchResult & { module?: string; measuredAt?: string };
const fresh: Row[] = all.map(({ file, ...r }) => ({ ...r, module: file.replace(".bench.ts", ""), measuredAt: generatedAt }));
/** Rows of modules that did not run this time (only with --only). */
function keptRows(): Row[] {
  if (!only) return [];
  let previous: { results?: Row[] };
  try {
    previous = JSON.parse(readFileSync(resultsFile, "utf8")) as { results?: Row[] };
  } catch {
    return [];
  }
  const ran = new Set(fresh.map((r) => r.module));
  const names = new Set(fresh.map((r) => r.name));
  // Rows written before rows named their module are matched by figure name.
  return (previous.results ?? []).filter((r) => (r.module ? !ran.has(r.module) : !names.has(r.name)));
}
const out = {
  generatedAt,
  quick,
  durationSeconds: (Date.now() - started) / 1000,
  machine: { cpus: (await import("node:os")).cpus().length, node: process.version },
  ...(only ? { only } : {}),
  results: [...keptRows(), ...fresh],
};
writeFileSync(resultsFile, JSON.stringify(out, null, 2) + "\n");
console.log(`\n${all.length} figures in ${out.durationSeconds.toFixed(0)} s → bench/results/${quick ? "latest-quick.json" : "latest.json"}${only ? " (the other modules' figures kept)" : ""}`);
if (all.some((r) => r.unit === "error")) process.exitCode = 1;
