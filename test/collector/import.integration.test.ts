// The OpenAI chat-log importer: mapping of a realistic multi-turn tool-calling log, JSONL and
// JSON arrays, invalid records reported by line, idempotent re-import, and POST /v1/import.
import { describe, expect, it } from "vitest";
import { Readable } from "node:stream";
import { useCollectorServer } from "../support/collector-server.js";
import { makeChatRecord } from "../support/chat-log-builder.js";
import { importTraces } from "../../src/collector/importers/import-traces.js";
import { getTrace } from "../../src/collector/query/get-trace.js";

const collector = useCollectorServer();

const chunked = (text: string, size = 37) => Readable.from(Array.from({ length: Math.ceil(text.length / size) }, (_, i) => Buffer.from(text.slice(i * size, (i + 1) * size))));

describe("importTraces", () => {
  it("maps a multi-turn tool-calling log: tool calls paired by id, errors in results as failures, system prompt, input and output", async () => {
    const jsonl = [makeChatRecord(1), makeChatRecord(2, { failLogs: true, outcome: 0.3 })].map((r) => JSON.stringify(r)).join("\n");
    const summary = await importTraces(collector.t.db.pool, "default", chunked(jsonl), { agent: "sre" });
    expect(summary).toMatchObject({ total: 2, imported: 2, skipped: 0, invalid: 0 });
    const trace = await getTrace(collector.t.db.pool, "default", "import-conv-1");
    expect(trace).toMatchObject({
      agent: "sre",
      input: "Checkout in ns-1 returns 500s. Why?",
      output: "Root cause: checkout cannot authenticate to the database (rotated credentials).",
      outcome: { success: true },
      startedAt: "2026-02-02T10:00:00.000Z",
      metadata: { systemPrompt: "You are an SRE diagnosis agent. Use tools to find root causes.", model: "qwen2.5-7b" },
    });
    expect(trace.steps).toEqual([
      { type: "thinking", reasoning: "I will look at the pods and recent events first.", toolChoice: "get_pods, get_events" },
      { type: "tool_call", name: "get_pods", arguments: { namespace: "ns-1" }, success: true, response: "checkout-1 CrashLoopBackOff\ndb-0 Running" },
      { type: "tool_call", name: "get_events", arguments: { namespace: "ns-1", since: "10m" }, success: true, response: "Warning BackOff pod/checkout-1 restarting" },
      { type: "tool_call", name: "get_logs", arguments: { pod: "checkout-1", tail: 100 }, success: false, response: "FATAL: password authentication failed for user app", error: "FATAL: password authentication failed for user app" },
      { type: "tool_call", name: "describe_secret", arguments: { name: "db-credentials" }, success: false, response: '{"error": "permission denied"}', error: '{"error": "permission denied"}' },
    ]);
    const second = await getTrace(collector.t.db.pool, "default", "import-conv-2");
    expect(second.outcome).toEqual({ success: false, score: 0.3 });
    expect(second.steps[3]).toMatchObject({ name: "get_logs", success: false, error: 'Error: pods "checkout-1" not found' });
  });

  it("reads a JSON array with custom fields, reports invalid records by line or index, and adds nothing on a second import", async () => {
    const records = [3, 4, 5].map((i) => ({ conversation: { turns: makeChatRecord(i).messages }, verdict: i === 4 ? 0.9 : 0.1, agent: "support" }));
    const array = JSON.stringify([...records, { conversation: { turns: "nope" } }], null, 2);
    const options = { messagesField: "conversation.turns", outcomeField: "verdict", successThreshold: 0.8 };
    const first = await importTraces(collector.t.db.pool, "default", chunked(array, 100), options);
    expect(first).toMatchObject({ total: 4, imported: 3, invalid: 1, errors: [{ index: 3, errors: [{ path: "conversation.turns" }] }] });
    const again = await importTraces(collector.t.db.pool, "default", chunked(array, 100), options);
    expect(again).toMatchObject({ total: 4, imported: 0, skipped: 3, invalid: 1 });
    const support = await collector.t.db.pool.query("SELECT success, score FROM traces WHERE agent = 'support' ORDER BY score");
    expect(support.rows).toEqual([{ success: false, score: 0.1 }, { success: false, score: 0.1 }, { success: true, score: 0.9 }]);

    const jsonl = `${JSON.stringify(makeChatRecord(6))}\n{broken json\n\n${JSON.stringify({ messages: [{ content: "no role" }] })}\n`;
    const lines = await importTraces(collector.t.db.pool, "default", chunked(jsonl));
    expect(lines).toMatchObject({ imported: 1, invalid: 2 });
    expect(lines.errors.map((e) => [e.line, e.errors[0]!.path])).toEqual([[2, "(root)"], [4, "messages[0].role"]]);
  });

  it("streams a large log in bounded memory", async () => {
    // ~27 MB of JSONL generated on the fly; the heap must not grow with the file.
    const n = 2500;
    const padding = "x".repeat(10_000);
    async function* lines() {
      for (let i = 0; i < n; i++) {
        const r = makeChatRecord(100_000 + i);
        r.messages[4]!.content += padding;
        yield Buffer.from(`${JSON.stringify(r)}\n`);
      }
    }
    global.gc?.();
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 20);
    const summary = await importTraces(collector.t.db.pool, "default", lines(), { agent: "bulk", maxToolResponseChars: 200 });
    clearInterval(timer);
    expect(summary).toMatchObject({ total: n, imported: n, invalid: 0 });
    expect(peak - before).toBeLessThan(150 * 1024 * 1024);
  }, 120_000);
});

describe("POST /v1/import", () => {
  it("imports a JSONL body and answers the summary; bad options get 400 naming the field", async () => {
    const body = [makeChatRecord(200), makeChatRecord(201)].map((r) => JSON.stringify(r)).join("\n");
    const res = await fetch(`${collector.server.url}/v1/import?agent=http-import`, { method: "POST", headers: { "content-type": "application/x-ndjson" }, body });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ total: 2, imported: 2, invalid: 0 });
    const again = await fetch(`${collector.server.url}/v1/import?agent=http-import`, { method: "POST", headers: { "content-type": "application/x-ndjson" }, body });
    expect(await again.json()).toMatchObject({ imported: 0, skipped: 2 });
    const bad = await fetch(`${collector.server.url}/v1/import?successThreshold=high`, { method: "POST", body });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).error.details[0].path).toBe("successThreshold");
    // A malformed body is not the end of the import: its records are listed, the summary answers.
    const garbage = await fetch(`${collector.server.url}/v1/import`, { method: "POST", body: "[{\"messages\": [}" });
    expect(garbage.status).toBe(200);
    expect(await garbage.json()).toMatchObject({ total: 1, imported: 0, invalid: 1, errors: [{ index: 0, errors: [{ path: "(root)" }] }] });
  });
});
