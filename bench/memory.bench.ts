// Peak resident memory (RSS) of the service under ingest, beside its idle RSS in the same run.
// The service runs in its own process (`meta-agent serve` on a fresh embedded database); we read
// its RSS from /proc (Linux): idle = median over 2 s after start-up, peak = VmHWM after resetting
// it (clear_refs 5) once idle, cross-checked by sampling VmRSS every 20 ms during the ingest.
// Load: 4 concurrent clients posting 100-trace batches of 10 steps each.
// Target (ours; the issue sets none): ingest adds at most 256 MiB over idle. Idle RSS is dominated
// by the embedded database (PGlite's WASM heap lives in the service's process).
//   npx tsx bench/memory.bench.ts [--quick]
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { runAsScript, type BenchOptions, type BenchResult } from "./types.js";
import { startServiceProcess } from "./support/service-process.js";
import { benchBatch } from "./support/workload.js";

const MIB = 1024 * 1024;
const GROWTH_LIMIT_MIB = 256;

/** One field (kB) of /proc/<pid>/status, in bytes. */
function procStatus(pid: number, field: "VmRSS" | "VmHWM"): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!m) throw new Error(`/proc/${pid}/status has no ${field}`);
  return Number(m[1]) * 1024;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mib = (b: number) => Math.round((b / MIB) * 10) / 10;

/** Idle vs peak RSS of the service; `quick` ingests 1k traces instead of 6k. */
export async function run(options: BenchOptions): Promise<BenchResult[]> {
  if (process.platform !== "linux") throw new Error("memory.bench.ts reads /proc and runs on Linux only");
  const dir = mkdtempSync(path.join(tmpdir(), "meta-agent-bench-rss-"));
  const service = await startServiceProcess({ META_AGENT_DATA_DIR: path.join(dir, "data") }, { cwd: dir });
  try {
    // Warm the ingest path once so the idle figure includes loaded code, not a cold process.
    await post(service.url, benchBatch("warm", 0, 10));
    await sleep(500);
    const idleSamples: number[] = [];
    for (let i = 0; i < 20; i++, await sleep(100)) idleSamples.push(procStatus(service.pid, "VmRSS"));
    const idle = median(idleSamples);

    let hwmReset = true;
    try {
      writeFileSync(`/proc/${service.pid}/clear_refs`, "5");
    } catch {
      hwmReset = false; // older kernels: fall back to the sampled maximum
    }
    let sampled = 0;
    const sampler = setInterval(() => {
      try {
        sampled = Math.max(sampled, procStatus(service.pid, "VmRSS"));
      } catch {
        // the process may be gone at the very end
      }
    }, 20);

    const batches = options.quick ? 10 : 60;
    const clients = 4;
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: clients }, async () => {
        for (let b = next++; b < batches; b = next++) await post(service.url, benchBatch("rss", b * 100, 100));
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    clearInterval(sampler);
    const peak = Math.max(sampled, hwmReset ? procStatus(service.pid, "VmHWM") : 0);
    const traces = batches * 100;
    return [
      { name: "service idle RSS", value: mib(idle), unit: "MiB", baseline: null, ratio: null, target: "informational (baseline of the next row)", met: null },
      {
        name: `service peak RSS under ingest (${traces} traces, ${clients} clients)`,
        value: mib(peak),
        unit: "MiB",
        baseline: mib(idle),
        ratio: Math.round((peak / idle) * 100) / 100,
        target: `≤ idle + ${GROWTH_LIMIT_MIB} MiB`,
        met: peak - idle <= GROWTH_LIMIT_MIB * MIB,
      },
      { name: "ingest rate during the RSS run", value: Math.round((traces * 10) / seconds), unit: "steps/s", baseline: null, ratio: null, target: "informational (throughput: ingest bench)", met: null },
    ];
  } finally {
    await service.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function post(url: string, body: unknown): Promise<void> {
  const res = await fetch(`${url}/v1/traces`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`POST /v1/traces answered ${res.status}: ${text.slice(0, 300)}`);
}

// Script entry only: bench/child.ts imports this module and must not run it twice.
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await runAsScript({ run });
