// Throughput of trace ingest: steps/s through POST /v1/traces (HTTP, validation, hashing,
// upsert) into the embedded database, beside a raw multi-row INSERT of the same rows in the
// same run. Targets: ≥ 5,000 steps/s; goal: our path ≥ 50% of raw.
// Run: npx tsx bench/ingest.bench.ts [--quick]
import { rmSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type pg from "pg";
import { loadConfig } from "../src/config/index.js";
import { openDatabase } from "../src/db/database.js";
import { silentLogger } from "../src/log/logger.js";
import { createApp } from "../src/http/app.js";
import { listen } from "../src/http/server.js";
import { collectorRouters } from "../src/http/routes/collector-routes.js";
import { normalizeTrace } from "../src/collector/trace-content.js";
import { TraceInputSchema, type TraceInput } from "../src/domain/trace.js";
import { STEP_COLUMNS, TRACE_COLUMNS, stepToRow, traceToRow } from "../src/collector/trace-rows.js";
import { traceContentHash } from "../src/collector/trace-content.js";
import type { BenchResult } from "./types.js";

function makeTraces(prefix: string, count: number, stepsPerTrace: number): TraceInput[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `${prefix}-${i}`,
    agent: `agent-${i % 5}`,
    problem: { id: `problem-${i % 50}`, appName: "hotel-reservation", namespace: "hotel", attributes: {} },
    input: { question: `why is service ${i % 17} slow?` },
    output: "connection pool exhausted",
    outcome: { success: i % 3 !== 0, score: (i % 10) / 10 },
    startedAt: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
    endedAt: new Date(Date.UTC(2026, 0, 1) + i * 1000 + 800).toISOString(),
    tokens: { prompt: 500, completion: 120 },
    metadata: { run: i },
    steps: Array.from({ length: stepsPerTrace }, (_, j) =>
      j % 3 === 0
        ? { type: "thinking" as const, reasoning: `step ${j}: check the next component`, toolChoice: "get_logs" }
        : { type: "tool_call" as const, name: ["get_pods", "get_logs", "get_metrics"][j % 3]!, arguments: { namespace: "hotel", pod: `pod-${j}` }, success: j % 7 !== 0, response: `line ${j} `.repeat(20), durationMs: 12.5 },
    ),
  }));
}

/** The baseline: the same rows with plain multi-row INSERT ... VALUES, batched under the 65535-parameter limit. */
async function rawInsert(pool: pg.Pool, traces: TraceInput[], batchTraces: number): Promise<void> {
  const values = (rows: Record<string, unknown>[], cols: ReadonlyArray<[string, string]>) => {
    const params: unknown[] = [];
    const tuples = rows.map((r) => `(${cols.map(([c, type]) => (params.push(type === "jsonb" && r[c] !== null ? JSON.stringify(r[c]) : r[c]), `$${params.length}`)).join(",")})`);
    return { sql: tuples.join(","), params };
  };
  for (let i = 0; i < traces.length; i += batchTraces) {
    const batch = traces.slice(i, i + batchTraces).map((t) => normalizeTrace(TraceInputSchema.parse(t)));
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      const tr = values(batch.map((t) => traceToRow("default", t, traceContentHash(t)) as unknown as Record<string, unknown>), TRACE_COLUMNS);
      await client.query(`INSERT INTO traces (${TRACE_COLUMNS.map(([c]) => `"${c}"`).join(",")}) VALUES ${tr.sql}`, tr.params);
      const steps = batch.flatMap((t) => t.steps.map((s, j) => stepToRow("default", t.id, j, s) as unknown as Record<string, unknown>));
      const perChunk = Math.floor(60_000 / STEP_COLUMNS.length);
      for (let k = 0; k < steps.length; k += perChunk) {
        const st = values(steps.slice(k, k + perChunk), STEP_COLUMNS);
        await client.query(`INSERT INTO trace_steps (${STEP_COLUMNS.map(([c]) => `"${c}"`).join(",")}) VALUES ${st.sql}`, st.params);
      }
      await client.query("COMMIT");
    } finally {
      client.release();
    }
  }
}

async function postAll(url: string, traces: TraceInput[], batchTraces: number, concurrency: number): Promise<void> {
  const batches: TraceInput[][] = [];
  for (let i = 0; i < traces.length; i += batchTraces) batches.push(traces.slice(i, i + batchTraces));
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < batches.length) {
        const batch = batches[next++]!;
        const res = await fetch(`${url}/v1/traces`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ traces: batch }) });
        const body = (await res.json()) as { rejected?: number };
        if (res.status !== 200 || body.rejected) throw new Error(`ingest failed: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
      }
    }),
  );
}

export async function run(options: { quick: boolean }): Promise<BenchResult[]> {
  const dir = mkdtempSync(path.join(tmpdir(), "meta-agent-bench-"));
  const config = loadConfig({ env: { META_AGENT_DATA_DIR: dir }, cwd: dir });
  const db = await openDatabase(config, silentLogger);
  const app = createApp({ logger: silentLogger, health: { isReady: () => db.isReady(), isShuttingDown: () => false }, routers: collectorRouters({ db, logger: silentLogger, config }) });
  const server = await listen(app, "127.0.0.1", 0);
  try {
    // Sustained: 100,000 steps per path in the full run, written into tables that keep growing.
    const [count, steps] = options.quick ? [400, 25] : [4000, 25];
    const batch = 100;
    // Warm-up (JIT, first inserts), not measured.
    await postAll(server.url, makeTraces("warm", 100, steps), batch, 2);
    await rawInsert(db.pool, makeTraces("warmraw", 100, steps), batch);

    // Interleaved batch by batch, so both paths write into tables of the same size (insert
    // cost grows with the tables; measuring one path after the other would favour the first).
    const rawTraces = makeTraces("raw", count, steps);
    const ours = makeTraces("http", count, steps);
    let rawMs = 0;
    let ourMs = 0;
    for (let i = 0; i < count; i += batch) {
      let t0 = performance.now();
      await rawInsert(db.pool, rawTraces.slice(i, i + batch), batch);
      rawMs += performance.now() - t0;
      t0 = performance.now();
      await postAll(server.url, ours.slice(i, i + batch), batch, 1);
      ourMs += performance.now() - t0;
    }
    const rawRate = (count * steps) / (rawMs / 1000);
    const ourRate = (count * steps) / (ourMs / 1000);
    const ratio = ourRate / rawRate;
    return [
      { name: "ingest: POST /v1/traces into the embedded DB", value: Math.round(ourRate), unit: "steps/s", baseline: Math.round(rawRate), ratio: Number(ratio.toFixed(2)), target: "≥ 5000 steps/s", met: ourRate >= 5000 },
      { name: "ingest: share of raw multi-row INSERT", value: Number((ratio * 100).toFixed(1)), unit: "% of raw", baseline: 100, ratio: Number(ratio.toFixed(2)), target: "≥ 50% (goal)", met: ratio >= 0.5 },
    ];
  } finally {
    await server.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const results = await run({ quick: process.argv.includes("--quick") });
  console.table(results);
}
