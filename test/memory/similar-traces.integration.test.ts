import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { testEmbedder } from "../support/embedder.js";
import { indexTraceEmbeddings } from "../../src/memory/index-trace-embeddings.js";
import { nearestSuccessfulTraces } from "../../src/memory/nearest-successful-traces.js";
import { createTraceSource } from "../../src/collector/query/create-trace-source.js";

describe("similar-trace retrieval", () => {
  let t: TestDatabase;
  const embedder = testEmbedder();
  const deps = () => ({ db: t.db, traces: createTraceSource(t.db), embedder });

  const addTrace = (id: string, question: string | null, success: boolean, tenant = "default", agent = "sre") =>
    t.db.pool.query(
      `INSERT INTO traces (tenant_id, id, agent, signature, prompt_version, input, output, success, started_at, content_hash)
       VALUES ($1, $2, $3, 'diagnose', '1.0.0', $4, $5, $6, now(), 'h')`,
      [tenant, id, agent, question === null ? null : JSON.stringify({ question }), JSON.stringify({ answer: `answer ${id}` }), success],
    );

  beforeAll(async () => {
    t = await createTestDatabase();
    await t.db.pool.query(`INSERT INTO tenants (id, name) VALUES ('acme', 'Acme')`);
    await addTrace("oom-1", "pod checkout is OOMKilled after the memory limit was lowered", true);
    await addTrace("oom-2", "payments pod OOMKilled, memory limit too low", true);
    await addTrace("oom-failed", "pod checkout is OOMKilled after the memory limit was lowered again", false);
    await addTrace("dns-1", "service cannot resolve the database hostname, DNS lookups time out", true);
    await addTrace("disk-1", "node has disk pressure and evicts pods", true);
    await addTrace("no-input", null, true);
    await addTrace("acme-oom", "pod checkout is OOMKilled after the memory limit was lowered", true, "acme");
    await addTrace("other-agent", "pod checkout is OOMKilled after the memory limit was lowered", true, "default", "support");
  });
  afterAll(async () => t.close());

  it("returns the nearest successful traces of the agent, most similar first", async () => {
    expect(await indexTraceEmbeddings(deps(), { tenant: "default", agent: "sre" })).toEqual({ embedded: 5, withoutText: 1 });
    const similar = await nearestSuccessfulTraces(deps(), { tenant: "default", agent: "sre", input: { question: "the checkout pod got OOMKilled" }, k: 2 });
    expect(similar.map((s) => s.traceId)).toEqual(["oom-1", "oom-2"]);
    expect(similar[0]!.similarity).toBeGreaterThan(similar[1]!.similarity);
    expect(similar[0]).toMatchObject({ output: { answer: "answer oom-1" }, promptVersion: "1.0.0" });
  });

  it("never returns failed traces, other tenants' or other agents' traces, or excluded ids", async () => {
    const similar = await nearestSuccessfulTraces(deps(), { tenant: "default", signature: "diagnose", agent: "sre", input: "pod checkout is OOMKilled after the memory limit was lowered", k: 10, excludeTraceIds: ["oom-2"] });
    const ids = similar.map((s) => s.traceId);
    expect(ids[0]).toBe("oom-1");
    expect(ids).not.toContain("oom-failed");
    expect(ids).not.toContain("acme-oom");
    expect(ids).not.toContain("other-agent");
    expect(ids).not.toContain("oom-2");
    expect(ids).not.toContain("no-input");
  });

  it("embeds only new or updated traces on the next run and follows changed outcomes", async () => {
    expect(await indexTraceEmbeddings(deps(), { tenant: "default", agent: "sre" })).toEqual({ embedded: 0, withoutText: 0 });
    await addTrace("oom-3", "checkout pod OOMKilled again", true);
    // An update bumps seq (as the collector does), so the trace is embedded again.
    await t.db.pool.query(`UPDATE traces SET success = true, seq = nextval(pg_get_serial_sequence('traces', 'seq')) WHERE id = 'oom-failed'`);
    expect(await indexTraceEmbeddings(deps(), { tenant: "default", agent: "sre" })).toEqual({ embedded: 2, withoutText: 0 });
    const ids = (await nearestSuccessfulTraces(deps(), { tenant: "default", agent: "sre", input: "pod checkout is OOMKilled after the memory limit was lowered again", k: 1 })).map((s) => s.traceId);
    expect(ids).toEqual(["oom-failed"]);
  });

  it("asks for an agent or a signature", async () => {
    await expect(nearestSuccessfulTraces(deps(), { tenant: "default", input: "x" })).rejects.toThrow(/agent or a signature/);
  });
});
