// Dashboard speed on a tenant with 100k traces over four weeks (`--quick`: 20k): the overview
// (daily aggregation of every trace in its 30-day window), the first traces page, a page 40
// pages deep (by cursor), a filtered page and one trace page, each rendered to HTML by the same
// code the service runs. Baseline, measured in the same run: one pass over the tenant's traces
// (`count(*)` and `sum(cost_usd)`), the least any page that read every trace would cost. Targets:
// the overview ≤ 3 passes (it aggregates in the database and ships a row per agent and day, never
// the traces); list and trace pages ≤ 0.2 passes (paged by index, independent of the table's size).
import { createTestDatabase } from "../test/support/database.js";
import { generateTraces, insertTraces } from "../test/support/seed-traces.js";
import { renderOverview } from "../src/ui/pages/overview.js";
import { renderTraces } from "../src/ui/pages/traces.js";
import { renderTrace } from "../src/ui/pages/trace.js";
import { listTraces } from "../src/collector/query/list-traces.js";
import { silentLogger } from "../src/log/logger.js";
import type { RegistryDeps } from "../src/registry/registry-deps.js";
import type { BenchResult } from "./types.js";

const round = (x: number, digits = 2) => Number(x.toFixed(digits));

/** Median of `n` timed runs of `fn`, in ms. */
async function median(fn: () => Promise<unknown>, n = 7): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[Math.floor(n / 2)]!;
}

export async function run(options: { quick: boolean }): Promise<BenchResult[]> {
  const count = options.quick ? 20_000 : 100_000;
  const t = await createTestDatabase();
  try {
    // One trace every 24 s (100k) over the last four weeks, two agents, 20 tasks, 3 tool calls each.
    const span = 28 * 86_400_000;
    const start = new Date(Date.now() - span);
    const traces = generateTraces({ count, seed: 11, agent: "diagnosis", idPrefix: "u", toolCallsPerTrace: 3, tasks: 20, start }).map((x, i) => ({
      ...x,
      agent: i % 4 === 0 ? "triage" : "diagnosis",
      startedAt: new Date(start.getTime() + Math.floor((i * span) / count)),
    }));
    await insertTraces(t.db.pool, "acme", traces);
    await t.db.pool.query("ANALYZE traces");
    const deps = { db: t.db, registry: { db: t.db } as unknown as RegistryDeps, logger: silentLogger, keysRequired: async () => true, sessionTtlSeconds: 43_200, confidenceThreshold: 0.7 };
    const { pool } = t.db.forTenant("acme");
    const baseline = await median(() => pool.query("SELECT count(*), sum(cost_usd) FROM traces WHERE tenant_id = $1", ["acme"]));
    let cursor: string | undefined;
    for (let i = 0; i < 40; i++) cursor = (await listTraces(pool, "acme", { limit: 50, ...(cursor ? { cursor } : {}) })).nextCursor ?? undefined;
    const pages: [string, () => Promise<unknown>, number][] = [
      ["ui overview (30 days)", () => renderOverview(deps, "acme", { days: 30 }), 3],
      ["ui traces, first page", () => renderTraces(deps, "acme", {}), 0.2],
      ["ui traces, page 41 by cursor", () => renderTraces(deps, "acme", { cursor }), 0.2],
      ["ui traces, failures of one agent", () => renderTraces(deps, "acme", { agent: "triage", outcome: "failure" }), 0.2],
      ["ui trace page", () => renderTrace(deps, "acme", traces[Math.floor(count / 2)]!.id), 0.2],
    ];
    const results: BenchResult[] = [];
    for (const [name, fn, target] of pages) {
      await fn(); // warm-up
      const ms = await median(fn);
      results.push({ name, value: round(ms), unit: "ms", baseline: round(baseline), ratio: round(ms / baseline, 3), target: `≤ ${target}× one pass over ${count} traces`, met: ms / baseline <= target, detail: `median of 7; baseline: count(*) + sum(cost_usd) over the tenant's ${count} traces` });
    }
    return results;
  } finally {
    await t.close();
  }
}
