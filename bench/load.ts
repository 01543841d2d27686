// Bounded loopback load test: 30 s of POST /v1/traces, then 30 s of POST /v1/signatures/:name/run
// against the model simulator, each with autocannon at a fixed number of connections, on a
// service started from the sources on a fresh embedded database. Reports requests/s, latency
// percentiles, non-2xx answers and socket errors; target: no errors. Not part of `npm run bench`
// (it takes a minute of full load); results go to bench/results/load.json.
//   npm run bench:load [-- --duration 30 --connections 10]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { startSimulator } from "../src/simulator/index.js";
import { writeVersionFile, buildCompiledVersion, signatureField } from "../test/support/compiled-versions.js";
import { startServiceProcess } from "./support/service-process.js";
import { benchBatch } from "./support/workload.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};

/** One endpoint's figures. */
export interface LoadResult {
  endpoint: string;
  connections: number;
  durationSeconds: number;
  requests: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}

async function load(title: string, opts: autocannon.Options): Promise<LoadResult> {
  process.stderr.write(`▶ ${title}: ${opts.connections} connections for ${opts.duration} s\n`);
  const r = await autocannon({ ...opts, timeout: 30 });
  return {
    endpoint: title,
    connections: opts.connections!,
    durationSeconds: Number(opts.duration),
    requests: r.requests.total,
    requestsPerSecond: Math.round(r.requests.average * 10) / 10,
    latencyMs: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max, mean: Math.round(r.latency.mean * 100) / 100 },
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
  };
}

const duration = arg("duration", 30);
const connections = arg("connections", 10);
const dir = mkdtempSync(path.join(tmpdir(), "meta-agent-load-"));
const sim = await startSimulator({ bank: { families: [{ id: "refund", match: { keywords: ["refund"] }, answer: { queue: "billing" }, baseAccuracy: 1 }] } });
const versionsDir = path.join(dir, "versions");
writeVersionFile(versionsDir, buildCompiledVersion({ name: "triage", version: "1.0.0", inputs: [signatureField("ticketText", "the support ticket")], outputs: [signatureField("queue", "the queue")], instructions: "Route the ticket." }));
const service = await startServiceProcess(
  { META_AGENT_DATA_DIR: path.join(dir, "data"), META_AGENT_VERSIONS_DIR: versionsDir, PROMPTS_REPO_DIR: dir, LLM_BASE_URL: sim.baseURL, LLM_MODEL: "sim-chat", LLM_MAX_RETRIES: "0", LOG_LEVEL: "error" },
  { cwd: dir },
);
const results: LoadResult[] = [];
try {
  // Each request carries a fresh 10-trace batch (10 steps each): new ids, so every request writes.
  let n = 0;
  results.push(
    await load("POST /v1/traces (10 traces × 10 steps per request)", {
      url: `${service.url}/v1/traces`,
      connections,
      duration,
      requests: [{ method: "POST", headers: { "content-type": "application/json" }, setupRequest: (req) => ({ ...req, body: JSON.stringify(benchBatch("load", (n++) * 10, 10)) }) }],
    }),
  );
  let m = 0;
  results.push(
    await load("POST /v1/signatures/triage/run (simulator)", {
      url: `${service.url}/v1/signatures/triage/run`,
      connections,
      duration,
      requests: [{ method: "POST", headers: { "content-type": "application/json" }, setupRequest: (req) => ({ ...req, body: JSON.stringify({ inputs: { ticketText: `refund order ${m++}` } }) }) }],
    }),
  );
  const alive = (await fetch(`${service.url}/readyz`)).status === 200;
  console.table(results.map((r) => ({ endpoint: r.endpoint, "req/s": r.requestsPerSecond, requests: r.requests, p50: r.latencyMs.p50, p90: r.latencyMs.p90, p99: r.latencyMs.p99, max: r.latencyMs.max, non2xx: r.non2xx, errors: r.errors, timeouts: r.timeouts })));
  const failed = results.some((r) => r.non2xx + r.errors + r.timeouts > 0) || !alive;
  console.log(failed ? "✗ errors under load" : "✓ no errors; the service is still ready");
  mkdirSync(path.join(here, "results"), { recursive: true });
  writeFileSync(path.join(here, "results", "load.json"), JSON.stringify({ generatedAt: new Date().toISOString(), results, readyAfter: alive }, null, 2) + "\n");
  if (failed) process.exitCode = 1;
} finally {
  await service.stop();
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
}
