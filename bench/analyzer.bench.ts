// Analyzer speed: a full analysis of 100k traces × 10 steps (target ≤ 10 s on the 2-core dev
// machine), growth from 10k to 100k (close to linear), and an incremental run after 1% new
// traces. Runs on a fresh embedded database; `--quick` uses 2k and 20k traces.
import { pathToFileURL } from "node:url";
import { createTestDatabase } from "../test/support/database.js";
import { generateTraces, insertTraces } from "../test/support/seed-traces.js";
import { analyzeAgent } from "../src/analyzer/analyze-agent.js";
import type { BenchResult } from "./types.js";

const round = (x: number, digits = 3) => Number(x.toFixed(digits));

async function timeFull(db: Awaited<ReturnType<typeof createTestDatabase>>["db"], agent: string): Promise<number> {
  const t0 = performance.now();
  await analyzeAgent(db, { tenant: "default", agent, full: true });
  return (performance.now() - t0) / 1000;
}

/** Seeds small and large agents, then times full and incremental analyses. */
export async function run(options: { quick: boolean }): Promise<BenchResult[]> {
  const small = options.quick ? 2_000 : 10_000;
  const large = small * 10;
  const t = await createTestDatabase();
  try {
    const seed = (agent: string, count: number, idPrefix: string, start?: Date) =>
      insertTraces(t.db.pool, "default", generateTraces({ count, seed: count, agent, idPrefix, toolCallsPerTrace: 10, thinkingRate: 0.2, ...(start ? { start } : {}) }));
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
    return [
      { name: `analyze ${large / 1000}k traces x 10 steps (full)`, value: round(tLarge), unit: "s", baseline: round(tSmall * 10), ratio: round(tLarge / (tSmall * 10)), target: options.quick ? "informational (quick)" : "<= 10 s", met: options.quick ? null : tLarge <= 10 },
      { name: `growth ${small / 1000}k -> ${large / 1000}k traces`, value: round(growth, 2), unit: "x", baseline: 10, ratio: round(growth / 10, 2), target: "<= 13x (close to linear)", met: growth <= 13 },
      { name: `incremental run after ${large / 100} new traces`, value: round(tIncremental), unit: "s", baseline: round(tLarge), ratio: round(tIncremental / tLarge), target: "< full recompute", met: tIncremental < tLarge },
    ];
  } finally {
    await t.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const results = await run({ quick: process.argv.includes("--quick") });
  console.table(results);
}
