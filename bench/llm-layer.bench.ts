// Benchmark of the LLM layer's offline parts: the hashing embedder's throughput (baseline: the
// same texts through the OpenAI-compatible embedder and the simulator's /v1/embeddings, in the same
// run) and the simulator's chat round-trip latency through the real `openai` SDK (what the
// orchestrator's overhead benchmark compares against). Informational: the issues set no targets here.
// Run: npx tsx bench/llm-layer.bench.ts [--quick]  (or with the others: npm run bench)
import { pathToFileURL } from "node:url";
import OpenAI from "openai";
import { HashingEmbedder } from "../src/llm/hashing-embedder.js";
import { OpenAIEmbedder } from "../src/llm/openai-embedder.js";
import { startSimulator } from "../src/simulator/index.js";

import { runAsScript, type BenchOptions, type BenchResult } from "./types.js";

const WORDS = "disk full memory leak restart payment service database pool exhausted timeout latency error rate deploy rollback node cluster queue backlog certificate expired".split(" ");

/** Deterministic pseudo-random sentences (no Math.random: runs must be comparable). */
function sentences(count: number): string[] {
  let x = 12345;
  const next = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0);
  return Array.from({ length: count }, () => Array.from({ length: 8 + (next() % 12) }, () => WORDS[next() % WORDS.length]).join(" "));
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Embedder throughput and simulator round trip; `quick` embeds 2k texts instead of 20k. */
export async function run(options: BenchOptions): Promise<BenchResult[]> {
  const texts = sentences(options.quick ? 2_000 : 20_000);
  const sim = await startSimulator({ bank: { families: [{ id: "disk", match: { keywords: ["disk"] }, answer: { rootCause: "disk_full" } }] } });
  try {
    const local = new HashingEmbedder();
    let t0 = performance.now();
    await local.embed(texts);
    const localRate = texts.length / ((performance.now() - t0) / 1000);

    const remote = new OpenAIEmbedder({ baseURL: sim.baseURL, model: "sim-embed", batchSize: 64 });
    t0 = performance.now();
    await remote.embed(texts);
    const remoteRate = texts.length / ((performance.now() - t0) / 1000);

    const client = new OpenAI({ baseURL: sim.baseURL, apiKey: "sim", maxRetries: 0 });
    const latencies: number[] = [];
    const n = options.quick ? 100 : 1_000;
    for (let i = 0; i < n; i++) {
      const s = performance.now();
      await client.chat.completions.create({ model: "sim-chat", response_format: { type: "json_object" }, messages: [{ role: "user", content: `disk full on node-${i}` }] });
      latencies.push(performance.now() - s);
    }
    latencies.sort((a, b) => a - b);
    return [
      { name: "hashing embedder throughput (hash-384)", value: round(localRate), unit: "texts/s", baseline: round(remoteRate), ratio: round(localRate / remoteRate), target: "informational (baseline: simulator /v1/embeddings over HTTP)", met: null },
      { name: "simulator chat round trip p50 (openai SDK)", value: round(percentile(latencies, 50)), unit: "ms", baseline: null, ratio: null, target: "informational", met: null },
      { name: "simulator chat round trip p99 (openai SDK)", value: round(percentile(latencies, 99)), unit: "ms", baseline: null, ratio: null, target: "informational", met: null },
    ];
  } finally {
    await sim.close();
  }
}

const round = (v: number) => Math.round(v * 100) / 100;

// Script entry only: bench/child.ts imports this module and must not run it twice.
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await runAsScript({ run });
