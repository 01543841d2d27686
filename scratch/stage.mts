import { createTestDatabase } from "../test/support/database.js";
import { generateTraces, insertTraces } from "../test/support/seed-traces.js";
import { analyzeAgent } from "../src/analyzer/analyze-agent.js";
import { extractTraceFeatures, clearTraceFeatures } from "../src/analyzer/extract-trace-features.js";
import { extractTraceFeatures as oldExtract } from "./old-extract.js";
const t = await createTestDatabase();
await insertTraces(t.db.pool, "default", generateTraces({ count: 100000, seed: 100000, agent: "large", idPrefix: "l", toolCallsPerTrace: 10, thinkingRate: 0.2, tasks: 20 }));
for (let i = 0; i < 2; i++) {
  const r = await analyzeAgent(t.db, { tenant: "default", agent: "large", full: true });
  const { rows } = await t.db.pool.query(`SELECT stats FROM analysis_runs WHERE id = $1`, [r.runId]);
  console.log("full run", r.durationMs, JSON.stringify(rows[0].stats.timingsMs));
}
for (let i = 0; i < 2; i++) {
  for (const [name, fn] of [["new", extractTraceFeatures], ["old", oldExtract]] as const) {
    const c = await t.db.pool.connect();
    await c.query("BEGIN");
    await clearTraceFeatures(c, "default", "large");
    const t0 = performance.now();
    await fn(c, { tenant: "default", agent: "large", afterSeq: 0n, upToSeq: 10n ** 12n });
    console.log(name, "extract ms", Math.round(performance.now() - t0));
    await c.query("ROLLBACK");
    c.release();
  }
}
await t.close();
process.exit(0);
