// Corrections over real HTTP: a trace's outcome may carry `expected` (the output the run should
// have produced), at ingest and as a late outcome; it is stored in `traces.expected_output`, read
// back with the trace, and anything but an object is refused with a 400 that names the field.
import { describe, expect, it } from "vitest";
import { useCollectorServer } from "../support/collector-server.js";
import { makeTrace } from "../support/trace-builder.js";
import { formatTrace } from "../../src/collector/query/format-trace.js";
import { makeChatRecord } from "../support/chat-log-builder.js";
import { MetaAgentClient, deferOutcome, setOutcome, traceAgent } from "../../src/index.js";
import { silentLogger } from "../../src/log/logger.js";

const collector = useCollectorServer();

const post = async (path: string, body: unknown) => {
  const res = await fetch(collector.server.url + path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as any };
};
const stored = async (id: string) => (await collector.t.db.pool.query(`SELECT expected_output, success, content_hash, seq FROM traces WHERE id = $1`, [id])).rows[0];

describe("corrections (outcome.expected)", () => {
  it("are accepted at ingest, stored in expected_output and read back with the trace", async () => {
    const trace = makeTrace({ outcome: { success: false, feedback: "wrong fault", expected: { faultType: "resource_exhaustion", faultDetected: true } } });
    const res = await post("/v1/traces", { traces: [trace] });
    expect(res.status).toBe(200);
    expect((await stored(trace.id)).expected_output).toEqual({ faultType: "resource_exhaustion", faultDetected: true });
    const read = await fetch(`${collector.server.url}/v1/traces/${trace.id}`).then((r) => r.json() as Promise<any>);
    expect(read.outcome).toEqual({ success: false, feedback: "wrong fault", expected: { faultType: "resource_exhaustion", faultDetected: true } });
    // `meta-agent traces show` prints it beside the run's own output.
    expect(formatTrace(read)).toContain(`  corrected: {"faultType":"resource_exhaustion","faultDetected":true}`);
    // Re-sending the same trace is still a no-op: the correction is part of the content.
    expect((await post("/v1/traces", { traces: [trace] })).body.results[0].status).toBe("unchanged");
  });

  it("are accepted as a late outcome: the trace is rewritten with a new content hash and seq", async () => {
    const trace = makeTrace({ outcome: { success: false } });
    await post("/v1/traces", { traces: [trace] });
    const before = await stored(trace.id);
    expect(before.expected_output).toBeNull();
    const res = await post(`/v1/traces/${trace.id}/outcome`, { success: false, feedback: "the on-call engineer fixed it", expected: { faultType: "network" } });
    expect(res.status).toBe(200);
    expect(res.body.outcome).toEqual({ success: false, feedback: "the on-call engineer fixed it", expected: { faultType: "network" } });
    const after = await stored(trace.id);
    expect(after.expected_output).toEqual({ faultType: "network" });
    expect(after.content_hash).not.toBe(before.content_hash);
    expect(BigInt(after.seq)).toBeGreaterThan(BigInt(before.seq));
  });

  it("refuse anything but an object with a 400 naming the field (the body of a late outcome is the outcome), at ingest and as a late outcome, and store nothing", async () => {
    const trace = makeTrace({ outcome: { success: false } });
    await post("/v1/traces", { traces: [trace] });
    for (const expected of ["resource_exhaustion", ["a"], null, 42]) {
      const late = await post(`/v1/traces/${trace.id}/outcome`, { success: false, expected });
      expect(late.status).toBe(400);
      expect(late.body.error.details).toEqual([expect.objectContaining({ path: "expected", message: "expected an object" })]);
    }
    expect((await stored(trace.id)).expected_output).toBeNull();

    const bad = makeTrace({ outcome: { success: false, expected: "network" as unknown as Record<string, unknown> } });
    // A batch answers per trace (207, as for any invalid trace): this one is refused with the field's path.
    const res = await post("/v1/traces", { traces: [bad] });
    expect(res.status).toBe(207);
    expect(res.body.results[0]).toMatchObject({ status: "invalid", errors: [{ path: "traces[0].outcome.expected", message: "expected an object" }] });
    expect(await stored(bad.id)).toBeUndefined();

    const huge = await post(`/v1/traces/${trace.id}/outcome`, { success: false, expected: { text: "x".repeat(100_001) } });
    expect(huge.status).toBe(400);
    expect(huge.body.error.details[0]).toMatchObject({ path: "expected", message: "at most 100000 characters as JSON" });
  });

  it("are taken from an imported chat log's outcome object", async () => {
    const body = [makeChatRecord(300, { outcome: { success: false, expected: { faultType: "misconfiguration" } } }), makeChatRecord(301, { outcome: { success: false, expected: "misconfiguration" } })].map((r) => JSON.stringify(r)).join("\n");
    const res = await fetch(`${collector.server.url}/v1/import?agent=corrections-import`, { method: "POST", headers: { "content-type": "application/x-ndjson" }, body });
    expect(await res.json()).toMatchObject({ total: 2, imported: 1, invalid: 1, errors: [{ index: 1, errors: [{ path: "outcome.expected", message: "expected an object" }] }] });
    const { rows } = await collector.t.db.pool.query(`SELECT expected_output FROM traces WHERE agent = 'corrections-import'`);
    expect(rows).toEqual([{ expected_output: { faultType: "misconfiguration" } }]);
  });

  it("are read from OTLP: meta_agent.outcome.expected on the invoke_agent span, as JSON text", async () => {
    const traceId = "5b8efff798038103d269b633813fc60c";
    const span = (expected: string, id: string) => ({
      traceId: id,
      spanId: "eee19b7ec3c1b174",
      name: "invoke_agent diagnosis",
      startTimeUnixNano: "1767225600000000000",
      endTimeUnixNano: "1767225601000000000",
      attributes: [
        { key: "gen_ai.operation.name", value: { stringValue: "invoke_agent" } },
        { key: "gen_ai.agent.name", value: { stringValue: "diagnosis" } },
        { key: "meta_agent.outcome.success", value: { boolValue: false } },
        { key: "meta_agent.outcome.expected", value: { stringValue: expected } },
      ],
    });
    const res = await fetch(`${collector.server.url}/otlp/v1/traces`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [span('{"faultType":"network"}', traceId), span('"network"', "6b8efff798038103d269b633813fc60c")] }] }] }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).partialSuccess).toMatchObject({ rejectedSpans: 1 });
    expect((await stored(traceId)).expected_output).toEqual({ faultType: "network" });
  });

  it("are sent by the SDK: a deferred outcome and setOutcome by trace id, through MetaAgentClient", async () => {
    const client = new MetaAgentClient({ url: collector.server.url, flushIntervalMs: 10, handleExit: false, logger: silentLogger });
    try {
      const triage = traceAgent(
        "corrections-sdk",
        async (text: string) => {
          const handle = deferOutcome()!;
          return { queue: text.includes("charged") ? "shipping" : "other", handle };
        },
        { sink: client },
      );
      const first = await triage("I was charged twice");
      const second = await triage("charged again");
      await client.flush();
      expect(await first.handle.set({ success: false, feedback: "billing, not shipping", expected: { queue: "billing" } })).toBe(true);
      expect(await setOutcome(second.handle.traceId, { success: false, expected: { queue: "billing" } }, { sink: client })).toBe(true);
      expect((await stored(first.handle.traceId)).expected_output).toEqual({ queue: "billing" });
      expect(await stored(second.handle.traceId)).toMatchObject({ success: false, expected_output: { queue: "billing" } });
      // The service refuses a correction that is not an object, and the SDK says so.
      expect(await setOutcome(second.handle.traceId, { success: false, expected: "billing" as unknown as Record<string, unknown> }, { sink: client })).toBe(false);
    } finally {
      await client.close();
    }
  });
});
