import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { Readable } from "node:stream";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { importTraces } from "../../src/collector/importers/import-traces.js";
import { getTrace } from "../../src/collector/query/get-trace.js";
import { listTraces } from "../../src/collector/query/list-traces.js";
import { storeTraces } from "../../src/collector/store-traces.js";
import { validateTrace } from "../../src/collector/ingest/ingest-traces.js";
import { spansToTraces } from "../../src/collector/otlp/spans-to-traces.js";
import { traceAgent } from "../../src/collector/sdk/trace-agent.js";
import { setTraceTask } from "../../src/collector/sdk/run-api.js";
import type { TraceSink } from "../../src/collector/sdk/sink.js";
import type { TraceInput } from "../../src/domain/trace.js";

const TENANT = "default";

function recordingSink(): TraceSink & { traces: TraceInput[] } {
  const traces: TraceInput[] = [];
  return { traces, send: (t: TraceInput) => void traces.push(t), flush: async () => {}, stats: { queued: 0, sent: 0, dropped: 0, rejected: 0, retries: 0 } } as unknown as TraceSink & { traces: TraceInput[] };
}

describe("a trace's task key", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
    await t.db.pool.query(`INSERT INTO tenants (id, name) VALUES ($1, $1) ON CONFLICT (id) DO NOTHING`, [TENANT]);
  });
  afterAll(async () => t.close());

  it("is stored from the trace schema, read back and filtered on", async () => {
    const checked = validateTrace({ id: "tk-1", agent: "support", task: "refund", startedAt: "2026-12-01T10:00:00Z", steps: [] }, "");
    expect(checked.ok).toBe(true);
    await storeTraces(t.db.pool, TENANT, [checked.ok ? checked.trace : (undefined as never)]);
    expect((await getTrace(t.db.pool, TENANT, "tk-1")).task).toBe("refund");
    expect((await listTraces(t.db.pool, TENANT, { task: "refund" })).traces.map((x) => x.id)).toEqual(["tk-1"]);
    const tooLong = validateTrace({ id: "tk-2", agent: "support", task: "x".repeat(201), startedAt: "2026-12-01T10:00:00Z" }, "");
    expect(tooLong.ok ? [] : tooLong.errors.map((e) => e.path)).toEqual(["task"]);
  });

  it("is read by the importer from the field --task-field names (string or number)", async () => {
    const records = [
      { id: "c1", task_id: "change_flight", messages: [{ role: "user", content: "move my flight" }, { role: "assistant", content: "done" }], outcome: true },
      { id: "c2", task_id: 17, messages: [{ role: "user", content: "cancel it" }, { role: "assistant", content: "ok" }], outcome: false },
      { id: "c3", messages: [{ role: "user", content: "hello" }, { role: "assistant", content: "hi" }], outcome: true },
    ];
    const summary = await importTraces(t.db.pool, TENANT, Readable.from([records.map((r) => JSON.stringify(r)).join("\n")]), { taskField: "task_id" });
    expect(summary).toMatchObject({ imported: 3, invalid: 0 });
    expect((await getTrace(t.db.pool, TENANT, "import-c1")).task).toBe("change_flight");
    expect((await getTrace(t.db.pool, TENANT, "import-c2")).task).toBe("17");
    expect((await getTrace(t.db.pool, TENANT, "import-c3")).task).toBeUndefined();
  });

  it("comes from the OTLP attribute meta_agent.task of the agent span", async () => {
    const span = { traceId: "a".repeat(32), spanId: "b".repeat(16), name: "invoke_agent support", startTimeUnixNano: "1700000000000000000", endTimeUnixNano: "1700000001000000000", attributes: [{ key: "gen_ai.operation.name", value: { stringValue: "invoke_agent" } }, { key: "meta_agent.task", value: { stringValue: "refund" } }] };
    const [mapped] = await spansToTraces([{ span: span as never, resource: {} }]);
    expect(mapped!.trace.task).toBe("refund");
  });

  it("is set by the SDK: a traceAgent option (or a function of the arguments) and setTraceTask inside a run", async () => {
    const sink = recordingSink();
    const fixed = traceAgent("support", async (q: string) => q, { sink, task: "faq" });
    const fromArgs = traceAgent("support", async (q: { kind: string }) => q.kind, { sink, task: (args) => (args[0] as { kind: string }).kind });
    const inside = traceAgent("support", async () => setTraceTask("classified-later"), { sink });
    await fixed("hi");
    await fromArgs({ kind: "refund" });
    await inside();
    expect(sink.traces.map((x) => x.task)).toEqual(["faq", "refund", "classified-later"]);
  });
});
