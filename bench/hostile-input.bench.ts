// The stalls of issue 23, measured on `meta-agent serve` in its own process: how long /readyz
// takes to answer while one hostile request is served, beside the same probing of the idle
// service in the same run. The inputs: an import whose errorPattern `^(a+)+$` meets tool results
// of 30 `a`s and a `!` (exponential backtracking in V8's engine: 7.8 s for one result), an OTLP
// export of 40,000 spans of one trace (a quadratic merge: 52.8 s), and an import with one 50 MB
// JSONL line (3.5 min, RSS to 1.2 GB). Target (issue 23): /readyz answers within 100 ms throughout.
//   npx tsx bench/hostile-input.bench.ts [--quick]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { request } from "node:http";
import { pathToFileURL } from "node:url";
import { Readable } from "node:stream";
import { runAsScript, type BenchOptions, type BenchResult } from "./types.js";
import { startServiceProcess } from "./support/service-process.js";
import { quantileSorted } from "../src/analyzer/statistics/quantile.js";

function probeOnce(url: string): Promise<number> {
  const { hostname, port } = new URL(url);
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path: "/readyz", agent: false }, (res) => {
      res.resume();
      res.on("end", () => (res.statusCode === 200 ? resolve(performance.now() - t0) : reject(new Error(`readyz ${res.statusCode}`))));
    });
    req.on("error", reject);
    req.end();
  });
}

/** Probes /readyz every 20 ms while `work` runs (at least `minMs`); answers the latencies and the work's duration. */
async function probeDuring(url: string, work: () => Promise<void>, minMs = 2_000): Promise<{ latencies: number[]; workMs: number }> {
  const latencies: number[] = [];
  let done = false;
  const t0 = performance.now();
  const probing = (async () => {
    while (!done || performance.now() - t0 < minMs) {
      latencies.push(await probeOnce(url));
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  await work();
  const workMs = performance.now() - t0;
  done = true;
  await probing;
  return { latencies, workMs };
}

const chatRecord = (i: number, toolResult: string) =>
  JSON.stringify({ id: `stall-${i}`, messages: [{ role: "user", content: "why?" }, { role: "assistant", content: "", tool_calls: [{ id: "c1", type: "function", function: { name: "t", arguments: "{}" } }] }, { role: "tool", tool_call_id: "c1", content: toolResult }, { role: "assistant", content: "done" }] });

async function post(url: string, body: string | Readable, contentType: string): Promise<void> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": contentType }, body: typeof body === "string" ? body : (Readable.toWeb(body) as ReadableStream), duplex: "half" } as RequestInit);
  await res.text();
  if (res.status >= 500) throw new Error(`${url} answered ${res.status}`);
}

export async function run(options: BenchOptions): Promise<BenchResult[]> {
  const dir = mkdtempSync(path.join(tmpdir(), "meta-agent-bench-hostile-"));
  const service = await startServiceProcess({ META_AGENT_DATA_DIR: path.join(dir, "data"), LEARNING_INTERVAL: "86400" }, { cwd: dir });
  try {
    const start = String(BigInt(Date.parse("2026-02-01T10:00:00Z")) * 1_000_000n);
    const spans = Array.from({ length: options.quick ? 10_000 : 40_000 }, (_, i) => ({ traceId: "f".repeat(32), spanId: i.toString(16).padStart(16, "0"), startTimeUnixNano: start }));
    const otlp = JSON.stringify({ resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ spans }] }] });
    const regexBody = Array.from({ length: options.quick ? 200 : 2_000 }, (_, i) => chatRecord(i, `${"a".repeat(30)}!`)).join("\n");
    const lineMb = options.quick ? 10 : 50;
    const bigLine = () =>
      Readable.from(
        (async function* () {
          yield Buffer.from('{"messages":[{"role":"user","content":"');
          const chunk = Buffer.alloc(1024 * 1024, "x");
          for (let i = 0; i < lineMb; i++) yield chunk;
          yield Buffer.from('"}]}\n');
        })(),
      );
    const idle = await probeDuring(service.url, async () => {}, 3_000);
    const cases: [string, () => Promise<void>][] = [
      [`import, errorPattern ^(a+)+$ on ${options.quick ? 200 : 2_000} results of 30 a's and a '!'`, () => post(`${service.url}/v1/import?errorPattern=${encodeURIComponent("^(a+)+$")}`, regexBody, "application/x-ndjson")],
      [`OTLP export of ${spans.length} spans of one trace (${(otlp.length / 1e6).toFixed(1)} MB)`, () => post(`${service.url}/otlp/v1/traces`, otlp, "application/json")],
      [`import of one ${lineMb} MB JSONL line`, () => post(`${service.url}/v1/import`, bigLine(), "application/x-ndjson")],
    ];
    const max = (xs: number[]) => Math.max(...xs);
    const p99 = (xs: number[]) => quantileSorted([...xs].sort((a, b) => a - b), 0.99);
    const round1 = (x: number) => Math.round(x * 10) / 10;
    const results: BenchResult[] = [];
    for (const [name, work] of cases) {
      const during = await probeDuring(service.url, work);
      results.push({
        name: `/readyz max latency during: ${name}`,
        value: round1(max(during.latencies)),
        unit: "ms",
        baseline: round1(max(idle.latencies)),
        ratio: round1(max(during.latencies) / max(idle.latencies)),
        target: "≤ 100 ms",
        met: max(during.latencies) <= 100,
        detail: `p99 ${round1(p99(during.latencies))} ms over ${during.latencies.length} probes; the request took ${round1(during.workMs / 1000)} s; idle baseline p99 ${round1(p99(idle.latencies))} ms`,
      });
    }
    return results;
  } finally {
    await service.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await runAsScript({ run });
