// Analyzer speed: a full analysis of 100k traces × 10 steps spread over 20 task keys (so every
// finding is tested within 20 strata; target ≤ 10 s on the 2-core dev machine), growth from 10k
// to 100k (close to linear), and an incremental run after 1% new traces. Intent grouping of
// traces without a task key is timed separately: embedding a 2,000-input sample with the local
// encoder (once: embeddings are kept), clustering it (every run), and a whole run with the
// embeddings cached. Runs on a fresh embedded database; `--quick` uses 2k and 20k traces and a
// 500-input sample.
import { pathToFileURL } from "node:url";
import { createTestDatabase } from "../test/support/database.js";
import { generateTraces, insertTraces } from "../test/support/seed-traces.js";
import { familyInputs, INTENT_FAMILIES } from "../test/support/intent-families.js";
import { analyzeAgent } from "../src/analyzer/analyze-agent.js";
import { LocalEmbedder } from "../src/llm/local-embedder.js";
import type { BenchResult } from "./types.js";

const round = (x: number, digits = 3) => Number(x.toFixed(digits));
const TASKS = 20;

async function timeFull(db: Awaited<ReturnType<typeof createTestDatabase>>["db"], agent: string): Promise<number> {
  const t0 = performance.now();
  await analyzeAgent(db, { tenant: "default", agent, full: true });
  return (performance.now() - t0) / 1000;
}

/** Seeds small and large agents, then times full and incremental analyses, then intent grouping. */
export async function run(options: { quick: boolean }): Promise<BenchResult[]> {
  const small = options.quick ? 2_000 : 10_000;
  const large = small * 10;
  const sample = options.quick ? 500 : 2_000;
  const t = await createTestDatabase();
  try {
    const seed = (agent: string, count: number, idPrefix: string, start?: Date) =>
      insertTraces(t.db.pool, "default", generateTraces({ count, seed: count, agent, idPrefix, toolCallsPerTrace: 10, thinkingRate: 0.2, tasks: TASKS, ...(start ? { start } : {}) }));
    await seed("small", small, "s");
    await seed("large", large, "l", new Date(Date.now() - 3 * 86_400_000));
    // Warm-up so the first measurement does not pay for JIT and Postgres caches alone.
    await timeFull(t.db, "small");
    const tSmall = await timeFull(t.db, "small");
    const tLarge = await timeFull(t.db, "large");
    await seed("large", large / 100, "l-new-");
    const t0 = performance.now();
    await analyzeAgent(t.db, { tenant: "default", agent: "large" });
    const tIncremental = (performance.now() - t0) / 1000;
    const growth = tLarge / tSmall;

    // Intent grouping: traces without a task key whose inputs come from three request families.
    const inputs = INTENT_FAMILIES.flatMap((family, i) => familyInputs(family, Math.ceil(sample / 3), 100 + i));
    const traces = generateTraces({ count: sample, seed: 77, agent: "intents", idPrefix: "i", toolCallsPerTrace: 10 }).map((x, i) => ({ ...x, input: inputs[i % inputs.length] }));
    await insertTraces(t.db.pool, "default", traces);
    const embedder = new LocalEmbedder({});
    await embedder.load();
    const first = await analyzeAgent(t.db, { tenant: "default", agent: "intents", intents: { embedder, sampleSize: sample } });
    const firstStats = await runTimings(t.db.pool, first.runId);
    const t1 = performance.now();
    const cached = await analyzeAgent(t.db, { tenant: "default", agent: "intents", full: true, intents: { embedder, sampleSize: sample } });
    const tCached = (performance.now() - t1) / 1000;
    const cachedStats = await runTimings(t.db.pool, cached.runId);
    const t2 = performance.now();
    await analyzeAgent(t.db, { tenant: "default", agent: "intents", full: true });
    const tWithout = (performance.now() - t2) / 1000;
    await embedder.host.close();
    return [
      { name: `analyze ${large / 1000}k traces x 10 steps, ${TASKS} task strata (full)`, value: round(tLarge), unit: "s", baseline: round(tSmall * 10), ratio: round(tLarge / (tSmall * 10)), target: options.quick ? "informational (quick)" : "<= 10 s", met: options.quick ? null : tLarge <= 10 },
      { name: `growth ${small / 1000}k -> ${large / 1000}k traces`, value: round(growth, 2), unit: "x", baseline: 10, ratio: round(growth / 10, 2), target: "<= 13x (close to linear)", met: growth <= 13 },
      { name: `incremental run after ${large / 100} new traces`, value: round(tIncremental), unit: "s", baseline: round(tLarge), ratio: round(tIncremental / tLarge), target: "< full recompute", met: tIncremental < tLarge },
      { name: `intent grouping: embed ${sample} inputs (use-lite-512; first run only, kept after)`, value: round(firstStats.embed / 1000), unit: "s", baseline: null, ratio: null, target: "informational", met: null },
      { name: `intent grouping: cluster ${sample} inputs (k-means k=2..10, silhouette; every run), k=${cachedStats.k}`, value: round(cachedStats.cluster / 1000), unit: "s", baseline: null, ratio: null, target: "informational", met: null },
      { name: `analyze ${sample} traces without task keys, intents with cached embeddings (full)`, value: round(tCached), unit: "s", baseline: round(tWithout), ratio: round(tCached / tWithout, 2), target: "informational (baseline: same run without intents)", met: null },
    ];
  } finally {
    await t.close();
  }
}

async function runTimings(pool: { query: (sql: string, params: unknown[]) => Promise<{ rows: { stats: { timingsMs: Record<string, number>; intents?: { k: number } } }[] }> }, runId: string): Promise<{ embed: number; cluster: number; k: number }> {
  const { rows } = await pool.query(`SELECT stats FROM analysis_runs WHERE id = $1`, [runId]);
  const stats = rows[0]!.stats;
  return { embed: stats.timingsMs["embed"] ?? 0, cluster: stats.timingsMs["cluster"] ?? 0, k: stats.intents?.k ?? 0 };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const results = await run({ quick: process.argv.includes("--quick") });
  console.table(results);
}
