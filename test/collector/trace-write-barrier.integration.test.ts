// Incremental readers (the analyzer, the learning loop's count of new traces) keep a watermark
// of the highest `seq` they consumed. A write that drew a lower seq but commits later must not
// end up below that watermark unseen: the stable seq waits for writes in flight. (On the
// embedded database one transaction runs at a time anyway; on a PostgreSQL server the shared
// trace-write lock that every writer takes is what makes the reader wait.)
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { makeTrace } from "../support/trace-builder.js";
import { validateTrace } from "../../src/collector/ingest/ingest-traces.js";
import { storeTraces, storeTracesOn } from "../../src/collector/store-traces.js";
import { stableTraceSeq } from "../../src/collector/trace-write-barrier.js";
import { analyzeAgent } from "../../src/analyzer/analyze-agent.js";
import type { TraceData } from "../../src/domain/trace.js";

const valid = (overrides: Parameters<typeof makeTrace>[0] = {}): TraceData => {
  const checked = validateTrace(makeTrace(overrides), "");
  if (!checked.ok) throw new Error(JSON.stringify(checked.errors));
  return checked.trace;
};
const seqOf = async (t: TestDatabase, id: string) => BigInt((await t.db.pool.query<{ seq: string }>("SELECT seq::text FROM traces WHERE id = $1", [id])).rows[0]!.seq);

describe("the stable trace seq", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => t?.close());

  it("is the highest stored seq when nothing is being written", async () => {
    const trace = valid();
    await storeTraces(t.db.pool, "default", [trace]);
    expect(await stableTraceSeq(t.db.pool)).toBe(await seqOf(t, trace.id));
  });

  it("waits for a write in progress, then includes its trace", async () => {
    const client = await t.db.pool.connect();
    const late = valid({ agent: "barrier" });
    let settled = false;
    let stable: Promise<bigint>;
    try {
      await client.query("BEGIN");
      await storeTracesOn(client, "default", [late]); // draws its seq, not committed yet
      stable = stableTraceSeq(t.db.pool).finally(() => (settled = true));
      await new Promise((r) => setTimeout(r, 300));
      expect(settled).toBe(false);
      await client.query("COMMIT");
    } finally {
      client.release();
    }
    expect(await stable!).toBeGreaterThanOrEqual(await seqOf(t, late.id));
  });

  it("lets an incremental analysis that runs while traces are written miss none of them", async () => {
    const agent = "watermark";
    await storeTraces(t.db.pool, "default", Array.from({ length: 12 }, () => valid({ agent })));
    const first = await analyzeAgent(t.db, { tenant: "default", agent, minTraces: 1 });
    expect(first.tracesRead).toBe(12);
    // Writers and analyses interleaved: every trace is read by exactly one incremental run.
    let read = 0;
    await Promise.all([
      (async () => {
        for (let i = 0; i < 10; i++) await storeTraces(t.db.pool, "default", Array.from({ length: 5 }, () => valid({ agent })));
      })(),
      (async () => {
        for (let i = 0; i < 5; i++) read += (await analyzeAgent(t.db, { tenant: "default", agent, minTraces: 1 })).tracesRead;
      })(),
    ]);
    read += (await analyzeAgent(t.db, { tenant: "default", agent, minTraces: 1 })).tracesRead;
    expect(read).toBe(50);
  });
});
